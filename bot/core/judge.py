"""A second reading of whether papers answer a question, from what it means rather than its words.

The core only knows this protocol; the semantic extra (bot.semantic.rejection) provides one. Without
a judge, a paper answers a question when the index is sure enough of it (`retrieval.min_confidence`,
bot.core.answerability).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class Judge(Protocol):
    """Decides which ranked papers answer a question, given how sure the index is of each."""

    def admits(self, question: str, positions: Sequence[int], confidence: Sequence[float]) -> Sequence[bool]:
        """One verdict per paper at `positions` (the index's order), the index's confidence in each
        being `confidence`."""
        ...
