"""Benchmarks that print figures: answer quality against baselines, latency, build time, memory."""

from __future__ import annotations

import datetime as dt
import gc
import random
import resource
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from bot.core.corpus import load_corpus
from bot.core.engine import Engine
from bot.core.glossary import Glossary, load_glossary
from bot.core.models import Answer, Corpus, Paper
from bot.errors import CorpusError
from bot.evaluation import (
    OUT_OF_SCOPE,
    TITLED_KINDS,
    TOPIC_KINDS,
    Question,
    QuestionFile,
    Report,
    Responder,
    Scores,
    engine_responder,
    evaluate,
    load_question_file,
    load_questions,
    questions_for,
    score,
)
from bot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"
QUESTIONS = DATA / "questions.yaml"  # the tuned set: the engine was tuned on it
TUNED = "tuned set"
TUNED_CORPUS = "meulemans"  # the corpus the tuned set is about
# The corpus files the question sets' `corpus:` names stand for.
CORPORA: dict[str, Path] = {
    "meulemans": ROOT / "corpus" / "alexander-meulemans.yaml",
    "reed": DATA / "corpora" / "reed.yaml",
    "morabito": DATA / "corpora" / "morabito.yaml",
    "henning": DATA / "corpora" / "henning.yaml",
    "mcglinn": DATA / "corpora" / "mcglinn.yaml",  # a fifth field: its held-out questions came before its dev ones
    "steinmetz": DATA / "corpora" / "steinmetz.yaml",  # a sixth, recorded at stop 28: held-out 2 questions only
}
# Corpora loaded together as one lab, each asked its members' questions too, since a lab's members
# share words (and papers) that one researcher's corpus does not: all six fields, and one field's
# two members who share two papers (Meulemans and Henning, the Grewe lab).
LAB = "all corpora"
LABS: dict[str, tuple[str, ...]] = {LAB: tuple(CORPORA), "meulemans and henning": ("meulemans", "henning")}
# The kinds of question that name a topic in a few words, which read as well after "What did Reed
# write about ...": a paraphrase is a sentence of its own.
MEMBER_KINDS = ("keyword", "one-word", "acronym")
# Question sets written from the abstracts alone: dev may be tuned on, held-out never. Held-out 2
# was written later by other writers, after held-out had been read many times, and read once.
SETS: tuple[tuple[str, Path], ...] = (
    ("dev", DATA / "dev"),
    ("held-out", DATA / "heldout"),
    ("held-out 2", DATA / "heldout2"),
)
BASELINES_REJECT = (
    "Baselines have no rejection threshold: they return no paper only when no question word scores "
    "in any paper (TF-IDF: no shared word; BM25: no shared word outside English stopwords)."
)


class PlainTfidf:
    """Baseline: scikit-learn's TfidfVectorizer with its defaults over title + abstract."""

    name = "plain TF-IDF (title+abstract)"

    def __init__(self, corpus: Corpus, k: int) -> None:
        self.ids = [p.id for p in corpus.papers]
        self.k = k
        # Imported here: the engine's own benchmark process must not carry scikit-learn and scipy.
        from sklearn.feature_extraction.text import TfidfVectorizer

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


def systems(corpus: Corpus, settings: Settings, glossary: Glossary) -> list[tuple[str, Responder]]:
    """The engine for `corpus` (the project's settings otherwise) and the baselines over the same papers."""
    k = settings.retrieval.max_results
    return [
        ("paperbot engine", engine_responder(Engine(corpus, settings, glossary))),
        (PlainTfidf.name, PlainTfidf(corpus, k)),
        (Bm25.name, Bm25(corpus, k)),
    ]


@dataclass(frozen=True)
class SetResult:
    """One question set on one corpus: every system's report, in the systems' order."""

    corpus: str
    set: str  # "tuned set", "dev", "held-out" or "held-out 2", or one of those asked of a lab (`in_lab`)
    reports: tuple[tuple[str, Report], ...]


def question_files(folder: Path) -> dict[str, QuestionFile]:
    """The question files in `folder` by the corpus they are about."""
    files: dict[str, QuestionFile] = {}
    for path in sorted(folder.glob("*.yaml")):
        file = load_question_file(path)
        if file.corpus not in CORPORA:
            raise CorpusError(f"{path}: corpus {file.corpus!r} is not one of {', '.join(CORPORA)}")
        if file.corpus in files:
            raise CorpusError(f"{path}: a second question file about corpus {file.corpus!r} in {folder}")
        files[file.corpus] = file
    return files


def quality(
    settings: Settings, sets: Sequence[tuple[str, Path]] = SETS, tuned: bool = True, lab: bool = True
) -> list[SetResult]:
    """Every system on every question set, corpus by corpus; the tuned set first on its corpus. With
    `lab`, then every set once more against each lab of LABS, its members' questions only."""
    glossary = load_glossary(settings.glossary)
    files = [(name, question_files(folder)) for name, folder in sets]
    results: list[SetResult] = []
    for corpus_name, path in CORPORA.items():
        corpus = load_corpus([path])
        chosen = [(TUNED, load_questions(QUESTIONS))] if tuned and corpus_name == TUNED_CORPUS else []
        chosen += [(name, questions_for(f[corpus_name], corpus)) for name, f in files if corpus_name in f]
        results += _evaluated(corpus_name, corpus, chosen, settings, glossary)
    for lab_name, members in LABS.items() if lab else ():
        corpus = load_corpus([CORPORA[m] for m in members], lab=lab_name)
        # One member per corpus file, in the files' order: each corpus' researcher by surname.
        surnames = {c: m.name.split()[-1] for c, m in zip(members, corpus.members, strict=True)}
        chosen = []
        for name, by_corpus in files:
            asked = {c: questions_for(file, corpus) for c, file in by_corpus.items() if c in members}
            chosen.append((in_lab(name, lab_name), tuple(q for qs in asked.values() for q in qs)))
            of_member = tuple(q for c, qs in asked.items() for q in _of_member(surnames[c], qs))
            chosen.append((in_lab(name, lab_name, member=True), of_member))
        results += _evaluated(lab_name, corpus, chosen, settings, glossary)
    return results


def in_lab(set_name: str, lab: str = LAB, member: bool = False) -> str:
    """The name of a question set asked of a lab of LABS; with `member`, its topic questions asked
    of one member's papers ("What did Reed write about haptics?")."""
    return f"{set_name}, {lab} as one lab{', of a member' if member else ''}"


def _of_member(surname: str, questions: Sequence[Question]) -> list[Question]:
    """The questions that name a topic in a few words, asked as what the researcher of that surname wrote about it."""
    return [
        replace(q, text=f"What did {surname} write about {q.text.rstrip('?')}?")
        for q in questions
        if q.expect and q.kind in MEMBER_KINDS
    ]


def _evaluated(
    corpus_name: str,
    corpus: Corpus,
    chosen: Sequence[tuple[str, Sequence[Question]]],
    settings: Settings,
    glossary: Glossary,
) -> list[SetResult]:
    answerers = systems(corpus, settings, glossary)
    return [
        SetResult(corpus_name, name, tuple((system, evaluate(qs, corpus, answer)) for system, answer in answerers))
        for name, qs in chosen
    ]


def pooled(results: Sequence[SetResult], set_name: str) -> list[tuple[str, Report]]:
    """Each system's reports on one set, all corpora together."""
    chosen = [r for r in results if r.set == set_name]
    if not chosen:
        return []
    names = [name for name, _ in chosen[0].reports]
    return [(name, Report.joined([dict(r.reports)[name] for r in chosen])) for name in names]


def _share(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def _scores_cells(s: Scores) -> str:
    mrr = "n/a" if s.mrr is None else f"{s.mrr:.3f}"
    return (
        f"{_share(s.top1)} | {mrr} | {_share(s.oos_rejected)} | {_share(s.in_domain_rejected)} "
        f"| {_share(s.oos_matched)} | {_share(s.in_domain_tentative)} "
        f"| {s.n} ({s.n_in_scope} in / {s.n_out_of_scope} out) |"
    )


QUALITY_HEADER = (
    "top-1 (in-scope) | MRR | OOS rejected | in-domain rejected | OOS called a match | in-domain only 'closest' | n |"
)


def quality_tables(results: Sequence[SetResult], out: Callable[[str], None] = print) -> None:
    """Print one table per corpus and set, then the sets pooled side by side, then top-1 per kind."""
    out("## Answer quality per corpus and question set")
    out("")
    out(
        "Tuned set: tests/data/questions.yaml (the engine was tuned on it). Dev: tests/data/dev (may be "
        "tuned on). Held-out: tests/data/heldout and, written later, tests/data/heldout2 (never tuned on). "
        "Top-1 and MRR count in-scope questions; "
        "OOS rejected is the share of out-of-scope questions given no paper; in-domain rejected is the "
        "share of in-scope questions given no paper at all. OOS called a match: out-of-scope questions "
        "given a paper as a match; in-domain only 'closest': in-scope questions whose papers were offered "
        "as the closest, not as a match (`retrieval.sure_confidence`). 'As one lab': the members' questions asked "
        "of their corpora loaded together as one lab's; there an out-of-scope question written for one field "
        "may fairly find another member's paper."
    )
    for result in results:
        out("")
        out(f"### {_titled(result.set, result.corpus)}")
        out("")
        out(f"| system | {QUALITY_HEADER}")
        out("|---|---|---|---|---|---|---|---|")
        for name, report in result.reports:
            out(f"| {name} | {_scores_cells(score(report))}")
        out("")
        out(BASELINES_REJECT)
    _pooled_tables(results, out)


def _pooled_tables(results: Sequence[SetResult], out: Callable[[str], None]) -> None:
    sets = list(dict.fromkeys(r.set for r in results))
    corpora = {s: ", ".join(r.corpus for r in results if r.set == s) for s in sets}
    out("")
    out("### All corpora pooled, side by side")
    out("")
    out(f"| set (corpora) | system | {QUALITY_HEADER}")
    out("|---|---|---|---|---|---|---|---|---|")
    for set_name in sets:
        for name, report in pooled(results, set_name):
            title = _titled(set_name, corpora[set_name], "{set} ({corpora})")
            out(f"| {title} | {name} | {_scores_cells(score(report))}")
    out("")
    out(BASELINES_REJECT)
    kinds = [k for k in TITLED_KINDS if k != OUT_OF_SCOPE]
    out("")
    out("### Top-1 per kind of question, all corpora pooled")
    out("")
    out(f"| set | system | {' | '.join(kinds)} |")
    out("|---|---|" + "---|" * len(kinds))
    for set_name in (s for s in sets if s != TUNED):
        for name, report in pooled(results, set_name):
            by_kind = dict(score(report).top1_by_kind)
            out(f"| {set_name} | {name} | {' | '.join(_share(by_kind.get(k)) for k in kinds)} |")


def _titled(set_name: str, corpora: str, form: str = "{corpora}, {set}") -> str:
    """A set's title with its corpora, unless its name already says them (a lab's sets do)."""
    return set_name if corpora in set_name else form.format(set=set_name, corpora=corpora)


def _report_line(name: str, report: Report, lat: Latency | None) -> str:
    timing = "" if lat is None else f" {lat.p50_ms:.2f} | {lat.p99_ms:.2f} |"
    return (
        f"| {name} | {report.top1(TOPIC_KINDS):.1%} | {report.mrr(TOPIC_KINDS):.3f} | {report.top1():.1%} "
        f"| {report.mrr():.3f} |{timing}"
    )


def speed(settings: Settings, rounds: int, out: Callable[[str], None] = print) -> None:
    """The tuned set's figures by kind with latency, index build time and memory; `rounds` 0: no timing."""
    at_start = peak_rss_mib()
    questions = load_questions(QUESTIONS)
    glossary = load_glossary(settings.glossary)
    corpus = load_corpus(settings.corpus)
    built, build_s, build_mib = measure_build(lambda: Engine(corpus, settings, glossary))
    assert isinstance(built, Engine)
    engine = built
    k = settings.retrieval.max_results
    answerers: list[tuple[str, Responder]] = [
        ("paperbot engine", engine_responder(engine)),
        (PlainTfidf.name, PlainTfidf(corpus, k)),
        (Bm25.name, Bm25(corpus, k)),
    ]
    topic_n = sum(q.kind in TOPIC_KINDS for q in questions)
    out(f"Questions: {len(questions)} ({topic_n} topic questions: keywords, paraphrases, abbreviations, typos)")
    out("")
    timing = " p50 ms | p99 ms |" if rounds else ""
    out(f"| system | top-1 (topic) | MRR (topic) | top-1 (all) | MRR (all) |{timing}")
    out("|---|---|---|---|---|" + ("---|---|" if rounds else ""))
    for name, responder in answerers:
        report = evaluate(questions, corpus, responder)
        out(_report_line(name, report, latency(responder, questions, rounds) if rounds else None))
    if not rounds:
        return
    out("")
    out(f"Process peak memory at start (Python, numpy, scikit-learn loaded): {at_start:.0f} MiB")
    out("| corpus | papers | index build s | peak memory added MiB | ask p50 ms | ask p99 ms |")
    out("|---|---|---|---|---|---|")
    lat = latency(engine.ask, questions, rounds)
    out(f"| shipped | {len(corpus.papers)} | {build_s:.3f} | {build_mib:.1f} | {lat.p50_ms:.2f} | {lat.p99_ms:.2f} |")
