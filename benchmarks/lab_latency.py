"""What judging each paper among its own members' papers costs a lab's questions.
`python -m benchmarks.lab_latency [--rounds N] [--size N --members N]` (issue 11).

Two labs: the five test corpora loaded together (144 papers, every dev question), and a made-up one
of `--size` synthetic abstracts shared out among `--members` members, a tenth of them by two
(the tuned set's questions). Each question is searched with its papers judged among their members'
papers (as shipped) and among all the lab's papers (as before), the two alternated round by round
in one process, so both see the same machine. Plain TF-IDF and bm25s answer the same questions
over the same papers, in the same run, for scale.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TypeVar

from bot.benchmark import CORPORA, DATA, QUESTIONS, TUNED_CORPUS, Bm25, PlainTfidf, question_files, synthetic_corpus
from bot.config import load_settings
from bot.core.corpus import load_corpus
from bot.core.glossary import load_glossary
from bot.core.models import Corpus
from bot.core.search import Index
from bot.evaluation import load_questions, questions_for


def _shared_out(corpus: Corpus, members: int, seed: int = 3) -> Corpus:
    """`corpus` with its papers given to `members` made-up members, a tenth of them to two."""
    rng = random.Random(seed)
    names = [f"Member {i}" for i in range(members)]
    papers = tuple(
        replace(p, members=tuple(sorted(rng.sample(names, 2 if rng.random() < 0.1 else 1)))) for p in corpus.papers
    )
    return replace(corpus, papers=papers)


def _ms(times: list[float]) -> str:
    ordered = sorted(times)
    return f"{ordered[len(ordered) // 2]:.2f} | {ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]:.2f}"


T = TypeVar("T")


def _timed(run: Callable[[T], object], items: Sequence[T]) -> list[float]:
    out = []
    for item in items:
        start = time.perf_counter()
        run(item)
        out.append((time.perf_counter() - start) * 1e3)
    return out


def compare(name: str, corpus: Corpus, questions: Sequence[str], rounds: int) -> None:
    """Print one lab's rows: the index's search judged per member and lab-wide, and the baselines."""
    settings = load_settings(None)
    index = Index(corpus.papers, settings.retrieval, load_glossary(settings.glossary))
    read = [index._read(q) for q in questions]  # the question's analysis is cached in the bot too
    times: dict[bool, list[float]] = {True: [], False: []}
    for r in range(rounds):
        for per_member in (True, False) if r % 2 == 0 else (False, True):
            index.owners.several = per_member
            times[per_member] += _timed(lambda query: index._search(query, None), read)
    index.owners.several = True
    k = settings.retrieval.max_results
    baselines: list[tuple[str, Callable[[str], object]]] = [
        (PlainTfidf.name, PlainTfidf(corpus, k)),
        (Bm25.name, Bm25(corpus, k)),
    ]
    base_times = {label: [t for _ in range(rounds) for t in _timed(answer, questions)] for label, answer in baselines}
    print(f"| {name}, search judged per member (shipped) | {_ms(times[True])} |")
    print(f"| {name}, search judged among all the lab's papers | {_ms(times[False])} |")
    for label, ts in base_times.items():
        print(f"| {name}, {label} | {_ms(ts)} |")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6, help="rounds over the questions, alternating the two ways")
    parser.add_argument("--size", type=int, default=50_000, help="synthetic papers in the made-up lab (0: skip)")
    parser.add_argument("--members", type=int, default=20, help="members of the made-up lab")
    args = parser.parse_args(argv)
    print("| lab, what answers | p50 ms | p99 ms |")
    print("|---|---|---|")
    five = load_corpus(list(CORPORA.values()), lab="five fields")
    dev = [q.text for f in question_files(DATA / "dev").values() for q in questions_for(f, five)]
    compare(f"five corpora ({len(five.papers)} papers, {len(dev)} dev questions)", five, dev, args.rounds)
    if args.size:
        made_up = _shared_out(synthetic_corpus(load_corpus([CORPORA[TUNED_CORPUS]]), args.size), args.members)
        tuned = [q.text for q in load_questions(QUESTIONS)]
        compare(f"{len(made_up.papers):,} made-up papers, {args.members} members", made_up, tuned, args.rounds)


if __name__ == "__main__":
    main()
