"""A second reading of whether papers answer a question, from what it means rather than its words.

The core only knows this protocol; the semantic extra (bot.semantic.rejection) provides one. Without
a judge, a paper answers a question when it holds enough of the question's informative weight
(`retrieval.min_coverage`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class Judge(Protocol):
    """Decides which ranked papers answer a question, given how much of its words each holds."""

    def admits(self, question: str, positions: Sequence[int], coverage: Sequence[float]) -> Sequence[bool]:
        """One verdict per paper at `positions` (the index's order), whose coverages are `coverage`."""
        ...
