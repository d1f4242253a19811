"""Out-of-scope rejection by meaning as well as words: the semantic extra's judge for the engine.

A paper answers a question when the index's confidence that it does (bot.core.answerability, from
the words it holds) plus WEIGHT times its dense closeness to the question (the mean of
all-MiniLM-L6-v2's cosine with the whole paper and with its closest sentence) reaches THRESHOLD.
Words alone cannot tell a paraphrase in words no paper uses from a question about a neighbouring
field in the corpus' words; closeness in meaning separates some of them. Both numbers were chosen
on the dev questions (`python -m benchmarks.oos_bridge`, docs/benchmarks.md): the weight whose
threshold, chosen on three corpora and applied to the fourth, rejects the most out-of-scope
questions while rejecting at most 2 % of in-domain ones, and the round threshold just under the
best one on all of dev.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from bot.core.models import Corpus
from bot.semantic.reranker import DenseReranker, load_model
from bot.settings import Settings

WEIGHT = 1.0
THRESHOLD = 0.75
CACHE_FILE = "semantic-embeddings.npz"  # in the data folder: the papers' embeddings, kept across restarts


class MeaningJudge:
    """Admits a ranked paper when the index's confidence + WEIGHT x dense closeness >= THRESHOLD."""

    def __init__(self, reranker: DenseReranker, weight: float = WEIGHT, threshold: float = THRESHOLD) -> None:
        self.reranker = reranker
        self.weight = weight
        self.threshold = threshold

    def admits(self, question: str, positions: Sequence[int], confidence: Sequence[float]) -> Sequence[bool]:
        """One verdict per paper at `positions`; the question is embedded once, only when there are papers."""
        if not positions:
            return []
        dense = self.reranker.closeness(question, positions)
        verdicts: list[bool] = (np.asarray(confidence) + self.weight * dense >= self.threshold).tolist()
        return verdicts


def judges(settings: Settings) -> Callable[[Corpus], MeaningJudge]:
    """What makes a corpus' judge: the model is loaded now (a missing extra fails at start, with the
    command that installs it); each corpus' papers are embedded when its engine is built, from the
    cache in the data folder when they were embedded before."""
    model = load_model()
    cache = settings.data_dir / CACHE_FILE if settings.data_dir else None

    def judge(corpus: Corpus) -> MeaningJudge:
        return MeaningJudge(DenseReranker(corpus.papers, model, cache))

    return judge
