"""Scoring answers against a question set: top-1 accuracy, MRR and out-of-scope rejection.

Two file formats. The tuned set (tests/data/questions.yaml) names papers by arXiv id or paper id and
has no `corpus:` key. The sets written from abstracts (tests/data/dev, tests/data/heldout) say
`corpus: NAME` and name papers by exact title; titles are matched to the corpus ignoring case,
punctuation and accents.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from bot.core.engine import Engine
from bot.core.models import Answer, Corpus
from bot.core.text import tokens
from bot.errors import CorpusError

TOPIC_KINDS = ("keywords", "paraphrase", "abbreviation", "typo")
# Kinds of the sets written from abstracts; out-of-scope questions expect no paper.
OUT_OF_SCOPE = "out-of-scope"
TITLED_KINDS = ("keyword", "paraphrase", "one-word", "acronym", OUT_OF_SCOPE)


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
    tentative: bool = False  # the papers were offered as the closest, not as a match


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

    def in_scope(self) -> tuple[Outcome, ...]:
        """Outcomes of the questions that expect a paper."""
        return tuple(o for o in self.outcomes if o.question.expect)

    def out_of_scope(self) -> tuple[Outcome, ...]:
        """Outcomes of the questions whose right answer is no paper (profile questions are neither)."""
        return tuple(o for o in self.outcomes if not o.question.expect and o.question.fact is None)

    @staticmethod
    def joined(reports: Sequence[Report]) -> Report:
        """One report of every outcome of `reports`, pooled."""
        return Report(tuple(o for r in reports for o in r.outcomes))


def share(flags: Sequence[bool]) -> float | None:
    """The share of true flags; None when there are none to count."""
    return sum(flags) / len(flags) if flags else None


@dataclass(frozen=True)
class Scores:
    """A report's figures; a share is None when no question counts towards it."""

    top1: float | None  # in-scope questions whose first paper is expected
    mrr: float | None  # mean reciprocal rank of the first expected paper, in-scope questions
    oos_rejected: float | None  # out-of-scope questions that got no paper
    in_domain_rejected: float | None  # in-scope questions that got no paper at all
    oos_matched: float | None  # out-of-scope questions answered with a paper called a match
    in_domain_tentative: float | None  # in-scope questions answered with the closest papers only
    top1_by_kind: tuple[tuple[str, float], ...]  # top-1 per kind of in-scope question
    n: int
    n_in_scope: int
    n_out_of_scope: int


def score(report: Report) -> Scores:
    """The figures of one report, for the quality tables."""
    inside, outside = report.in_scope(), report.out_of_scope()
    rr = [o.reciprocal_rank for o in inside]
    return Scores(
        top1=share([o.reciprocal_rank == 1.0 for o in inside]),
        mrr=sum(rr) / len(rr) if rr else None,
        oos_rejected=share([not o.ranked for o in outside]),
        in_domain_rejected=share([not o.ranked for o in inside]),
        oos_matched=share([bool(o.ranked) and not o.tentative for o in outside]),
        in_domain_tentative=share([o.tentative for o in inside]),
        top1_by_kind=_top1_by_kind(inside),
        n=len(report.outcomes),
        n_in_scope=len(inside),
        n_out_of_scope=len(outside),
    )


def _top1_by_kind(outcomes: Sequence[Outcome]) -> tuple[tuple[str, float], ...]:
    """Top-1 per kind, the titled sets' kinds in their order first."""
    groups: dict[str, list[bool]] = {}
    for o in outcomes:
        groups.setdefault(o.question.kind, []).append(o.reciprocal_rank == 1.0)
    order = {kind: i for i, kind in enumerate(TITLED_KINDS)}
    kinds = sorted(groups, key=lambda kind: (order.get(kind, len(order)), kind))
    return tuple((kind, sum(groups[kind]) / len(groups[kind])) for kind in kinds)


@dataclass(frozen=True)
class QuestionFile:
    """A question file as written: `expect` holds titles when `corpus` is set, else paper keys."""

    path: Path
    corpus: str  # the corpus the questions are about; "" in the tuned set's format
    questions: tuple[Question, ...]


def load_questions(path: Path) -> tuple[Question, ...]:
    """The questions in `path`, either format, `expect` as written (ids, or titles)."""
    return load_question_file(path).questions


def load_question_file(path: Path) -> QuestionFile:
    """Read a question file of either format; errors name the file and the question."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        raise CorpusError(f"{path}: expected a mapping with a list `questions`")
    corpus = data.get("corpus", "")
    if not isinstance(corpus, str):
        raise CorpusError(f"{path}: corpus: expected a corpus name")
    out = []
    for i, item in enumerate(data["questions"], 1):
        if not isinstance(item, dict) or not isinstance(item.get("q"), str):
            raise CorpusError(f"{path}: questions[{i}]: expected a mapping with a string q")
        if not isinstance(item.get("expect") or [], list):
            raise CorpusError(f"{path}: questions[{i}]: expect: expected a list")
        question = _question(item)
        if corpus:
            _check_titled(path, i, question)
        out.append(question)
    return QuestionFile(path, corpus, tuple(out))


def _question(item: dict[str, Any]) -> Question:
    return Question(
        text=item["q"],
        kind=str(item.get("kind", "keywords")),
        expect=tuple(str(x) for x in item.get("expect", []) or []),
        all=bool(item.get("all", False)),
        fact=item.get("fact"),
        value=None if item.get("value") is None else str(item["value"]),
    )


def _check_titled(path: Path, i: int, q: Question) -> None:
    """A question of a titled set: a known kind, and papers expected unless it is out of scope."""
    where = f"{path}: questions[{i}] ({q.text!r})"
    if q.kind not in TITLED_KINDS:
        raise CorpusError(f"{where}: kind {q.kind!r} is not one of {', '.join(TITLED_KINDS)}")
    if (q.kind == OUT_OF_SCOPE) != (not q.expect):
        raise CorpusError(f"{where}: out-of-scope questions, and only they, expect no paper")


def title_key(title: str) -> str:
    """A title as matched: case, punctuation and accents ignored."""
    return " ".join(tokens(title))


def questions_for(file: QuestionFile, corpus: Corpus) -> tuple[Question, ...]:
    """The file's questions with expected titles replaced by paper ids; an unmatched title is an error."""
    if not file.corpus:
        return file.questions  # paper keys already; `evaluate` maps arXiv ids
    by_title: dict[str, list[str]] = {}
    for paper in corpus.papers:
        by_title.setdefault(title_key(paper.title), []).append(paper.id)
    out = []
    for i, q in enumerate(file.questions, 1):
        ids: list[str] = []
        for title in q.expect:
            if (found := by_title.get(title_key(title))) is None:
                raise CorpusError(
                    f"{file.path}: questions[{i}] ({q.text!r}): expected title {title!r} "
                    f"matches no paper of corpus {file.corpus!r}"
                )
            ids.extend(pid for pid in found if pid not in ids)
        out.append(replace(q, expect=tuple(ids)))
    return tuple(out)


def _keys(corpus: Corpus) -> dict[str, str]:
    """Any key a question set may use for a paper (arXiv id or paper id) -> paper id."""
    keys = {p.id: p.id for p in corpus.papers}
    keys.update({p.arxiv: p.id for p in corpus.papers if p.arxiv})
    return keys


def judge(question: Question, ranked: Sequence[str], answer: Answer | None, keys: dict[str, str]) -> Outcome:
    """Whether a ranked list of paper ids (and the answer's facts) answers `question` well."""
    outcome = _judge(question, ranked, answer, keys)
    return replace(outcome, tentative=True) if answer is not None and answer.tentative else outcome


def _judge(question: Question, ranked: Sequence[str], answer: Answer | None, keys: dict[str, str]) -> Outcome:
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
