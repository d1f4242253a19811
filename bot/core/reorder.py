"""A second reading of the order of a question's papers, from what they mean rather than their words.

The core only knows this protocol; the semantic extra (bot.semantic.ordering) provides one. Without
it, the papers come in the index's order. Either way the index decides which papers answer
(`retrieval.min_confidence`, bot.core.answerability).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class Reorder(Protocol):
    """Re-orders a question's ranked papers, given the index's score for each."""

    def order(self, question: str, positions: Sequence[int], scores: Sequence[float]) -> Sequence[int]:
        """Every index into `positions` (the index's order, its scores `scores`), best first."""
        ...
