"""Scoring answers against a question set: top-1 accuracy, MRR and out-of-scope rejection."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.core.engine import Engine
from bot.core.models import Answer, Corpus
from bot.errors import CorpusError

TOPIC_KINDS = ("keywords", "paraphrase", "abbreviation", "typo")


@dataclass(frozen=True)
class Question:
    text: str
    kind: str
    expect: tuple[str, ...]  # arXiv ids or paper ids; empty for out-of-scope
    all: bool = False  # the answer must list exactly `expect`
    fact: str | None = None
    value: str | None = None


@dataclass(frozen=True)
class Outcome:
    question: Question
    ranked: tuple[str, ...]  # paper ids returned, best first
    correct: bool
    reciprocal_rank: float
    why: str = ""


@dataclass(frozen=True)
class Report:
    outcomes: tuple[Outcome, ...]

    def of_kinds(self, kinds: Sequence[str]) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.question.kind in kinds)

    def top1(self, kinds: Sequence[str] | None = None) -> float:
        """Share of questions answered correctly (the right paper first, or rightly nothing)."""
        chosen = self.outcomes if kinds is None else self.of_kinds(kinds)
        return sum(o.correct for o in chosen) / len(chosen) if chosen else 0.0

    def mrr(self, kinds: Sequence[str] | None = None) -> float:
        """Mean reciprocal rank of the first acceptable paper, over questions that expect one."""
        chosen = [o for o in (self.outcomes if kinds is None else self.of_kinds(kinds)) if o.question.expect]
        return sum(o.reciprocal_rank for o in chosen) / len(chosen) if chosen else 0.0

    def failures(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if not o.correct)


def load_questions(path: Path) -> tuple[Question, ...]:
    """The question set in `path` (see tests/data/questions.yaml for the format)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = []
    for i, item in enumerate(data["questions"], 1):
        if not isinstance(item, dict) or not isinstance(item.get("q"), str):
            raise CorpusError(f"{path}: questions[{i}]: expected a mapping with a string q")
        out.append(
            Question(
                text=item["q"],
                kind=str(item.get("kind", "keywords")),
                expect=tuple(str(x) for x in item.get("expect", []) or []),
                all=bool(item.get("all", False)),
                fact=item.get("fact"),
                value=None if item.get("value") is None else str(item["value"]),
            )
        )
    return tuple(out)


def _keys(corpus: Corpus) -> dict[str, str]:
    """Any key a question set may use for a paper (arXiv id or paper id) -> paper id."""
    keys = {p.id: p.id for p in corpus.papers}
    keys.update({p.arxiv: p.id for p in corpus.papers if p.arxiv})
    return keys


def judge(question: Question, ranked: Sequence[str], answer: Answer | None, keys: dict[str, str]) -> Outcome:
    """Whether a ranked list of paper ids (and the answer's facts) answers `question` well."""
    ranked = tuple(ranked)
    if question.fact is not None:
        facts = dict(answer.facts) if answer else {}
        labels = {label for label, _ in facts.items()}
        ok = question.fact in labels and (question.value is None or facts[question.fact] == question.value)
        return Outcome(question, ranked, ok, 1.0 if ok else 0.0, "" if ok else f"facts: {facts}")
    expected = {keys.get(e, e) for e in question.expect}
    if not expected:
        ok = not ranked
        why = "" if ok else "returned papers for an out-of-scope question"
        return Outcome(question, ranked, ok, 0.0, why)
    rank = next((i for i, pid in enumerate(ranked, 1) if pid in expected), None)
    rr = 1.0 / rank if rank else 0.0
    if question.all:
        ok = set(ranked) == expected
        why = "" if ok else f"expected exactly {sorted(expected)}"
    else:
        ok = rank == 1
        why = "" if ok else f"expected one of {sorted(expected)} first"
    return Outcome(question, ranked, ok, rr, why)


# Answers one question: the ranked paper ids, and the full Answer where there is one.
Responder = Callable[[str], tuple[Sequence[str], Answer | None]]


def evaluate(questions: Sequence[Question], corpus: Corpus, answer: Responder) -> Report:
    """Run every question through `answer` (ranked paper ids, and the Answer if there is one)."""
    keys = _keys(corpus)
    outcomes = []
    for q in questions:
        ranked, ans = answer(q.text)
        outcomes.append(judge(q, ranked, ans, keys))
    return Report(tuple(outcomes))


def engine_responder(engine: Engine) -> Responder:
    """The engine as a `Responder`: ranked paper ids and the answer itself."""

    def answer(question: str) -> tuple[list[str], Answer | None]:
        a = engine.ask(question)
        return [h.paper.id for h in a.hits], a

    return answer
