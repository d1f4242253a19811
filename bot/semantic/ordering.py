"""Papers ordered by meaning as well as words: the semantic extra's second reading for the engine.

The index's best CANDIDATES papers for a question are re-ordered by their index score fused with
their closeness in meaning to the question (bot.semantic.reranker.fuse: the mean of
all-MiniLM-L6-v2's cosine with the whole paper and with its closest sentence; each scaled to [0, 1]
over the candidates, DENSE_WEIGHT the dense share). Which papers answer is still the index's to
decide. The fusion was chosen on the dev questions among nine (`python -m benchmarks.semantic_fusion`)
and measured through the engine on dev and then held-out (`python -m benchmarks.oos_bridge --engine`,
docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from bot.core.models import Corpus
from bot.semantic.reranker import DENSE_WEIGHT, DenseReranker, fuse, load_model
from bot.settings import Settings

# Only the index's best papers are re-ordered, as measured: further down, a paper close in meaning
# that shares few of the question's words would climb past the ones that hold it.
CANDIDATES = 20
CACHE_FILE = "semantic-embeddings.npz"  # in the data folder: the papers' embeddings, kept across restarts


class MeaningOrder:
    """The index's best `candidates` papers re-ordered by their score fused with their closeness in
    meaning (`weight` the dense share); the rest stay in the index's order below them."""

    def __init__(self, reranker: DenseReranker, weight: float = DENSE_WEIGHT, candidates: int = CANDIDATES) -> None:
        self.reranker = reranker
        self.weight = weight
        self.candidates = candidates

    def order(self, question: str, positions: Sequence[int], scores: Sequence[float]) -> Sequence[int]:
        """Every index into `positions`, best first; the question is embedded once, only when there
        are two papers or more to order."""
        head = min(self.candidates, len(positions))
        if head < 2:
            return list(range(len(positions)))
        dense = self.reranker.closeness(question, positions[:head])
        mixed = fuse(np.asarray(scores[:head], dtype=np.float32), dense, self.weight)
        return [*map(int, np.argsort(-mixed, kind="stable")), *range(head, len(positions))]


def orders(settings: Settings) -> Callable[[Corpus], MeaningOrder]:
    """What makes a corpus' second reading: the model is loaded now (a missing extra fails at start,
    with the command that installs it); each corpus' papers are embedded when its engine is built,
    from the cache in the data folder when they were embedded before."""
    model = load_model()
    cache = settings.data_dir / CACHE_FILE if settings.data_dir else None

    def reorder(corpus: Corpus) -> MeaningOrder:
        return MeaningOrder(DenseReranker(corpus.papers, model, cache))

    return reorder
