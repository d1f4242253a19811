"""An admin edits the corpus while the bot runs: a good file is swapped in whole, a broken one changes nothing."""

from __future__ import annotations

import shutil
import threading
import time
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


def other_version(good: str) -> tuple[str, str]:
    """The corpus with COCOA retitled and its newest paper dropped (so every paper moves up one place)."""
    old = "title: Would I have gotten that reward? Long-term credit assignment by counterfactual contribution analysis"
    new = "title: COCOA, or counterfactual contribution analysis for long-term credit assignment"
    assert old in good
    head, _, rest = good.partition("\n  # facts:")  # the first paper's block starts at its comment
    _, _, after_first = rest.partition("\n\n  # facts:")
    return head + "\n  # facts:" + after_first.replace(old, new), new.removeprefix("title: ")


def test_questions_during_reloads_see_the_old_index_or_the_new_one_whole(site: Path) -> None:
    live = live_at(site)
    corpus = site / "corpus" / "alexander-meulemans.yaml"
    version_a = corpus.read_text(encoding="utf-8")
    version_b, title_b = other_version(version_a)
    title_a = live.current.ask("What is COCOA?").hits[0].paper.title
    broken = version_a.replace("abstract: >-", "abstract: ''", 1)
    errors: list[BaseException] = []
    seen: set[tuple[str, int]] = set()
    stop = threading.Event()

    def ask() -> None:
        while not stop.is_set():
            try:
                engine = live.current
                answer = engine.ask("What is COCOA?")
                top = answer.hits[0].paper
                # Whole: the answer's paper is this engine's own COCOA, whichever version it serves.
                assert top.arxiv == "2306.16803" and top in engine.corpus.papers
                assert top.title in (title_a, title_b)
                seen.add((top.title, len(engine.corpus.papers)))
            except BaseException as err:  # any failure in a reader is the test's failure
                errors.append(err)
                return

    readers = [threading.Thread(target=ask) for _ in range(4)]
    for t in readers:
        t.start()
    outcomes = []
    for text in [version_b, broken, version_a, broken, version_b, version_a]:
        corpus.write_text(text, encoding="utf-8")
        outcomes.append(live.reload().ok)
        time.sleep(0.05)  # let the readers ask this version
    stop.set()
    for t in readers:
        t.join()
    assert errors == []
    assert outcomes == [True, False, True, False, True, True]
    assert seen == {(title_a, 15), (title_b, 14)}, "both versions answered, each whole"
    assert live.generation == 4
