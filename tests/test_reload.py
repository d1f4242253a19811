"""An admin edits the corpus while the bot runs: a good file is swapped in whole, a broken one changes nothing."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.core.engine import Engine
from bot.live import LiveEngine

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    """A copy of the project's config and corpus that the test may break."""
    shutil.copytree(ROOT / "config", tmp_path / "config")
    shutil.copytree(ROOT / "corpus", tmp_path / "corpus")
    return tmp_path


def live_at(site: Path) -> LiveEngine:
    path = site / "config" / "config.yaml"
    settings = load_settings(path, env={})
    return LiveEngine(settings, Engine.from_settings(settings), path)


def test_a_broken_corpus_is_reported_with_file_and_field_and_the_old_index_keeps_answering(site: Path) -> None:
    live = live_at(site)
    before = live.current
    corpus = site / "corpus" / "alexander-meulemans.yaml"
    corpus.write_text(corpus.read_text(encoding="utf-8").replace("date: 2023-06-29", "date: 2023-13-45"), "utf-8")
    result = live.reload()
    assert not result.ok
    assert "alexander-meulemans.yaml" in result.message and "date" in result.message
    assert live.current is before
    assert live.current.ask("What is COCOA?").hits[0].paper.arxiv == "2306.16803"


def test_a_broken_config_changes_nothing(site: Path) -> None:
    live = live_at(site)
    before = live.current
    (site / "config" / "config.yaml").write_text("retrieval:\n  max_results: 99\n", encoding="utf-8")
    result = live.reload()
    assert not result.ok and "retrieval.max_results" in result.message
    assert live.current is before and live.generation == 0


def test_a_good_corpus_is_swapped_in(site: Path) -> None:
    live = live_at(site)
    corpus = site / "corpus" / "alexander-meulemans.yaml"
    text = corpus.read_text(encoding="utf-8")
    renamed = "title: Neural networks with late-phase weights"
    assert renamed in text
    corpus.write_text(text.replace(renamed, "title: Late-phase weights for neural networks"), encoding="utf-8")
    result = live.reload()
    assert result.ok, result.message
    assert live.generation == 1
    assert live.current.ask("late-phase weights").hits[0].paper.title == "Late-phase weights for neural networks"


def test_questions_during_reloads_always_see_a_whole_index(site: Path) -> None:
    live = live_at(site)
    corpus = site / "corpus" / "alexander-meulemans.yaml"
    good = corpus.read_text(encoding="utf-8")
    broken = good.replace("abstract: >-", "abstract: ''", 1)
    errors: list[BaseException] = []
    stop = threading.Event()

    def ask() -> None:
        while not stop.is_set():
            try:
                engine = live.current
                answer = engine.ask("What is COCOA?")
                assert answer.hits and answer.hits[0].paper.arxiv == "2306.16803"
                assert len(engine.corpus.papers) == len(engine.index.papers) == 15
            except BaseException as err:  # any failure in a reader is the test's failure
                errors.append(err)
                return

    readers = [threading.Thread(target=ask) for _ in range(4)]
    for t in readers:
        t.start()
    outcomes = []
    for i in range(6):
        corpus.write_text(broken if i % 2 else good, encoding="utf-8")
        outcomes.append(live.reload().ok)
    stop.set()
    for t in readers:
        t.join()
    assert errors == []
    assert outcomes == [True, False, True, False, True, False]
