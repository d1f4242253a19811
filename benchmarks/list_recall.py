"""How many of the right papers a list gives: `python -m benchmarks.list_recall [--heldout]` (issue 11).

A member who asks "which papers are about reinforcement learning?" wants every paper about it, and
few others. tests/data/lists/ holds such questions, written by a helper session from the corpus
files alone, each with every paper a reader would say is about the topic (`expect`) and those where
it is a minor part (`also_ok`). dev.yaml (Meulemans, Henning, Morabito) may be tuned on; heldout.yaml
(Reed, McGlinn) is read only to report, with `--heldout`.

Each question is asked as a first message, as the bot asks it, at several `retrieval.list_cutoff`
values (0.6 is `relative_cutoff`, how questions in the plural were answered before the setting), and
at the shipped cutoff with every paper held to `min_confidence` (before `list_confidence`).
Plain TF-IDF and bm25s list their best papers, as many as paperbot lists at the shipped cutoff, so
their lists are compared at the same length. Per set and corpus: recall (the share of expected papers
listed, averaged over questions), how many questions got every expected paper, precision (the share
of listed papers that are expected or also fine) and the papers listed per question.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.benchmark import CORPORA, DATA, Bm25, PlainTfidf
from bot.config import load_settings
from bot.core.conversation import Conversation
from bot.core.corpus import load_corpus
from bot.core.engine import Engine
from bot.core.followups import converse
from bot.core.glossary import load_glossary
from bot.settings import Settings

LISTS = DATA / "lists"
CUTOFFS = (0.6, 0.45, 0.3, 0.2, 0.1)
HEADER = "| recall | all listed | precision | listed |\n|---|---|---|---|---|"


@dataclass(frozen=True)
class ListQuestion:
    corpus: str
    text: str
    expect: frozenset[str]
    also_ok: frozenset[str]


@dataclass(frozen=True)
class ListScore:
    recall: float
    complete: int  # questions that got every expected paper
    precision: float
    listed: float  # papers listed per question
    asked: int


def load_lists(path: Path) -> tuple[ListQuestion, ...]:
    """The list questions of one file, checked against their corpora's papers."""
    out = []
    for i, item in enumerate(yaml.safe_load(path.read_text(encoding="utf-8"))):
        q = ListQuestion(item["corpus"], item["question"], frozenset(item["expect"]), frozenset(item["also_ok"]))
        ids = {p.id for p in load_corpus([CORPORA[q.corpus]]).papers}
        if unknown := (q.expect | q.also_ok) - ids:
            raise ValueError(f"{path}: question {i + 1} ({q.text!r}): no paper {sorted(unknown)} in {q.corpus}")
        out.append(q)
    return tuple(out)


def scored(questions: Sequence[ListQuestion], lists: dict[str, list[str]]) -> ListScore:
    """Recall, complete lists, precision and length of the lists given (question -> paper ids)."""
    recalls: list[float] = []
    precisions: list[float] = []
    lengths: list[int] = []
    complete = 0
    for q in questions:
        got = lists[q.text]
        found = len(q.expect & set(got))
        recalls.append(found / len(q.expect))
        complete += found == len(q.expect)
        if got:
            precisions.append(len((q.expect | q.also_ok) & set(got)) / len(got))
        lengths.append(len(got))
    precision = statistics.mean(precisions) if precisions else 0.0
    return ListScore(statistics.mean(recalls), complete, precision, statistics.mean(lengths), len(questions))


def with_cutoff(settings: Settings, cutoff: float, confidence: float | None = None) -> Settings:
    """`settings` with another list_cutoff (and list_confidence, when given)."""
    r = dataclasses.replace(settings.retrieval, list_cutoff=cutoff)
    if confidence is not None:
        r = dataclasses.replace(r, list_confidence=confidence)
    return dataclasses.replace(settings, retrieval=r)


def report(set_name: str, questions: Sequence[ListQuestion], settings: Settings) -> None:
    """One table per corpus of the set, then the set pooled."""
    glossary = load_glossary(settings.glossary)
    print(f"\n{set_name}: recall / every expected paper listed / precision / papers listed per question")
    pooled: dict[str, list[ListScore]] = {}
    for name in dict.fromkeys(q.corpus for q in questions):
        asked = [q for q in questions if q.corpus == name]
        corpus = load_corpus([CORPORA[name]])
        r = settings.retrieval
        cutoffs = dict.fromkeys((*CUTOFFS, r.list_cutoff))
        variants = {f"paperbot, list_cutoff {c}": with_cutoff(settings, c) for c in cutoffs}
        # Before list_confidence: every paper of a list needed min_confidence.
        variants[f"paperbot, list_cutoff {r.list_cutoff}, every paper at min_confidence"] = with_cutoff(
            settings, r.list_cutoff, r.min_confidence
        )
        lists = {label: _engine_lists(Engine(corpus, s, glossary), asked) for label, s in variants.items()}
        shipped = lists[f"paperbot, list_cutoff {r.list_cutoff}"]
        for label, baseline in (("plain TF-IDF", PlainTfidf(corpus, 25)), ("bm25s", Bm25(corpus, 25))):
            lists[f"{label}, as many"] = {q.text: baseline(q.text)[0][: len(shipped[q.text])] for q in asked}
        print(f"\n| {name} ({len(asked)} questions) {HEADER}")
        for label, got in lists.items():
            s = scored(asked, got)
            pooled.setdefault(label, []).append(s)
            print(f"| {label} | {s.recall:.1%} | {s.complete} of {s.asked} | {s.precision:.1%} | {s.listed:.1f} |")
    print(f"\n| {set_name}, pooled {HEADER}")
    for label, scores in pooled.items():
        n = sum(s.asked for s in scores)
        recall, precision, listed = (sum(getattr(s, f) * s.asked for s in scores) / n
                                     for f in ("recall", "precision", "listed"))  # fmt: skip
        print(f"| {label} | {recall:.1%} | {sum(s.complete for s in scores)} of {n} | {precision:.1%} | {listed:.1f} |")


def _engine_lists(engine: Engine, questions: Sequence[ListQuestion]) -> dict[str, list[str]]:
    """The papers the bot lists for each question, asked as a first message."""
    return {q.text: [h.paper.id for h in converse(engine, q.text, Conversation()).answer.hits] for q in questions}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heldout", action="store_true", help="also the held-out lists (only to report)")
    args = parser.parse_args(argv)
    settings = load_settings()
    report("dev", load_lists(LISTS / "dev.yaml"), settings)
    if args.heldout:
        report("held-out", load_lists(LISTS / "heldout.yaml"), settings)


if __name__ == "__main__":
    main()
