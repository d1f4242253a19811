"""How sure we are that a ranked paper answers a question: several signals of what it holds of the
question's words, weighed by a logistic model fitted once on the dev questions.

No single signal separates a question about a neighbouring field from one worded unlike the papers.
Chosen on three dev corpora and applied to the fourth, at most 2 % of in-domain questions rejected,
coverage's threshold rejects 24 % of the out-of-scope ones; this model and its threshold, fitted the
same way, 44 % (docs/benchmarks.md, "Answerability"). Every signal is relative to the corpus (its
idf, the words it uses) or to everyday English, so the weights carry to a corpus nobody fitted them
on. `python -m benchmarks.fit_answerability` refits them from tests/data/dev and prints the lines
below; it never reads the held-out set.
"""

from __future__ import annotations

import numpy as np

from bot.core.rarity import rarity

# A question word this rare in everyday English (and a paper holding it at least HELD) is what a
# question is about: "microbiome" or "federated", not "pictures".
SPECIFIC = 0.6
HELD = 0.2

SIGNALS = (
    "coverage",  # share of the question's informative weight the paper holds
    "widest gap",  # the heaviest word it lacks, as a share of that weight
    "unknown share",  # share of that weight in words no paper of the corpus uses
    "log evidence",  # log(1 + weight held, in fully specific words)
    "specific words lacked",
    "specific words held",
    "heaviest word held",  # the heaviest word it holds, as a share
)
# Fitted by benchmarks/fit_answerability.py (C = 100) on tests/data/dev: 380 questions, 4 corpora
# (`--corpora meulemans,reed,morabito,henning`). Refitted with the fifth, ecology, it held dev's
# in-domain budget but rejected fewer out-of-scope held-out questions and no fewer in-domain ones:
# taken back (docs/benchmarks.md, "A fifth field").
WEIGHTS = np.array([8.8883, -4.3788, -1.0921, 6.2672, -0.4287, -0.5336, -7.4109])
INTERCEPT = 1.1163


def signals(held: np.ndarray, weights: np.ndarray, known: np.ndarray, asked: tuple[str, ...],
            unknown_idf: float | np.ndarray) -> np.ndarray:  # fmt: skip
    """One row per paper, one column per name in SIGNALS. `held`: papers x question words (0 to 1);
    `weights`: each word's informative weight; `known`: does any paper use it; `asked`: the words.
    `weights`, `known` and `unknown_idf` may differ per paper (one row each): in a lab, each paper's
    words are weighed among its own members' papers. A paper whose words weigh nothing gets zeros."""
    out = np.zeros((held.shape[0], len(SIGNALS)))
    if held.shape[0] == 0:
        return out
    w = np.broadcast_to(weights, held.shape)
    total = w.sum(axis=1)
    some = total > 0
    if not some.any():
        return out
    held, w, total = held[some], w[some], total[some]
    lacked = ~np.broadcast_to(known, out.shape[:1] + held.shape[1:])[some]
    unknown = np.broadcast_to(unknown_idf, out.shape[:1])[some]
    held_weight = (held * w).sum(axis=1)
    specific = np.array([rarity(word) >= SPECIFIC for word in asked], dtype=bool)
    holds = held >= HELD
    out[some, 0] = held_weight / total
    out[some, 1] = (w * (1 - held)).max(axis=1) / total
    out[some, 2] = (w * lacked).sum(axis=1) / total
    out[some, 3] = np.log1p(held_weight / unknown)
    out[some, 4] = (specific[None, :] & ~holds).sum(axis=1)
    out[some, 5] = (specific[None, :] & holds).sum(axis=1)
    out[some, 6] = (held * w).max(axis=1) / total
    return out


def confidence(rows: np.ndarray, weights: np.ndarray = WEIGHTS, intercept: float = INTERCEPT) -> np.ndarray:
    """The model's probability, per row of `signals`, that the paper answers the question."""
    return np.asarray(1.0 / (1.0 + np.exp(-(rows @ weights + intercept))))
