"""Does all-MiniLM-L6-v2 help the engine? `python -m benchmarks.semantic_fusion` (needs the semantic extra).

For every corpus of bot.benchmark.CORPORA and its dev questions (tests/data/dev): the engine as it is,
plain TF-IDF and BM25 (the baselines, same run), the dense model alone, and the engine's candidates
re-ranked by fusing its TF-IDF scores with the dense ones. Then whether the best cosine separates
out-of-scope questions, the cost per question, and the start-up cost (model load, corpus embedding,
memory). `--heldout` adds the held-out figures, pooled and per corpus, for the configuration chosen
on dev; never per question.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bot.benchmark import CORPORA, SETS, latency, measure_build, peak_rss_mib, question_files, systems
from bot.config import load_settings
from bot.core.corpus import load_corpus
from bot.core.engine import MAX_QUESTION_CHARS, Engine
from bot.core.glossary import load_glossary
from bot.core.models import Answer, Corpus, Intent
from bot.core.text import clean_question
from bot.evaluation import OUT_OF_SCOPE, Question, Report, Responder, evaluate, questions_for, score
from bot.semantic.reranker import DenseReranker, TextEncoder, fuse, load_model
from bot.settings import Settings

CANDIDATES = 20  # the engine's best papers that fusion re-orders
RRF_K = 60  # reciprocal rank fusion's usual constant
ALPHAS = (0.25, 0.5, 0.75)  # weight of the dense score in the convex fusion
# The fusion chosen on dev, and the only dense systems the held-out set is run on (with the engine
# and the baselines), so that no choice is ever made on held-out figures.
CHOSEN = ("dense alone (mean of both)", "engine + dense convex a=0.5 (mean)")

Floats = np.ndarray[Any, np.dtype[np.float32]]
DenseScores = Callable[[DenseReranker, str], Floats]


def whole(r: DenseReranker, q: str) -> Floats:
    return r.whole_scores(r.question(q))


def parts(r: DenseReranker, q: str) -> Floats:
    return r.part_scores(r.question(q))


def mean(r: DenseReranker, q: str) -> Floats:
    return r.scores(q)


DENSE: dict[str, DenseScores] = {"whole paper": whole, "best sentence": parts, "mean of both": mean}


def dense_alone(reranker: DenseReranker, how: DenseScores, k: int) -> Responder:
    """Papers by cosine alone, the best `k`; never rejects."""

    def answer(question: str) -> tuple[list[str], Answer | None]:
        s = how(reranker, question)
        return [reranker.papers[i].id for i in np.argsort(-s, kind="stable")[:k]], None

    return answer


def fused(engine: Engine, reranker: DenseReranker, how: DenseScores, combine: str, alpha: float = 0.5) -> Responder:
    """The engine's answer, its topic hits re-ordered: the engine's best CANDIDATES papers by TF-IDF,
    fused with the dense scores, the best `max_results` of them. The engine still decides whether
    to answer at all (its rejection is untouched)."""
    k = engine.settings.retrieval.max_results

    def answer(question: str) -> tuple[list[str], Answer | None]:
        a = engine.ask(question)
        hits = [h.paper.id for h in a.hits]
        if a.intent is not Intent.TOPIC or not hits:
            return hits, a
        text = clean_question(question[: MAX_QUESTION_CHARS * 2])[:MAX_QUESTION_CHARS]
        matches = engine.index.search(engine.reader.read(text).topic or text)[:CANDIDATES]
        positions = np.array([m.position for m in matches])
        lexical = np.array([m.score for m in matches], dtype=np.float32)
        dense = how(reranker, question)[positions]
        mixed: np.ndarray[Any, Any]
        if combine == "rrf":
            dense_rank = np.argsort(np.argsort(-dense, kind="stable"), kind="stable")
            mixed = 1 / (RRF_K + 1 + np.arange(len(matches))) + 1 / (RRF_K + 1 + dense_rank)
        else:
            mixed = fuse(lexical, dense, alpha)
        order = np.argsort(-mixed, kind="stable")
        return [reranker.papers[positions[i]].id for i in order[:k]], a

    return answer


@dataclass(frozen=True)
class CorpusRun:
    name: str
    corpus: Corpus
    engine: Engine
    reranker: DenseReranker
    embed_s: float
    embed_cpu_s: float  # CPU time: what the embedding costs whatever else the machine runs
    embed_mib: float
    texts: int


def build(name: str, settings: Settings, model: TextEncoder, cache: Path) -> CorpusRun:
    corpus = load_corpus([CORPORA[name]])
    engine = Engine(corpus, settings, load_glossary(settings.glossary))
    cpu = time.process_time()
    built, seconds, mib = measure_build(lambda: DenseReranker(corpus.papers, model, cache / f"{name}.npz"))
    assert isinstance(built, DenseReranker)
    cpu = time.process_time() - cpu
    return CorpusRun(name, corpus, engine, built, seconds, cpu, mib, len(built.whole) + len(built.parts))


def responders(run: CorpusRun, settings: Settings) -> list[tuple[str, Responder]]:
    """Every system compared: the engine and the baselines, dense alone, and the fusions."""
    k = settings.retrieval.max_results
    out = systems(run.corpus, settings, load_glossary(settings.glossary))
    out += [(f"dense alone ({label})", dense_alone(run.reranker, how, k)) for label, how in DENSE.items()]
    for label, how in DENSE.items():
        out.append((f"engine + dense RRF ({label})", fused(run.engine, run.reranker, how, "rrf")))
    for alpha in ALPHAS:
        out.append((f"engine + dense convex a={alpha} (mean)", fused(run.engine, run.reranker, mean, "convex", alpha)))
    return out


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.1%}"


def table(title: str, reports: Sequence[tuple[str, Report]]) -> None:
    print(f"\n### {title}\n")
    print("| system | top-1 (in-scope) | MRR | OOS rejected | in-domain rejected | n in / out |")
    print("|---|---|---|---|---|---|")
    for name, report in reports:
        s = score(report)
        mrr = "n/a" if s.mrr is None else f"{s.mrr:.3f}"
        print(f"| {name} | {_pct(s.top1)} | {mrr} | {_pct(s.oos_rejected)} | {_pct(s.in_domain_rejected)} "
              f"| {s.n_in_scope} / {s.n_out_of_scope} |")  # fmt: skip


def quality(runs: Sequence[CorpusRun], settings: Settings, set_name: str, folder: Path, every: bool = True) -> None:
    """Per corpus and pooled tables of every system on one question set (`every` False: the engine,
    the baselines and the CHOSEN dense systems only)."""
    files = question_files(folder)
    pooled: dict[str, list[Report]] = {}
    for run in runs:
        if run.name not in files:
            continue
        questions = questions_for(files[run.name], run.corpus)
        chosen = [(n, r) for n, r in responders(run, settings) if every or "dense" not in n or n in CHOSEN]
        reports = [(name, evaluate(questions, run.corpus, r)) for name, r in chosen]
        for name, report in reports:
            pooled.setdefault(name, []).append(report)
        table(f"{run.name}, {set_name}", reports)
    table(f"all corpora pooled, {set_name}", [(n, Report.joined(rs)) for n, rs in pooled.items()])


def _spread(values: Sequence[float]) -> str:
    if not values:
        return "n/a"
    return f"{min(values):.3f} / {statistics.median(values):.3f} / {max(values):.3f}"


def separation(runs: Sequence[CorpusRun], folder: Path) -> None:
    """Does the dense best cosine tell in-scope from out-of-scope questions? Dev questions only."""
    files = question_files(folder)
    print("\n### Best cosine (mean of both) per question: in-scope against out-of-scope, dev\n")
    print(
        "| corpus | in-scope min / median / max | out-of-scope min / median / max | in-scope above every OOS "
        "| OOS the engine answers, below every in-scope | in-scope the engine rejects, above every OOS |"
    )
    print("|---|---|---|---|---|---|")
    for run in runs:
        if run.name not in files:
            continue
        questions: Sequence[Question] = questions_for(files[run.name], run.corpus)
        best = {q.text: float(run.reranker.scores(q.text).max()) for q in questions}
        inside = [best[q.text] for q in questions if q.kind != OUT_OF_SCOPE]
        outside = [best[q.text] for q in questions if q.kind == OUT_OF_SCOPE]
        ceiling = max(outside, default=-1.0)
        floor = min(inside, default=2.0)
        answered = [best[q.text] for q in questions if q.kind == OUT_OF_SCOPE and run.engine.ask(q.text).hits]
        rejected = [best[q.text] for q in questions if q.kind != OUT_OF_SCOPE and not run.engine.ask(q.text).hits]
        print(f"| {run.name} | {_spread(inside)} | {_spread(outside)} | {sum(v > ceiling for v in inside)} of "
              f"{len(inside)} | {sum(v < floor for v in answered)} of {len(answered)} "
              f"| {sum(v > ceiling for v in rejected)} of {len(rejected)} |")  # fmt: skip


def cpu_ms(call: Callable[[str], object], questions: Sequence[Question]) -> list[float]:
    """CPU time per question, once each (BLAS runs on one thread: CPU time is the cost on an idle core)."""
    out = []
    for q in questions:
        start = time.process_time()
        call(q.text)
        out.append((time.process_time() - start) * 1000)
    return out


def timing(runs: Sequence[CorpusRun], settings: Settings, folder: Path, rounds: int) -> None:
    """Per-question latency of the engine alone, the dense score alone, and the chosen fusion."""
    files = question_files(folder)
    questions = [q for run in runs if run.name in files for q in questions_for(files[run.name], run.corpus)]
    print(f"\n### Per-question latency, dev questions ({len(questions)}), {rounds} rounds\n")
    print("| corpus | system | p50 ms | p99 ms | CPU ms median | CPU ms max |")
    print("|---|---|---|---|---|---|")
    for run in runs:
        if run.name not in files:
            continue
        qs = questions_for(files[run.name], run.corpus)
        chosen: list[tuple[str, Callable[[str], object]]] = [
            ("engine alone", run.engine.ask),
            ("dense scores alone (encode + cosines)", run.reranker.scores),
            (CHOSEN[1], fused(run.engine, run.reranker, mean, "convex", 0.5)),
        ]
        for name, call in chosen:
            lat = latency(call, qs, rounds)
            cpu = cpu_ms(call, qs)
            print(f"| {run.name} | {name} | {lat.p50_ms:.2f} | {lat.p99_ms:.2f} | {statistics.median(cpu):.2f} "
                  f"| {max(cpu):.2f} |")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5, help="times each question is timed")
    parser.add_argument("--heldout", action="store_true", help="also the held-out figures (pooled and per corpus)")
    args = parser.parse_args()
    settings = load_settings()
    dev = dict(SETS)["dev"]
    at_start = peak_rss_mib()
    start = time.perf_counter()
    encoder = load_model()
    load_s, load_mib = time.perf_counter() - start, peak_rss_mib() - at_start
    print("## Dense re-ranking with all-MiniLM-L6-v2 (numpy forward pass)\n")
    print(f"Peak memory before the model: {at_start:.0f} MiB. Model load: {load_s:.2f} s, +{load_mib:.0f} MiB peak.")
    with tempfile.TemporaryDirectory() as cache:
        runs = [build(name, settings, encoder, Path(cache)) for name in CORPORA]
        start = time.perf_counter()
        for r in runs:
            DenseReranker(r.corpus.papers, encoder, Path(cache) / f"{r.name}.npz")
        warm = time.perf_counter() - start
    print("\n| corpus | papers | texts embedded | cold embedding s (CPU s) | CPU ms per text | peak memory added MiB |")
    print("|---|---|---|---|---|---|")
    for r in runs:
        print(f"| {r.name} | {len(r.corpus.papers)} | {r.texts} | {r.embed_s:.2f} ({r.embed_cpu_s:.2f}) "
              f"| {1000 * r.embed_cpu_s / r.texts:.1f} | {r.embed_mib:.0f} |")  # fmt: skip
    print(f"\nAll four corpora again from their warm caches: {warm:.2f} s. "
          f"Peak memory after everything: {peak_rss_mib():.0f} MiB.")  # fmt: skip
    quality(runs, settings, "dev", dev)
    separation(runs, dev)
    timing(runs, settings, dev, args.rounds)
    if args.heldout:
        quality(runs, settings, "held-out", dict(SETS)["held-out"], every=False)


if __name__ == "__main__":
    main()
