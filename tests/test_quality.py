"""The quality floor on our own question set: the right paper first, and nothing for the rest."""

from __future__ import annotations

from pathlib import Path

from bot.core.engine import Engine
from bot.evaluation import Outcome, engine_responder, evaluate, load_questions

QUESTIONS = Path(__file__).parent / "data" / "questions.yaml"


def _show(failures: tuple[Outcome, ...]) -> str:
    return "\n".join(f"{o.question.kind}: {o.question.text!r} -> {list(o.ranked)[:3]} ({o.why})" for o in failures)


def test_the_question_set_covers_every_kind() -> None:
    questions = load_questions(QUESTIONS)
    kinds = {q.kind for q in questions}
    assert len(questions) >= 60
    assert {"keywords", "paraphrase", "abbreviation", "typo", "coauthor", "year", "profile", "out-of-scope"} <= kinds


def test_top1_is_at_least_90_percent_and_every_out_of_scope_question_is_rejected(engine: Engine) -> None:
    report = evaluate(load_questions(QUESTIONS), engine.corpus, engine_responder(engine))
    out_of_scope = [o for o in report.outcomes if o.question.kind == "out-of-scope"]
    assert out_of_scope and all(o.correct for o in out_of_scope), _show(tuple(o for o in out_of_scope if not o.correct))
    assert report.top1() >= 0.90, _show(report.failures())
