"""Fit the answerability model (bot/core/answerability.py) on the dev questions, and show how well
it carries to a corpus it was not fitted on. `python -m benchmarks.fit_answerability` (issue 11).

Reads tests/data/dev only, never the held-out set. Each question's top-ranked paper is one example:
in scope or not. Leave-one-corpus-out: the model and its threshold are fitted on three corpora and
applied to the fourth, pooled, beside coverage's threshold chosen the same way. Then the model is
fitted on all of dev, and the lines to paste into answerability.py and the config are printed.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

import numpy as np
from sklearn.linear_model import LogisticRegression

from benchmarks.oos_rejection import Score, Searched, best_under, collect, coverage, outcome, sweep
from bot.core.answerability import SIGNALS, confidence, signals

CAPS = (0.02, 0.027, 0.05)  # shares of in-domain questions a threshold may reject; 2 % is the issue's
STRENGTHS = (0.1, 1.0, 10.0, 100.0)  # inverse regularisation strengths compared leave-one-corpus-out


def rows(it: Searched) -> np.ndarray:
    """The signals of every paper the question's search ranked."""
    assert it.held is not None and it.weights is not None and it.known is not None
    assert it.query is not None and it.index is not None
    return signals(it.held, it.weights, it.known, it.query.asked, it.index.unknown_idf)


def searched(items: Sequence[Searched]) -> list[Searched]:
    """The questions answered by a topic search that ranked at least one paper."""
    return [it for it in items if it.fixed is None and it.held is not None and len(it.held)]


def fit(items: Sequence[Searched], strength: float) -> tuple[np.ndarray, float]:
    """Weights and intercept: the top-ranked paper of an in-scope question against an out-of-scope one's."""
    chosen = searched(items)
    x = np.array([rows(it)[0] for it in chosen])
    y = np.array([not it.out_of_scope for it in chosen])
    model = LogisticRegression(C=strength, max_iter=5000).fit(x, y)
    return model.coef_[0], float(model.intercept_[0])


def scorer(weights: np.ndarray, intercept: float) -> Score:
    def score(it: Searched) -> np.ndarray:
        return confidence(rows(it), weights, intercept) if it.held is not None and len(it.held) else np.zeros(0)

    return score


def left_out(items: Sequence[Searched], cap: float, strength: float | None) -> tuple[float, float, float]:
    """Each corpus answered by the model (or coverage, `strength` None) and threshold chosen on the
    others, pooled: OOS rejected, in-domain rejected, top-1."""
    oos: list[bool] = []
    inside: list[tuple[bool, bool]] = []
    for name in sorted({it.corpus for it in items}):
        others = [it for it in items if it.corpus != name]
        score = coverage if strength is None else scorer(*fit(others, strength))
        point = best_under(sweep(others, score), cap)
        threshold = point[0] if point else 0.0
        for it in items:
            if it.corpus == name:
                answered, right = outcome(it, score(it) if it.fixed is None else None, threshold)
                if it.out_of_scope:
                    oos.append(not answered)
                else:
                    inside.append((answered, right))
    return float(np.mean(oos)), float(np.mean([not a for a, _ in inside])), float(np.mean([r for _, r in inside]))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strength", type=float, default=100.0, help="C of the model fitted on all of dev")
    parser.add_argument("--corpora", type=lambda s: set(s.split(",")), default=None, metavar="A,B,...",
                        help="only these dev corpora (shipped: meulemans,reed,morabito,henning)")  # fmt: skip
    args = parser.parse_args(argv)
    items = [it for it in collect() if args.corpora is None or it.corpus in args.corpora]
    print("Leave-one-corpus-out on dev, pooled: OOS rejected / in-domain rejected / top-1\n")
    print("| score | " + " | ".join(f"chosen at ≤ {cap:.1%} in-domain" for cap in CAPS) + " |")
    print("|---|" + "---|" * len(CAPS))
    for label, strength in [("coverage", None), *((f"answerability, C = {c:g}", c) for c in STRENGTHS)]:
        cells = [left_out(items, cap, strength) for cap in CAPS]
        print(f"| {label} | " + " | ".join(f"{o:.1%} / {i:.1%} / {t:.1%}" for o, i, t in cells) + " |")
    weights, intercept = fit(items, args.strength)
    print(f"\nFitted on all of dev (C = {args.strength:g}):\n")
    for name, w in zip(SIGNALS, weights, strict=True):
        print(f"  {name:24} {w:+.4f}")
    print(f"  {'intercept':24} {intercept:+.4f}\n")
    print("WEIGHTS = np.array([" + ", ".join(f"{w:.4f}" for w in weights) + "])")
    print(f"INTERCEPT = {intercept:.4f}")
    points = sweep(items, scorer(weights, intercept))
    for cap in CAPS:
        p = best_under(points, cap)
        if p is not None:
            print(f"at ≤ {cap:.1%} in-domain: min_confidence {p[0]:.4f}: OOS rejected {p[1]:.1%}, "
                  f"in-domain rejected {p[2]:.1%}, top-1 {p[3]:.1%}")  # fmt: skip


if __name__ == "__main__":
    main()
