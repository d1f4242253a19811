"""Whatever is typed, the engine answers: property tests over arbitrary Unicode."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.engine import Engine
from bot.core.models import Answer
from bot.render.text import render_answer
from bot.settings import ReplySettings


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text())
def test_any_unicode_text_yields_an_answer(engine: Engine, question: str) -> None:
    answer = engine.ask(question)
    assert isinstance(answer, Answer)
    assert render_answer(answer, ReplySettings())
    assert all(h.summary or not h.paper.abstract for h in answer.hits)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=1, max_size=50), st.integers(min_value=1_000, max_value=100_000))
def test_huge_questions_up_to_100_kb_yield_an_answer(engine: Engine, chunk: str, size: int) -> None:
    question = (chunk * (size // len(chunk) + 1))[:size]
    assert isinstance(engine.ask(question), Answer)


def test_an_empty_question_and_a_100_kb_one(engine: Engine) -> None:
    assert engine.ask("").hits == ()
    big = engine.ask("credit assignment " * 6000)
    assert big.hits, "a long question about a real topic still finds papers"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text())
def test_lookups_for_front_ends_never_raise(engine: Engine, text: str) -> None:
    engine.find_paper(text)
    engine.match_coauthor(text)
    assert len(engine.complete_papers(text)) <= 25
    assert len(engine.complete_coauthors(text)) <= 25
