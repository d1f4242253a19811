"""Out-of-scope rejection on the dev set: which score tells a question no paper answers from an
in-domain one. `python -m benchmarks.oos_rejection` (issue 11).

Reads the dev questions only (tests/data/dev), never the held-out ones. Each question goes through
the engine once; what its search computed (the papers it ranked, how strongly each holds each
question word) is recorded, and every rejection score below is replayed over every threshold, as
the engine would apply it (a paper is kept when its score reaches the threshold; the answer is the
first kept). Questions the engine answers without a topic search (a code or profile question) keep
the engine's outcome whatever the threshold.

For each score it prints the share of out-of-scope questions rejected and top-1 at the best
threshold that rejects at most a given share of in-domain questions: the rejection curve.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import product

import numpy as np

from bot.benchmark import CORPORA, DATA, question_files
from bot.config import load_settings
from bot.core.corpus import load_corpus
from bot.core.engine import Engine
from bot.core.glossary import load_glossary
from bot.core.rarity import rarity
from bot.core.search import Index, QueryTerms
from bot.core.stems import stem, stem_all
from bot.core.text import content_tokens, sentences
from bot.evaluation import questions_for

DEV = DATA / "dev"
# Shares of in-domain questions a threshold may reject (on dev: 3, 4, 6, 11, 16 and 27 of 228); 2 %
# is the budget.
CAPS = (0.014, 0.02, 0.027, 0.05, 0.07, 0.12)
LEFT_OUT_CAPS = (0.02, 0.027, 0.05)  # the in-domain shares the leave-one-corpus-out thresholds are chosen for


@dataclass
class Searched:
    """One dev question and what the engine's last search for it computed."""

    corpus: str
    text: str
    out_of_scope: bool
    fixed: tuple[bool, bool] | None  # answered, rightly: a question answered without a topic search
    index: Index | None = None
    query: QueryTerms | None = None
    positions: tuple[int, ...] = ()
    held: np.ndarray | None = None  # papers x words, 0 to 1
    weights: np.ndarray | None = None  # per word: idf x how rare in everyday English
    known: np.ndarray | None = None  # per word: does any paper use it
    expected: np.ndarray | None = None  # per paper: is it an expected answer


Score = Callable[[Searched], np.ndarray]  # one score per ranked paper: kept when >= threshold
Weighed = tuple[np.ndarray, np.ndarray]  # per ranked paper: coverage and confidence


def collect() -> list[Searched]:
    """Every dev question through its corpus' engine, with the engine's last search recorded."""
    settings = load_settings(None)
    glossary = load_glossary(settings.glossary)
    files = question_files(DEV)
    out: list[Searched] = []
    for name, path in CORPORA.items():
        if name not in files:
            continue
        corpus = load_corpus([path])
        engine = Engine(corpus, settings, glossary)
        index = engine.index
        seen: list[tuple[QueryTerms, list[int]]] = []
        weigh = index._weigh

        def recorder(query: QueryTerms, positions: list[int], weigh: Callable[..., Weighed] = weigh,
                     seen: list[tuple[QueryTerms, list[int]]] = seen) -> Weighed:  # fmt: skip
            seen.append((query, list(positions)))
            return weigh(query, positions)

        index._weigh = recorder  # type: ignore[method-assign]
        for q in questions_for(files[name], corpus):
            seen.clear()
            answer = engine.ask(q.text)
            ranked = [h.paper.id for h in answer.hits]
            expect = set(q.expect)
            item = Searched(name, q.text, not expect, None)
            if not seen or not seen[-1][1]:
                item.fixed = (bool(ranked), bool(ranked) and ranked[0] in expect)
            else:
                query, positions = seen[-1]
                item.index, item.query, item.positions = index, query, tuple(positions)
                item.held = index.held(query, positions)
                item.weights = np.array(query.weights)
                item.known = np.array([bool(cs) for cs in query.words])
                item.expected = np.array([corpus.papers[p].id in expect for p in positions])
            out.append(item)
    return out


def outcome(item: Searched, scores: np.ndarray | None, threshold: float) -> tuple[bool, bool]:
    """(answered, rightly) when papers scoring under `threshold` are dropped."""
    if item.fixed is not None or scores is None or item.expected is None:
        return item.fixed or (False, False)
    kept = np.flatnonzero(scores >= threshold)
    return kept.size > 0, kept.size > 0 and bool(item.expected[kept[0]])


Point = tuple[float, float, float, float]  # threshold, OOS rejected, in-domain rejected, top-1


def sweep(items: Sequence[Searched], score: Score, grid: Sequence[float] | None = None) -> list[Point]:
    """The figures at every threshold that changes an answer (or at `grid`)."""
    scored = [(it, score(it) if it.fixed is None else None) for it in items]
    if grid is None:
        tops = sorted({float(s.max()) for _, s in scored if s is not None and s.size})
        grid = [0.0, *(t + 1e-12 for t in tops)]
    points = []
    for t in grid:
        outs = [(it.out_of_scope, *outcome(it, s, t)) for it, s in scored]
        oos = [not answered for out, answered, _ in outs if out]
        inside = [(answered, right) for out, answered, right in outs if not out]
        points.append((t, float(np.mean(oos)), float(np.mean([not a for a, _ in inside])),
                       float(np.mean([r for _, r in inside]))))  # fmt: skip
    return points


def best_under(points: Sequence[Point], cap: float) -> Point | None:
    """The point that rejects the most out-of-scope questions within `cap` in-domain rejections."""
    allowed = [p for p in points if p[2] <= cap]
    return max(allowed, key=lambda p: (p[1], p[3])) if allowed else None


def curve_row(name: str, points: Sequence[Point]) -> str:
    cells = []
    for cap in CAPS:
        p = best_under(points, cap)
        cells.append("-" if p is None else f"{p[1]:.1%} / {p[2]:.1%} / {p[3]:.1%} ({p[0]:.3f})")
    return f"| {name} | " + " | ".join(cells) + " |"


# The scores. Each is a function of the recorded search; `coverage` is what the engine uses today.
def _arrays(it: Searched) -> tuple[np.ndarray, np.ndarray]:
    assert it.held is not None and it.weights is not None
    return it.held, it.weights


def coverage(it: Searched) -> np.ndarray:
    held, w = _arrays(it)
    return held @ w / w.sum() if w.sum() > 0 else np.zeros(len(held))


def weighted(transform: Callable[[Searched], np.ndarray]) -> Score:
    """Coverage with each word weighing `transform(item)` instead of its informative weight."""

    def score(it: Searched) -> np.ndarray:
        held, _ = _arrays(it)
        w = transform(it)
        return held @ w / w.sum() if w.sum() > 0 else np.zeros(len(held))

    return score


def most_specific_matched(soft: bool) -> Score:
    """Coverage, dropped (or halved) for a paper that lacks the question's most specific word."""

    def score(it: Searched) -> np.ndarray:
        held, w = _arrays(it)
        has = held[:, int(np.argmax(w))] > 0
        return coverage(it) * np.where(has, 1.0, 0.5 if soft else 0.0)

    return score


def pair_matched(it: Searched) -> np.ndarray:
    """Coverage, halved for a paper that lacks either word of the question's most specific pair of
    neighbouring words (a head phrase, read without a parser)."""
    held, w = _arrays(it)
    start = int(np.argmax(w[:-1] + w[1:])) if len(w) > 1 else 0
    has = (held[:, start : start + 2] > 0).all(axis=1)
    return coverage(it) * np.where(has, 1.0, 0.5)


def contrast(it: Searched) -> np.ndarray:
    """The most specific word a paper holds against the most specific it lacks."""
    held, w = _arrays(it)
    inside = np.where(held > 0, w, 0).max(axis=1)
    outside = np.where(held > 0, 0, w).max(axis=1)
    return np.asarray(inside / np.maximum(inside + outside, 1e-9))


def evidence(it: Searched) -> np.ndarray:
    """The weight a paper holds in fully specific words (a word no paper uses weighs 1)."""
    held, w = _arrays(it)
    assert it.index is not None
    return np.asarray(held @ w) / it.index.unknown_idf


def softened(gamma: float) -> Score:
    """Held weight over the question's weight to the power `gamma` (1: coverage): a long question's
    extra words dilute what a paper holds less than fully."""

    def score(it: Searched) -> np.ndarray:
        _, w = _arrays(it)
        assert it.index is not None
        weight = max(float(w.sum()) / it.index.unknown_idf, 1e-9)
        return np.asarray(evidence(it) / weight**gamma)

    return score


def nearby(span: int, window: int) -> Score:
    """Coverage counting only the words a paper holds within `span` consecutive sentences (title
    first), or, with `window`, within that many consecutive content words."""
    cache: dict[tuple[int, int], list[set[str]]] = {}

    def bags(index: Index, position: int) -> list[set[str]]:
        key = (id(index), position)
        if key not in cache:
            paper = index.papers[position]
            if window:
                seq = stem_all(content_tokens(f"{paper.title} {paper.abstract}"))
                cache[key] = [set(seq[i : i + window]) for i in range(0, max(1, len(seq) - window + 1), 2)]
            else:
                parts = [set(stem_all(content_tokens(s))) for s in [paper.title, *sentences(paper.abstract)]]
                cache[key] = [set().union(*parts[i : i + span]) for i in range(len(parts))]
        return cache[key]

    def score(it: Searched) -> np.ndarray:
        held, w = _arrays(it)
        assert it.index is not None and it.query is not None
        glossary = it.index.glossary
        forms = [{stem(x)} | {stem(s) for s in glossary.expand([x]) if " " not in s} for x in it.query.asked]
        out = np.zeros(len(it.positions))
        for r, p in enumerate(it.positions):
            for bag in bags(it.index, p):
                inside = np.array([bool(f & bag) for f in forms])
                out[r] = max(out[r], float((held[r] * inside) @ w))
        return out / w.sum() if w.sum() > 0 else out

    return score


def exclusive(it: Searched) -> np.ndarray:
    """Coverage with a word discounted by how many of the 10 best papers hold it."""
    held, w = _arrays(it)
    holders = np.maximum((held[:10] > 0).sum(axis=0), 1)
    return held @ (w / np.sqrt(holders)) / w.sum() if w.sum() > 0 else np.zeros(len(held))


def known(it: Searched) -> np.ndarray:
    """Per word: does any paper use it."""
    assert it.known is not None
    return it.known


def rarity_of(it: Searched) -> np.ndarray:
    assert it.query is not None
    return np.array([rarity(x) for x in it.query.asked])


SCORES: tuple[tuple[str, Score], ...] = (
    ("coverage (today)", coverage),
    ("coverage, specific words count more (weight^2)", weighted(lambda it: _arrays(it)[1] ** 2)),
    ("coverage, specific words count more (weight^3)", weighted(lambda it: _arrays(it)[1] ** 3)),
    ("coverage, words no paper uses count x2", weighted(lambda it: np.where(known(it), 1.0, 2.0) * _arrays(it)[1])),
    ("coverage by rarity alone (no idf)", weighted(lambda it: np.where(known(it), 0.1 + 0.9 * rarity_of(it),
                                                                       rarity_of(it)))),
    ("most specific word must be held", most_specific_matched(soft=False)),
    ("coverage halved without the most specific word", most_specific_matched(soft=True)),
    ("coverage halved without the most specific word pair", pair_matched),
    ("most specific word held vs most specific lacked", contrast),
    ("coverage x min(1, held vs lacked)", lambda it: coverage(it) * np.minimum(1, contrast(it) / 0.5)),
    ("words near each other: best sentence", nearby(1, 0)),
    ("words near each other: best 2 sentences", nearby(2, 0)),
    ("words near each other: best 20-word window", nearby(0, 20)),
    ("word weight / sqrt(papers of the 10 best holding it)", exclusive),
    ("coverage x sqrt(evidence)", lambda it: coverage(it) * np.sqrt(evidence(it))),
    ("held / question weight^0.5", softened(0.5)),
    ("held / question weight^0.67", softened(0.67)),
    ("held / question weight^0.75", softened(0.75)),
    ("(artefact of the set) coverage x sqrt(question words)", lambda it: coverage(it) * np.sqrt(len(_arrays(it)[1]))),
)


def oracle_per_corpus(items: Sequence[Searched], cap_count: int) -> tuple[int, int, list[str]]:
    """With hindsight, one coverage threshold per corpus: the most out-of-scope questions rejected
    with at most `cap_count` in-domain ones rejected, over all corpora together."""
    fronts = []
    names = sorted({it.corpus for it in items})
    for name in names:
        sub = [it for it in items if it.corpus == name]
        n_out = sum(it.out_of_scope for it in sub)
        n_in = len(sub) - n_out
        front, best = [], -1
        for t, o, f, _ in sorted(sweep(sub, coverage), key=lambda p: (p[2], -p[1])):
            if round(o * n_out) > best:
                best = round(o * n_out)
                front.append((t, best, round(f * n_in)))
        fronts.append(front)
    top = (0, 0, [f"{name} -" for name in names])
    for combo in product(*fronts):
        rejected_in = sum(c[2] for c in combo)
        rejected_out = sum(c[1] for c in combo)
        if rejected_in <= cap_count and rejected_out > top[0]:
            top = (rejected_out, rejected_in, [f"{name} {c[0]:.3f}" for name, c in zip(names, combo, strict=True)])
    return top


def leave_one_corpus_out(items: Sequence[Searched], score: Score, cap: float) -> Point:
    """Each corpus answered at the threshold chosen on the other corpora (the most out-of-scope
    rejected with at most `cap` of in-domain questions rejected), pooled: how well a threshold travels."""
    thresholds = {}
    for name in sorted({it.corpus for it in items}):
        chosen = best_under(sweep([it for it in items if it.corpus != name], score), cap)
        thresholds[name] = chosen[0] if chosen else 0.0
    return (0.0, *pooled(items, thresholds, score))


def pooled(
    items: Sequence[Searched], thresholds: dict[str, float], score: Score = coverage
) -> tuple[float, float, float]:
    """OOS rejected, in-domain rejected and top-1 over every corpus, each at its own threshold."""
    oos: list[tuple[bool, bool]] = []
    inside: list[tuple[bool, bool]] = []
    for it in items:
        s = score(it) if it.fixed is None else None
        answered, right = outcome(it, s, thresholds[it.corpus])
        (oos if it.out_of_scope else inside).append((answered, right))
    return (float(np.mean([not a for a, _ in oos])), float(np.mean([not a for a, _ in inside])),
            float(np.mean([r for _, r in inside])))  # fmt: skip


def pseudo_calibration(items: Sequence[Searched], seed: int = 7) -> list[str]:
    """Per-corpus thresholds set from the corpus alone: its abstracts' sentences with half their
    words swapped for everyday English (in scope) against two of its words among three rare English
    words it never uses (out of scope)."""
    from bot.core.rarity import _frequencies

    table = _frequencies()
    everyday = sorted(w for w, z in table.items() if 4.0 <= z < 5.5 and w.isalpha() and len(w) > 3)
    rare = sorted(w for w, z in table.items() if 2.5 <= z < 4.0 and w.isalpha() and len(w) > 3)
    indexes = {it.corpus: it.index for it in items if it.index is not None}
    quantiles: dict[str, tuple[float, float, float]] = {}
    for name, index in sorted(indexes.items()):
        rng = random.Random(seed)

        def best(text: str, index: Index = index) -> float:
            return max((m.coverage for m in index.search(text)), default=0.0)

        inside = []
        for paper in index.papers:
            parts = sentences(paper.abstract)
            for s in rng.sample(parts, min(3, len(parts))):
                words = [w for w in content_tokens(s) if not w.isdigit()]
                if len(words) >= 4:
                    words = rng.sample(words, min(len(words), 7))
                    inside.append(best(" ".join(w if rng.random() < 0.5 else rng.choice(everyday) for w in words)))
        field = sorted(w for w in index.surface if len(w) > 3 and w.isalpha())
        outside = []
        for _ in range(300):
            unused = [w for w in rng.sample(rare, 6) if stem(w) not in index.vocabulary][:3]
            outside.append(best(" ".join(rng.sample(field, 2) + unused)))
        p5, p95 = float(np.quantile(inside, 0.05)), float(np.quantile(outside, 0.95))
        quantiles[name] = (p5, p95, (p5 + p95) / 2)
    lines = []
    labels = ("in-scope pseudo-queries' 5th percentile", "out-of-scope pseudo-queries' 95th percentile",
              "midway between the two")  # fmt: skip
    for k, label in enumerate(labels):
        o, f, r = pooled(items, {name: qs[k] for name, qs in quantiles.items()})
        ts = ", ".join(f"{name} {qs[k]:.3f}" for name, qs in quantiles.items())
        lines.append(f"| {label} | {ts} | {o:.1%} | {f:.1%} | {r:.1%} |")
    return lines


def table(heading: str, columns: Sequence[str], rows: Iterable[str]) -> None:
    """A Markdown table of `rows` (each already "| a | b |") under a heading line."""
    print()
    print(heading)
    print()
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print(row)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-calibration", action="store_true", help="skip the pseudo-query calibration")
    args = parser.parse_args()
    items = collect()
    n_out = sum(it.out_of_scope for it in items)
    n_in = len(items) - n_out
    fixed_rejected = sum(1 for it in items if not it.out_of_scope and it.fixed is not None and not it.fixed[0])
    print(f"Dev: {len(items)} questions ({n_in} in-domain, {n_out} out of scope). {fixed_rejected} in-domain "
          "questions get no paper before any topic search (read as a code or profile question), whatever the "
          "score.")  # fmt: skip
    table(
        "OOS rejected / in-domain rejected / top-1 (threshold), at the threshold that rejects the most out-of-scope "
        "questions while rejecting at most this share of in-domain ones:",
        ["score", *(f"<= {c:.1%}" for c in CAPS)],
        (curve_row(name, sweep(items, score)) for name, score in SCORES),
    )
    left_out = (
        f"| {name} | " + " | ".join(f"{o:.1%} / {f:.1%} / {k:.1%}" for _, o, f, k in
                                    (leave_one_corpus_out(items, score, cap) for cap in LEFT_OUT_CAPS)) + " |"
        for name, score in SCORES
    )  # fmt: skip
    table(
        "Threshold chosen on three corpora (the most OOS rejected within the in-domain share), applied to the "
        "fourth, pooled: OOS rejected / in-domain rejected / top-1",
        ["score", *(f"chosen at <= {c:.1%}" for c in LEFT_OUT_CAPS)],
        left_out,
    )
    bounds = []
    for cap in (int(n_in * share) for share in CAPS[:3]):
        rejected, used, ts = oracle_per_corpus(items, cap)
        bounds.append(f"| {used} of {n_in} ({cap}) | {rejected / n_out:.1%} | {', '.join(ts)} |")
    table(
        "Coverage thresholds per corpus, picked with hindsight (an upper bound for any per-corpus calibration):",
        ["in-domain rejected (at most)", "OOS rejected", "thresholds"],
        bounds,
    )
    if not args.no_calibration:
        table(
            "Coverage thresholds per corpus from pseudo-queries (no dev question used):",
            ["threshold", "per corpus", "OOS rejected", "in-domain rejected", "top-1"],
            pseudo_calibration(items),
        )


if __name__ == "__main__":
    main()
