"""The quality floor on our own question set: the right paper first, and nothing for the rest.

And the harness of the sets written from abstracts: the dev set runs on every corpus, the held-out
set computes (no figure of it is asserted: it is never tuned on).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.list_recall import LISTS, load_lists
from bot.benchmark import CORPORA, LAB, SETS, PlainTfidf, SetResult, in_lab, quality
from bot.core.corpus import load_corpus
from bot.core.engine import Engine
from bot.errors import CorpusError
from bot.evaluation import Outcome, engine_responder, evaluate, load_question_file, load_questions, questions_for, score
from bot.settings import Settings

QUESTIONS = Path(__file__).parent / "data" / "questions.yaml"
HENNING = Path(__file__).parent / "data" / "corpora" / "henning.yaml"


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


@pytest.fixture(scope="module")
def titled_sets(settings: Settings) -> list[SetResult]:
    """Dev and held-out, every corpus, every system; `quality` raises if an expected title matches no paper."""
    return quality(settings, sets=SETS, tuned=False)


def _of(results: list[SetResult], set_name: str) -> list[SetResult]:
    return [r for r in results if r.set == set_name]


def test_the_dev_set_runs_on_every_corpus_but_one_held_out_whole_and_every_figure_is_a_share(
    titled_sets: list[SetResult],
) -> None:
    dev = _of(titled_sets, "dev")
    # Steinmetz, the sixth field, has held-out questions only: nothing is tuned on it.
    assert sorted(r.corpus for r in dev) == sorted(set(CORPORA) - {"steinmetz"})
    for result in dev:
        for system, report in result.reports:
            s = score(report)
            assert s.n_in_scope > 0 and s.n_out_of_scope > 0, (result.corpus, system)
            shares = (s.top1, s.mrr, s.oos_rejected, s.in_domain_rejected, *(v for _, v in s.top1_by_kind))
            assert all(v is not None and 0.0 <= v <= 1.0 for v in shares), (result.corpus, system, s)


def test_the_engine_beats_or_ties_plain_tfidf_on_dev_top1_over_all_corpora(titled_sets: list[SetResult]) -> None:
    def right_first(system: str) -> int:
        reports = [dict(r.reports)[system] for r in _of(titled_sets, "dev")]
        return sum(o.reciprocal_rank == 1.0 for report in reports for o in report.in_scope())

    assert right_first("paperbot engine") >= right_first(PlainTfidf.name)


def test_every_set_is_asked_again_of_all_the_corpora_as_one_lab(titled_sets: list[SetResult]) -> None:
    for set_name, _ in SETS:
        (lab,) = _of(titled_sets, in_lab(set_name))
        assert lab.corpus == LAB
        asked = sum(len(dict(r.reports)["paperbot engine"].outcomes) for r in _of(titled_sets, set_name))
        for _, report in lab.reports:
            assert len(report.outcomes) == asked  # every corpus' questions, each expecting its own paper
    dev_lab = dict(_of(titled_sets, in_lab("dev"))[0].reports)["paperbot engine"]
    assert score(dev_lab).top1 is not None and score(dev_lab).top1 > 0.5  # the papers are found among all members'


def test_what_a_member_wrote_about_a_topic_is_answered_from_that_member_s_papers_only(
    titled_sets: list[SetResult],
) -> None:
    lab = load_corpus(list(CORPORA.values()))
    members = {p.id: p.members for p in lab.papers}
    (result,) = _of(titled_sets, in_lab("dev", member=True))  # the lab of all corpora
    outcomes = dict(result.reports)["paperbot engine"].outcomes
    assert len(outcomes) > 100
    for o in outcomes:
        surname = o.question.text.split()[2]  # "What did Reed write about ..."
        assert o.ranked, o.question.text
        assert all(any(m.endswith(surname) for m in members[pid]) for pid in o.ranked), (o.question.text, o.ranked)


def test_the_held_out_set_computes(titled_sets: list[SetResult]) -> None:
    held_out = _of(titled_sets, "held-out")
    assert held_out
    for result in held_out:
        for _, report in result.reports:
            score(report)  # computes; its figures are only reported, never asserted


def test_expected_titles_match_ignoring_case_punctuation_and_accents(tmp_path: Path) -> None:
    path = tmp_path / "set.yaml"
    path.write_text(
        'corpus: henning\nquestions:\n  - {q: "hypernetworks", kind: keyword,'
        ' expect: ["CONTINUAL learning, with hypernétworks!"]}\n',
        encoding="utf-8",
    )
    (question,) = questions_for(load_question_file(path), load_corpus([HENNING]))
    assert question.expect == ("continual-learning-hypernetworks",)


def test_an_expected_title_that_matches_no_paper_names_the_file_and_the_question(tmp_path: Path) -> None:
    path = tmp_path / "set.yaml"
    path.write_text(
        'corpus: henning\nquestions:\n  - {q: "gone", kind: keyword, expect: ["No such paper"]}\n',
        encoding="utf-8",
    )
    with pytest.raises(CorpusError, match=r"set\.yaml: questions\[1\] \('gone'\).*'No such paper'"):
        questions_for(load_question_file(path), load_corpus([HENNING]))


def test_the_list_questions_name_papers_of_their_corpora_and_a_wrong_id_is_named(tmp_path: Path) -> None:
    sets = {name: load_lists(LISTS / f"{name}.yaml") for name in ("dev", "heldout")}
    assert len(sets["dev"]) >= 30 and len(sets["heldout"]) >= 25
    assert {q.corpus for q in sets["dev"]}.isdisjoint({q.corpus for q in sets["heldout"]})
    bad = tmp_path / "lists.yaml"
    bad.write_text('- {corpus: meulemans, question: "rl papers", expect: [no-such-paper], also_ok: []}\n')
    with pytest.raises(ValueError, match=r"lists.yaml: question 1 \('rl papers'\): no paper \['no-such-paper'\]"):
        load_lists(bad)
