"""Benchmarks that print figures: answer quality against baselines, latency, build time, memory."""

from __future__ import annotations

import datetime as dt
import gc
import random
import resource
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from bot.core.corpus import load_corpus
from bot.core.engine import Engine
from bot.core.glossary import load_glossary
from bot.core.models import Answer, Corpus, Paper
from bot.evaluation import TOPIC_KINDS, Question, Report, Responder, engine_responder, evaluate, load_questions
from bot.settings import Settings

QUESTIONS = Path(__file__).resolve().parent.parent / "tests" / "data" / "questions.yaml"


class PlainTfidf:
    """Baseline: scikit-learn's TfidfVectorizer with its defaults over title + abstract."""

    name = "plain TF-IDF (title+abstract)"

    def __init__(self, corpus: Corpus, k: int) -> None:
        self.ids = [p.id for p in corpus.papers]
        self.k = k
        self.vectorizer = TfidfVectorizer()
        self.matrix = self.vectorizer.fit_transform([f"{p.title} {p.abstract}" for p in corpus.papers])

    def __call__(self, question: str) -> tuple[list[str], Answer | None]:
        scores = (self.matrix @ self.vectorizer.transform([question]).T).toarray().ravel()
        order = [i for i in np.argsort(-scores, kind="stable")[: self.k] if scores[i] > 0]
        return [self.ids[i] for i in order], None


class Bm25:
    """Baseline: BM25 (the bm25s package) over title + abstract, English stopwords removed."""

    name = "BM25 (bm25s, title+abstract)"

    def __init__(self, corpus: Corpus, k: int) -> None:
        import bm25s  # a benchmark-only extra: the bot itself never needs it

        self.bm25s = bm25s
        self.ids = [p.id for p in corpus.papers]
        self.k = min(k, len(self.ids))
        self.retriever = bm25s.BM25()
        docs = [f"{p.title} {p.abstract}" for p in corpus.papers]
        self.retriever.index(bm25s.tokenize(docs, stopwords="en", show_progress=False), show_progress=False)

    def __call__(self, question: str) -> tuple[list[str], Answer | None]:
        tokens = self.bm25s.tokenize([question], stopwords="en", show_progress=False)
        if not tokens.vocab:
            return [], None
        results, scores = self.retriever.retrieve(tokens, k=self.k, show_progress=False)
        return [self.ids[int(i)] for i, s in zip(results[0], scores[0], strict=True) if s > 0], None


@dataclass(frozen=True)
class Latency:
    p50_ms: float
    p99_ms: float
    mean_ms: float
    count: int


def latency(answer: Callable[[str], object], questions: Sequence[Question], rounds: int) -> Latency:
    """Time every question `rounds` times, after one warm-up round."""
    for q in questions:
        answer(q.text)
    times: list[float] = []
    for _ in range(rounds):
        for q in questions:
            start = time.perf_counter()
            answer(q.text)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return Latency(
        p50_ms=statistics.median(times),
        p99_ms=times[min(len(times) - 1, int(len(times) * 0.99))],
        mean_ms=statistics.fmean(times),
        count=len(times),
    )


def peak_rss_mib() -> float:
    """The process' peak resident memory so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure_build(build: Callable[[], object]) -> tuple[object, float, float]:
    """Build something: it, the seconds taken, and how much it raised the process' peak memory (MiB).

    Not tracemalloc: tracing every allocation slows a large build several times over.
    """
    gc.collect()
    before = peak_rss_mib()
    start = time.perf_counter()
    built = build()
    seconds = time.perf_counter() - start
    return built, seconds, peak_rss_mib() - before


def synthetic_corpus(base: Corpus, size: int, seed: int = 7) -> Corpus:
    """`size` made-up papers with a realistic vocabulary, plus the real ones, for scale tests."""
    rng = random.Random(seed)
    real_words = sorted({w for p in base.papers for w in p.abstract.split()})
    syllables = ["ka", "ro", "mi", "tel", "van", "sor", "dil", "pex", "qua", "lin", "ber", "zo", "nu", "gra"]
    # A Zipf-like vocabulary: real words are common, 40,000 invented ones make the long tail.
    invented = ["".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(40_000)]
    vocab = real_words + invented
    weights = [1.0 / (rank + 10) for rank in range(len(vocab))]
    cum = list(np.cumsum(weights))
    people = [
        f"{rng.choice(syllables).title()}{rng.choice(syllables)} {rng.choice(invented).title()}" for _ in range(5000)
    ]
    papers = list(base.papers)
    start = dt.date(2000, 1, 1)
    for n in range(size):
        words = rng.choices(vocab, cum_weights=cum, k=rng.randint(90, 220))
        title = " ".join(rng.choices(vocab, cum_weights=cum, k=rng.randint(5, 12))).capitalize()
        sentences = [" ".join(words[i : i + 20]).capitalize() + "." for i in range(0, len(words), 20)]
        papers.append(
            Paper(
                id=f"synthetic-{n}",
                title=title,
                date=start + dt.timedelta(days=rng.randrange(9000)),
                category="cs.LG",
                organisation="",
                authors=tuple(rng.sample(people, rng.randint(1, 8))),
                authors_truncated=False,
                abstract=" ".join(sentences),
                url=f"https://example.org/synthetic/{n}",
            )
        )
    papers.sort(key=lambda p: p.date, reverse=True)
    return Corpus(base.members, tuple(papers), ("synthetic",))


def _report_line(name: str, report: Report, lat: Latency) -> str:
    return (
        f"| {name} | {report.top1(TOPIC_KINDS):.1%} | {report.mrr(TOPIC_KINDS):.3f} | {report.top1():.1%} "
        f"| {report.mrr():.3f} | {lat.p50_ms:.2f} | {lat.p99_ms:.2f} |"
    )


def run(settings: Settings, synthetic: int, rounds: int, out: Callable[[str], None] = print) -> None:
    """Print every figure of the benchmark as Markdown tables."""
    at_start = peak_rss_mib()
    questions = load_questions(QUESTIONS)
    glossary = load_glossary(settings.glossary)
    corpus = load_corpus(settings.corpus)
    built, build_s, build_mib = measure_build(lambda: Engine(corpus, settings, glossary))
    assert isinstance(built, Engine)
    engine = built
    k = settings.retrieval.max_results
    systems: list[tuple[str, Responder]] = [
        ("paperbot engine", engine_responder(engine)),
        (PlainTfidf.name, PlainTfidf(corpus, k)),
        (Bm25.name, Bm25(corpus, k)),
    ]
    topic_n = sum(q.kind in TOPIC_KINDS for q in questions)
    out(f"Questions: {len(questions)} ({topic_n} topic questions: keywords, paraphrases, abbreviations, typos)")
    out("")
    out("| system | top-1 (topic) | MRR (topic) | top-1 (all) | MRR (all) | p50 ms | p99 ms |")
    out("|---|---|---|---|---|---|---|")
    for name, responder in systems:
        report = evaluate(questions, corpus, responder)
        out(_report_line(name, report, latency(responder, questions, rounds)))
    out("")
    out(f"Process peak memory at start (Python, numpy, scikit-learn loaded): {at_start:.0f} MiB")
    out("| corpus | papers | index build s | peak memory added MiB | ask p50 ms | ask p99 ms |")
    out("|---|---|---|---|---|---|")
    lat = latency(engine.ask, questions, rounds)
    out(f"| shipped | {len(corpus.papers)} | {build_s:.3f} | {build_mib:.1f} | {lat.p50_ms:.2f} | {lat.p99_ms:.2f} |")
    if synthetic > 0:
        big = synthetic_corpus(corpus, synthetic)
        built, big_s, big_mib = measure_build(lambda: Engine(big, settings, glossary))
        assert isinstance(built, Engine)
        big_lat = latency(built.ask, questions, max(1, rounds // 4))
        out(
            f"| synthetic | {len(big.papers)} | {big_s:.2f} | {big_mib:.0f} | {big_lat.p50_ms:.2f} "
            f"| {big_lat.p99_ms:.2f} |"
        )
