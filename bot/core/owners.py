"""Whose papers are whose in a lab: each paper's members, and the papers of any group of them.

The answerability model (bot/core/answerability.py) was fitted on one researcher's corpus at a time,
and its signals weigh a question's words by how rare they are among the papers. In a lab those
words are rarer (the other members' papers do not use them), and a question about a field nobody
covers finds some of its words in another member's papers: both raise the model's confidence. On
dev, asked of the five test corpora as one lab, out-of-scope rejection fell from 48.8 % corpus by
corpus to 25.6 %. So the index judges a paper with its own members' papers as the corpus, as it
would in their corpus alone: 37.2 % on dev, and 20.0 -> 37.1 % held-out (docs/benchmarks.md, "The
same quality in a lab").
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from bot.core.models import Paper


class Owners:
    """The members of a corpus' papers; a paper with none (a corpus of no member) belongs to all.

    Papers are counted by their set of members (one member's, or shared by some), of which a lab has
    few: one pass over a question's postings counts every set at once, and the papers of any group
    of members are those of the sets that name one of them.
    """

    def __init__(self, papers: Sequence[Paper]) -> None:
        names = sorted({m for p in papers for m in p.members})
        at = {name: i for i, name in enumerate(names)}
        everyone = tuple(range(len(names)))
        sets: dict[tuple[int, ...], int] = {}
        # One small number per paper: at 50,000 papers a tuple each would cost megabytes.
        self.set_of = np.fromiter(
            (sets.setdefault(tuple(sorted(at[m] for m in p.members)) or everyone, len(sets)) for p in papers),
            dtype=np.int64,
            count=len(papers),
        )
        self.sets = tuple(sets)  # each set of members, in the order of its number
        self.set_sizes = np.bincount(self.set_of, minlength=len(self.sets))
        self.several = len(names) > 1  # whether the papers are more than one member's
        self._among = lru_cache(maxsize=1024)(self._sets_among)

    def groups(self, positions: Sequence[int]) -> dict[tuple[int, ...], list[int]]:
        """The rows of `positions` grouped by the members their papers belong to."""
        out: dict[tuple[int, ...], list[int]] = {}
        for row, number in enumerate(self.set_of[list(positions)].tolist()):
            out.setdefault(self.sets[number], []).append(row)
        return out

    def counts(self, groups: Sequence[tuple[int, ...]], docs: np.ndarray, column_of_doc: np.ndarray,
               columns: int) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
        """Per group of members: how many of their papers are among `docs` in each column (groups x
        columns), and how many papers they have in all. A paper shared with another member counts."""
        per_set = np.bincount(self.set_of[docs] * columns + column_of_doc, minlength=len(self.sets) * columns)
        among = np.array([self._among(key) for key in groups], dtype=float).reshape(len(groups), len(self.sets))
        return among @ per_set.reshape(len(self.sets), columns), among @ self.set_sizes

    def _sets_among(self, key: tuple[int, ...]) -> np.ndarray:
        """Per set of members: does it name one of `key`'s members."""
        wanted = set(key)
        return np.array([not wanted.isdisjoint(members) for members in self.sets], dtype=bool)
