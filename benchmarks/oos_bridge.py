"""A meaning signal for out-of-scope rejection, on the dev set: `python -m benchmarks.oos_bridge`
(issue 11; needs the semantic extra).

Coverage (the share of a question's informative weight a paper holds) cannot tell a paraphrase that
uses words no paper uses ("heartbeats", "larynx") from an out-of-scope question that uses corpus
words plus a few field words the corpus lacks ("diffusion", "federated"). benchmarks.oos_rejection
measured every lexical variant; this script measures two uses of all-MiniLM-L6-v2:

a. Vocabulary bridging. The corpus' words and word pairs (titles and abstracts) are embedded once.
   A question word no paper uses counts as held by a paper to the extent the paper holds a corpus
   word close in meaning (cosine >= tau) -- or, in a variant, to the extent one of the paper's own
   sentences is close to it. A paraphrase's words find a neighbour; a neighbouring field's words
   should not. Coverage is then recomputed.
b. Two signals. Coverage and the dense cosine between the question and each paper (the mean of the
   whole paper's and the best sentence's cosine, as bot.semantic.reranker scores it), combined as a
   product, a minimum (both must pass), a maximum (either suffices) or a sum, with the mixing weight
   chosen like the threshold.

Dev questions only (tests/data/dev); each question goes through the engine once
(benchmarks.oos_rejection.collect) and every score is replayed over every threshold. Figures: OOS
rejected / in-domain rejected / top-1 at the best threshold within an in-domain budget, with
hindsight and with the parameters and threshold chosen on the other three corpora
(leave-one-corpus-out), beside today's coverage; then the CPU cost per question and at start-up.

`--engine` measures instead what the semantic extra does in the bot (`retrieval.semantic`: the
papers ordered by meaning too, bot.semantic.ordering) end to end, through `Engine.ask`, against the
engine without it; `--engine --heldout` adds the held-out set, run once after the choice was made on
dev. Neither use of meaning for rejection above was kept: docs/benchmarks.md has the figures.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.fit_answerability import rows as signal_rows
from benchmarks.oos_rejection import Point, Score, Searched, best_under, collect, coverage, outcome, sweep, table
from benchmarks.semantic_fusion import table as report_table
from bot.benchmark import CORPORA, SETS, question_files
from bot.config import load_settings
from bot.core.answerability import confidence
from bot.core.corpus import load_corpus
from bot.core.engine import Engine
from bot.core.glossary import load_glossary
from bot.core.search import Index, QueryTerms
from bot.core.stems import stem
from bot.core.text import STOPWORDS, content_tokens
from bot.core.tfidf import EMPTY
from bot.evaluation import Report, engine_responder, evaluate, questions_for
from bot.semantic.ordering import MeaningOrder
from bot.semantic.reranker import DenseReranker, EmbeddingCache, TextEncoder, load_model
from bot.settings import Settings

CAPS = (0.02, 0.027, 0.05)  # shares of in-domain questions a threshold may reject (4, 6, 11 of 228)
NEIGHBOURS = 10  # corpus terms kept per unknown question word, nearest first
TAUS = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8)  # cosine from which a corpus term stands in for a question word
MIX = (0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)  # weight of the dense cosine against coverage

Floats = np.ndarray[Any, np.dtype[np.float32]]


@contextmanager
def cpu(into: list[float]) -> Iterator[None]:
    """Appends the CPU seconds the block took to `into`."""
    start = time.process_time()
    yield
    into.append(time.process_time() - start)


class CorpusTerms:
    """A corpus' words and indexed word pairs, embedded, each with the index column it stands for."""

    def __init__(self, index: Index, model: TextEncoder, cache: Path | None) -> None:
        texts: dict[str, int] = {}
        vocabulary = index.vocabulary
        for paper in index.papers:
            tokens = content_tokens(f"{paper.title}. {paper.abstract}")
            words = [w for w in tokens if w.isalpha() and len(w) > 2 and w not in STOPWORDS]
            for w in words:
                column = vocabulary.get(stem(w))
                if column is not None:
                    texts.setdefault(w, column)
            for a, b in pairwise(tokens):
                if a.isalpha() and b.isalpha() and f"{a} {b}" not in texts:
                    column = vocabulary.get(f"{stem(a)} {stem(b)}")
                    if column is not None:
                        texts[f"{a} {b}"] = column
        self.texts = list(texts)
        self.columns = np.array(list(texts.values()), dtype=np.int64)
        self.vectors = EmbeddingCache(cache, model).embed(self.texts)

    def nearest(self, vector: Floats, k: int = NEIGHBOURS) -> tuple[np.ndarray, np.ndarray]:
        """The `k` terms closest to `vector`: their rows and cosines, closest first."""
        sims = self.vectors @ vector
        rows = np.argsort(-sims)[:k]
        return rows, sims[rows]


@dataclass
class Meaning:
    """What the model says of one searched question: per ranked paper its dense cosine; per unknown
    question word its nearest corpus terms and how strongly each ranked paper holds them, and its
    best cosine with each ranked paper's title and sentences."""

    dense: np.ndarray  # ranked papers: mean of the whole paper's and the best sentence's cosine
    whole: np.ndarray  # ranked papers: cosine with the whole paper
    part: np.ndarray  # ranked papers: best cosine over the title and abstract sentences
    background: float  # mean of `dense` over every paper of the corpus
    unknown: np.ndarray  # indices of the question words no paper uses
    sims: np.ndarray  # unknown words x NEIGHBOURS: cosine with the nearest corpus terms
    held: np.ndarray  # unknown words x NEIGHBOURS x ranked papers: how strongly a paper holds that term
    sentence: np.ndarray  # ranked papers x unknown words: the word's best cosine with the paper's sentences
    nearest: list[str]  # per unknown word: its closest corpus term
    dense_ms: float  # CPU to embed the question and take its cosine with every paper
    words_ms: float  # CPU to embed the question's unknown words and find their nearest corpus terms


def held_columns(index: Index, columns: Sequence[int], positions: Sequence[int]) -> np.ndarray:
    """How strongly each paper at `positions` holds each index column (papers x columns, 0 to 1)."""
    query = QueryTerms(EMPTY, tuple((int(c),) for c in columns), (1.0,) * len(columns))
    return index.held(query, list(positions))


def understand(it: Searched, terms: CorpusTerms, reranker: DenseReranker) -> Meaning:
    """The model's view of one question that went through a topic search."""
    assert it.index is not None and it.query is not None and it.known is not None
    positions = list(it.positions)
    unknown = np.flatnonzero(~it.known)
    start = time.process_time()
    vector = reranker.model.encode([it.text])[0]
    whole, part = reranker.whole_scores(vector), reranker.part_scores(vector)
    dense_ms = (time.process_time() - start) * 1000
    start = time.process_time()
    # Apart from the question: in one batch, the words would be padded to the question's length.
    words = reranker.model.encode([it.query.asked[k] for k in unknown])
    found = [terms.nearest(w) for w in words]
    words_ms = (time.process_time() - start) * 1000
    every = (whole + part) / 2
    sims = np.array([s for _, s in found]).reshape(len(unknown), NEIGHBOURS)
    held = np.zeros((len(unknown), NEIGHBOURS, len(positions)))
    for u, (rows, _) in enumerate(found):
        held[u] = held_columns(it.index, terms.columns[rows], positions).T
    sentence = np.zeros((len(positions), len(unknown)))
    for r, p in enumerate(positions):
        rows = reranker.owners == p
        if unknown.size and rows.any():
            sentence[r] = (reranker.parts[rows] @ words.T).max(axis=0)
    nearest = [terms.texts[int(rows[0])] for rows, _ in found]
    return Meaning(every[positions], whole[positions], part[positions], float(every.mean()), unknown, sims, held,
                   sentence, nearest, dense_ms, words_ms)  # fmt: skip


def weighted_coverage(it: Searched, held: np.ndarray) -> np.ndarray:
    assert it.weights is not None
    w = it.weights
    return held @ w / w.sum() if w.sum() > 0 else np.zeros(len(held))


MeaningOf = Callable[[Searched], Meaning]


def bridged(meaning: MeaningOf, tau: float, scaled: bool) -> Score:
    """(a) Coverage where a question word no paper uses is held as strongly as a paper holds one of
    its nearest corpus terms at cosine >= `tau` (times the cosine when `scaled`)."""

    def score(it: Searched) -> np.ndarray:
        assert it.held is not None
        m = meaning(it)
        held = it.held.copy()
        for u, k in enumerate(m.unknown):
            close = m.sims[u] >= tau
            if close.any():
                factor = np.where(close, m.sims[u] if scaled else 1.0, 0.0)
                held[:, k] = (m.held[u] * factor[:, None]).max(axis=0)
        return weighted_coverage(it, held)

    return score


def excused(meaning: MeaningOf, tau: float) -> Score:
    """(a) Coverage where a question word no paper uses but with a corpus term at cosine >= `tau`
    leaves the question's weight: it says the question is in the corpus' terms, not which paper."""

    def score(it: Searched) -> np.ndarray:
        assert it.held is not None and it.weights is not None
        m = meaning(it)
        w = it.weights.copy()
        for u, k in enumerate(m.unknown):
            if m.sims[u, 0] >= tau:
                w[k] = 0.0
        return it.held @ w / w.sum() if w.sum() > 0 else np.ones(len(it.held))

    return score


def sentence_held(meaning: MeaningOf, tau: float) -> Score:
    """(a) Coverage where a question word no paper uses is held by a paper one of whose sentences
    (or title) is close to it, cosine >= `tau`, held as much as the cosine."""

    def score(it: Searched) -> np.ndarray:
        assert it.held is not None
        m = meaning(it)
        held = it.held.copy()
        for u, k in enumerate(m.unknown):
            s = m.sentence[:, u]
            held[:, k] = np.where(s >= tau, s, 0.0)
        return weighted_coverage(it, held)

    return score


Family = tuple[str, Sequence[tuple[str, Score]]]  # a score with a free parameter, one Score per value


Dense = Callable[[Meaning], np.ndarray]


def answerability(it: Searched) -> np.ndarray:
    """The engine's confidence that each ranked paper answers (bot.core.answerability)."""
    return confidence(signal_rows(it)) if it.held is not None and len(it.held) else np.zeros(0)


def two_signal(
    meaning: MeaningOf, base: Score, how: str, dense: Dense = lambda m: m.dense
) -> Sequence[tuple[str, Score]]:
    """(b) Coverage (`base`) and the dense cosine d combined, one score per mixing weight l:
    product cov x max(d, 0)^l; both must pass, min(cov, l d); either suffices, max(cov, l d);
    sum, cov + l d."""
    ops: dict[str, Callable[[np.ndarray, np.ndarray, float], np.ndarray]] = {
        "product": lambda c, d, lam: c * np.maximum(d, 0) ** lam,
        "min": lambda c, d, lam: np.minimum(c, lam * d),
        "max": lambda c, d, lam: np.maximum(c, lam * d),
        "sum": lambda c, d, lam: c + lam * d,
    }
    op = ops[how]

    def at(lam: float) -> Score:
        return lambda it: op(base(it), dense(meaning(it)), lam)

    return [(f"{lam:g}", at(lam)) for lam in MIX]


class Curves:
    """Each score's rejection curve on all of dev and without each corpus, computed once."""

    def __init__(self, items: Sequence[Searched]) -> None:
        self.items = items
        self.corpora = sorted({it.corpus for it in items})
        # Keyed by the score's id, the score kept alongside so that its id is never reused.
        self._done: dict[tuple[int, str], tuple[Score, list[Point]]] = {}

    def curve(self, score: Score, without: str = "") -> list[Point]:
        key = (id(score), without)
        if key not in self._done:
            self._done[key] = (score, sweep([it for it in self.items if it.corpus != without], score))
        return self._done[key][1]

    def best(self, family: Sequence[tuple[str, Score]], cap: float, without: str = "") -> tuple[str, Point] | None:
        """The member and threshold that reject the most OOS within `cap` (ties: better top-1)."""
        found = []
        for label, score in family:
            p = best_under(self.curve(score, without), cap)
            if p is not None:
                found.append((label, p))
        return max(found, key=lambda lp: (lp[1][1], lp[1][3])) if found else None

    def left_out(self, family: Sequence[tuple[str, Score]], cap: float) -> Point:
        """Each corpus answered with the member and threshold chosen on the other corpora; pooled."""
        scores = dict(family)
        oos: list[bool] = []
        inside: list[tuple[bool, bool]] = []
        for name in self.corpora:
            pick = self.best(family, cap, without=name)
            label, threshold = (pick[0], pick[1][0]) if pick else (family[0][0], 0.0)
            for it in (x for x in self.items if x.corpus == name):
                answered, right = outcome(it, scores[label](it) if it.fixed is None else None, threshold)
                if it.out_of_scope:
                    oos.append(not answered)
                else:
                    inside.append((answered, right))
        return (0.0, float(np.mean(oos)), float(np.mean([not a for a, _ in inside])),
                float(np.mean([r for _, r in inside])))  # fmt: skip


def cell(p: Point | None) -> str:
    return "-" if p is None else f"{p[1]:.1%} / {p[2]:.1%} / {p[3]:.1%}"


def families(meaning: MeaningOf) -> list[Family]:
    """Every score measured: today's coverage, then (a) and (b), each a family over its parameter."""

    def over_tau(make: Callable[[float], Score]) -> Sequence[tuple[str, Score]]:
        return [(f"tau {t:g}", make(t)) for t in TAUS]

    out: list[Family] = [("coverage (today)", [("", coverage)])]
    for t in (0.6, 0.7):
        out.append((f"(a) bridged, scaled by cosine, tau {t:g}", [("", bridged(meaning, t, scaled=True))]))
    out.append(("(a) bridged, scaled by cosine, tau chosen", over_tau(lambda t: bridged(meaning, t, scaled=True))))
    out.append(("(a) bridged, held in full, tau chosen", over_tau(lambda t: bridged(meaning, t, scaled=False))))
    out.append(("(a) bridged word leaves the question's weight, tau chosen", over_tau(lambda t: excused(meaning, t))))
    out.append(("(a) held by a close sentence of the paper, tau chosen", over_tau(lambda t: sentence_held(meaning, t))))
    out.append(("(b) dense cosine alone", [("", lambda it: meaning(it).dense)]))
    out.append(("answerability (the engine's confidence)", [("", answerability)]))
    out.append(("(b) answerability sum dense, weight chosen", two_signal(meaning, answerability, "sum")))
    for how in ("product", "min", "max", "sum"):
        out.append((f"(b) coverage {how} dense, weight chosen", two_signal(meaning, coverage, how)))
    out.append(("(b) coverage sum dense (whole paper only)", two_signal(meaning, coverage, "sum", lambda m: m.whole)))
    out.append(("(b) coverage sum dense (best sentence only)", two_signal(meaning, coverage, "sum", lambda m: m.part)))
    out.append(("(b) coverage sum (dense - corpus mean)", two_signal(meaning, coverage, "sum",
                                                                     lambda m: m.dense - m.background)))  # fmt: skip
    for t in (0.6, 0.7, 0.8):
        bridge = bridged(meaning, t, scaled=True)
        for how in ("max", "sum"):
            out.append((f"(a+b) bridged (tau {t:g}) {how} dense, weight chosen", two_signal(meaning, bridge, how)))
    joint = [(f"tau {t:g}, {lab}", sc) for t in (0.6, 0.7, 0.8)
             for lab, sc in two_signal(meaning, bridged(meaning, t, scaled=True), "sum")]  # fmt: skip
    out.append(("(a+b) bridged sum dense, tau and weight chosen", joint))
    excuse = [(f"tau {t:g}, {lab}", sc) for t in (0.6, 0.7, 0.8)
              for lab, sc in two_signal(meaning, excused(meaning, t), "sum")]  # fmt: skip
    out.append(("(a+b) bridged word leaves the weight, sum dense, tau and weight chosen", excuse))
    return out


def costs(meanings: Sequence[Meaning], starts: dict[str, tuple[float, float, int]], model_load: float) -> None:
    dense = [m.dense_ms for m in meanings]
    words = [m.words_ms for m in meanings]
    print("\nCPU per searched question (ms, one BLAS thread): the question embedded and its cosine with every "
          f"paper: median {statistics.median(dense):.1f}, p90 {np.quantile(dense, 0.9):.1f}, max {max(dense):.1f}; its "
          f"unknown words embedded and bridged: median {statistics.median(words):.1f}, p90 "
          f"{np.quantile(words, 0.9):.1f}, max {max(words):.1f}.")  # fmt: skip
    print(
        f"Start-up (CPU s): model load {model_load:.2f}; per corpus, embedding its terms cold / from the "
        "cache: " + "; ".join(f"{name} {n} terms {cold:.1f} / {warm:.2f}" for name, (cold, warm, n) in starts.items())
    )


def word_table(items: Sequence[Searched], meaning: MeaningOf) -> None:
    """Every dev question word no paper uses, with its nearest corpus term and their cosine: in-domain
    words should find a close term, out-of-scope field words should not."""
    rows = []
    for it in items:
        if it.fixed is None and it.query is not None:
            m = meaning(it)
            for u, k in enumerate(m.unknown):
                kind = "OOS" if it.out_of_scope else "in"
                rows.append(f"| {kind} | {it.corpus} | {it.query.asked[k]} | {m.nearest[u]} | {m.sims[u, 0]:.3f} |")
    table(
        "Question words no paper uses, nearest corpus term:",
        ["question", "corpus", "word", "nearest", "cosine"],
        sorted(rows),
    )


def shipped(settings: Settings, model: TextEncoder, folder: Path, sets: Sequence[tuple[str, Path]]) -> None:
    """The engine as it ships, against the engine with the semantic extra (its papers ordered by
    meaning too, bot.semantic.ordering), asked every question of `sets` through `Engine.ask`, per
    corpus and pooled; and the CPU per question of each."""
    glossary = load_glossary(settings.glossary)
    for set_name, path in sets:
        files = question_files(path)
        pooled: dict[str, list[Report]] = {}
        for name, file in files.items():
            corpus = load_corpus([CORPORA[name]])
            meaning = MeaningOrder(DenseReranker(corpus.papers, model, folder / f"{name}.npz"))
            engines = (("paperbot engine", Engine(corpus, settings, glossary)),
                       ("engine, ordered by meaning too (retrieval.semantic)",
                        Engine(corpus, settings, glossary, reorder=meaning)))  # fmt: skip
            questions = questions_for(file, corpus)
            reports = []
            for label, engine in engines:
                spent: list[float] = []
                with cpu(spent):
                    report = evaluate(questions, corpus, engine_responder(engine))
                reports.append((label, report))
                pooled.setdefault(label, []).append(report)
                print(f"{set_name} {name}, {label}: {1000 * spent[0] / len(questions):.1f} CPU ms per question")
            report_table(f"{name}, {set_name}", reports)
        report_table(f"all corpora pooled, {set_name}", [(n, Report.joined(rs)) for n, rs in pooled.items()])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", action="store_true",
                        help="only the engine as shipped, with and without the semantic extra, on dev")  # fmt: skip
    parser.add_argument("--heldout", action="store_true",
                        help="with --engine: held-out too (once, after the choice; never tuned on)")  # fmt: skip
    parser.add_argument("--words", action="store_true", help="list every unknown question word and its neighbour")
    parser.add_argument("--cache", type=Path, help="folder for the embedding caches (default: a temporary one)")
    args = parser.parse_args()
    if args.engine:
        with tempfile.TemporaryDirectory() as tmp:
            sets = SETS if args.heldout else SETS[:1]
            shipped(load_settings(None), load_model(), args.cache or Path(tmp), sets)
        return
    items = collect()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.cache or Path(tmp)
        load: list[float] = []
        with cpu(load):
            model = load_model()
        indexes = {it.corpus: it.index for it in items if it.index is not None}
        rerankers, terms, starts = {}, {}, {}
        for name, index in indexes.items():
            rerankers[name] = DenseReranker(index.papers, model, folder / f"{name}.npz")
            cold: list[float] = []
            with cpu(cold):
                CorpusTerms(index, model, None)
            CorpusTerms(index, model, folder / f"{name}-terms.npz")  # writes the cache, if missing
            with cpu(cold):
                terms[name] = CorpusTerms(index, model, folder / f"{name}-terms.npz")
            starts[name] = (cold[0], cold[1], len(terms[name].texts))
        meanings = {id(it): understand(it, terms[it.corpus], rerankers[it.corpus]) for it in items if it.fixed is None}

    def meaning(it: Searched) -> Meaning:
        return meanings[id(it)]

    n_out = sum(it.out_of_scope for it in items)
    print(f"Dev: {len(items)} questions ({len(items) - n_out} in-domain, {n_out} out of scope).")
    curves = Curves(items)
    rows = []
    for name, family in families(meaning):
        hind = [curves.best(family, cap) for cap in CAPS]
        loco = [curves.left_out(family, cap) for cap in CAPS[:2]]
        picks = ", ".join(sorted({h[0] for h in hind if h and h[0]}))
        rows.append(f"| {name} | " + " | ".join(cell(h[1] if h else None) for h in hind) + f" | {picks} | "
                    + " | ".join(cell(p) for p in loco) + " |")  # fmt: skip
    table(
        "OOS rejected / in-domain rejected / top-1. Hindsight: the best parameter and threshold on all of dev. "
        "Leave-one-corpus-out: each corpus at the parameter and threshold chosen on the other three.",
        [
            "score",
            *(f"hindsight <= {c:.1%}" for c in CAPS),
            "hindsight parameter",
            *(f"left out, chosen at <= {c:.1%}" for c in CAPS[:2]),
        ],
        rows,
    )
    costs(list(meanings.values()), starts, load[0])
    if args.words:
        word_table(items, meaning)


if __name__ == "__main__":
    main()
