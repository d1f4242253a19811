"""A restart answers from the corpus and index saved in the data folder; a stale or damaged copy is
rebuilt from the YAML, never trusted."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from bot.config import load_settings
from bot.core import engine as engine_module
from bot.core import saved_papers, snapshot
from bot.core.corpus import load_corpus
from bot.core.engine import Engine
from bot.core.intents import ReaderTables
from bot.core.models import Answer, Corpus
from bot.core.prepared import Prepared
from bot.core.snapshot import ABANDONED_AFTER_S, Snapshot
from bot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus" / "alexander-meulemans.yaml"
COCOA = "Would I have gotten that reward? Long-term credit assignment by counterfactual contribution analysis"
TOPIC = "long-term credit assignment by counterfactual contributions"  # found by the index, not by a name


def lab(tmp_path: Path, data_dir: str = "data") -> Settings:
    """A lab folder: its config, its corpus file (a copy of the shipped one) and its data folder."""
    (tmp_path / "corpus").mkdir()
    shutil.copy(CORPUS, tmp_path / "corpus" / "member.yaml")
    shutil.copy(ROOT / "config" / "glossary.yaml", tmp_path / "glossary.yaml")
    config = tmp_path / "config.yaml"
    config.write_text(f"corpus: [corpus/member.yaml]\nglossary: glossary.yaml\ndata_dir: {data_dir}\n")
    return load_settings(config, env={})


def first_title(engine: Engine, question: str) -> str:
    answer = engine.ask(question)
    return answer.hits[0].paper.title if answer.hits else ""


def saved_file(settings: Settings) -> Path:
    snapshot = Snapshot.of(settings)
    assert snapshot is not None
    return snapshot.path


# Questions of every kind a member asks: topics, names, people, years, venues, lists, help.
QUESTIONS = [
    "What is COCOA?",
    TOPIC,
    "reinforcment lerning with hindsight",
    "papers from 2023",
    "Which papers are with Joao Sacramento?",
    "Who are the most frequent coauthors?",
    "papers at NeurIPS",
    "papers with code",
    "What is the newest paper?",
    "his first paper",
    "help",
]


def seen(answer: Answer) -> Answer:
    """What a person sees of an answer: everything but how long it took."""
    return replace(answer, took_ms=0.0)


def test_ask_restart_and_ask_again_gets_the_same_answers(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    settings = lab(tmp_path)
    with caplog.at_level(logging.DEBUG, logger="bot.core.snapshot"):
        first = Engine.from_settings(settings)
    assert "building it from the corpus files" in caplog.text  # the first start says why it takes a while
    before = [seen(first.ask(q)) for q in QUESTIONS]
    assert all(a.found for a in before[:-1])

    restarted = Engine.from_settings(settings)
    assert [seen(restarted.ask(q)) for q in QUESTIONS] == before
    assert restarted.suggestions == first.suggestions
    assert restarted.complete_papers("coc") == first.complete_papers("coc")
    assert restarted.coauthor_counts() == first.coauthor_counts()


def test_the_terminal_prints_the_same_reply_after_a_restart(tmp_path: Path) -> None:
    settings = lab(tmp_path)
    config = tmp_path / "config.yaml"

    def ask(question: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "bot", "--config", str(config), "ask", question],
            capture_output=True, text=True, cwd=ROOT, timeout=60, check=False,
            env={k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "DISCORD_"))},
        )  # fmt: skip
        assert done.returncode == 0 and not done.stderr, done.stderr
        return done.stdout

    first = ask("What is COCOA?")
    assert COCOA.split("?")[0] in first
    saved = saved_file(settings).stat().st_ino
    assert ask("What is COCOA?") == first
    assert saved_file(settings).stat().st_ino == saved  # read back, not built and saved again


def test_a_restart_answers_without_reading_the_corpus_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = lab(tmp_path)
    assert first_title(Engine.from_settings(settings), "What is COCOA?") == COCOA
    assert saved_file(settings).is_file()

    def no_yaml(*args: object, **kwargs: object) -> None:
        raise AssertionError("the corpus YAML was read, or its tables drawn again, although the saved copy is current")

    monkeypatch.setattr(engine_module, "load_corpus", no_yaml)
    monkeypatch.setattr(engine_module, "mine_acronyms", no_yaml)
    monkeypatch.setattr(engine_module, "coauthor_counts", no_yaml)
    monkeypatch.setattr(ReaderTables, "of", no_yaml)
    restarted = Engine.from_settings(settings)
    assert first_title(restarted, "What is COCOA?") == first_title(restarted, TOPIC) == COCOA
    assert first_title(restarted, "reinforcment lerning with hindsight") != ""  # typos: the spelling index came back
    assert restarted.ask("papers from 2023").hits
    assert restarted.corpus == load_corpus(settings.corpus)  # every field of every paper and member came back


DAMAGES = [
    "flipped bytes", "cut short", "contents changed, digest not", "a paper changed", "papers cut short",
    "papers flipped", "papers missing", "papers empty",
]  # fmt: skip


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_damaged_saved_index_is_rebuilt(tmp_path: Path, damage: str, caplog: pytest.LogCaptureFixture) -> None:
    settings = lab(tmp_path)
    Engine.from_settings(settings)
    path = saved_file(settings)
    papers = path.with_suffix(".papers")
    raw = bytearray(path.read_bytes())
    saved = bytearray(papers.read_bytes())
    if damage == "flipped bytes":
        for at in range(len(raw) // 3, len(raw) // 3 + 200):
            raw[at] ^= 0x5A
        path.write_bytes(bytes(raw))
    elif damage == "cut short":
        path.write_bytes(bytes(raw[: len(raw) // 2]))
    elif damage == "a paper changed":  # the saved papers edited by hand, the title's length kept
        papers.write_bytes(bytes(saved).replace(COCOA.encode(), b"Something else".ljust(len(COCOA.encode()))))
    elif damage == "papers cut short":  # the disk filled up, say
        papers.write_bytes(bytes(saved[: len(saved) // 2]))
    elif damage == "papers flipped":
        for at in range(len(saved) // 2, len(saved) // 2 + 64):
            saved[at] ^= 0x5A
        papers.write_bytes(bytes(saved))
    elif damage == "papers missing":
        papers.unlink()
    elif damage == "papers empty":
        papers.write_bytes(b"")
    else:  # a well-formed file whose postings point at the wrong papers
        with np.load(path) as saved:
            arrays = {name: saved[name] for name in saved.files}
        arrays["docs"] = arrays["docs"][::-1].copy()
        np.savez(path, **arrays)  # type: ignore[arg-type]

    with caplog.at_level(logging.WARNING, logger="bot.core.snapshot"):
        assert first_title(Engine.from_settings(settings), TOPIC) == COCOA
    assert f"not using the saved index {path}" in caplog.text and "building it again" in caplog.text
    snapshot = Snapshot.of(settings)
    assert snapshot is not None and snapshot.load() is not None  # rebuilt and saved again, whole


def test_a_changed_corpus_is_rebuilt(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    settings = lab(tmp_path)
    Engine.from_settings(settings)
    first = saved_file(settings)
    corpus = tmp_path / "corpus" / "member.yaml"
    corpus.write_text(corpus.read_text(encoding="utf-8").replace(COCOA, "Zebra migration under counterfactual credit"),
                      encoding="utf-8")  # fmt: skip

    with caplog.at_level(logging.DEBUG, logger="bot.core.snapshot"):
        restarted = Engine.from_settings(settings)
    assert "no saved index for this corpus" in caplog.text
    assert first_title(restarted, "zebra migration") == "Zebra migration under counterfactual credit"
    assert saved_file(settings).is_file() and not first.exists()  # the old copy is gone, not kept beside it


def test_an_upgrade_that_changes_how_papers_are_read_rebuilds_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    settings = lab(tmp_path)
    Engine.from_settings(settings)
    code = tmp_path / "stopwords.py"  # stands for a core module the upgrade changed
    code.write_text("STOPWORDS = {'the'}\n", encoding="utf-8")
    monkeypatch.setattr(snapshot, "_code", lambda: [code])
    Engine.from_settings(settings)  # the first start of the new code: saved under its own key
    code.write_text("STOPWORDS = {'the', 'doesn'}\n", encoding="utf-8")

    with caplog.at_level(logging.DEBUG, logger="bot.core.snapshot"):
        restarted = Engine.from_settings(settings)
    assert "no saved index for this corpus" in caplog.text, "an index the old code built is never used"
    assert first_title(restarted, "What is COCOA?") == COCOA


def test_a_data_folder_that_cannot_be_written_only_costs_the_saving(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    settings = lab(tmp_path, data_dir="a-file/data")
    assert first_title(Engine.from_settings(settings), "What is COCOA?") == COCOA
    assert first_title(Engine.from_settings(settings), "What is COCOA?") == COCOA


def test_a_save_that_fails_halfway_leaves_the_saved_copy_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = lab(tmp_path)
    engine = Engine.from_settings(settings)
    folder = saved_file(settings).parent
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    written = saved_papers.write_papers

    def disk_full(path: Path, corpus: Corpus, prepared: Prepared) -> None:
        written(path, corpus, prepared)
        with path.open("r+b") as stream:
            stream.truncate(100)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("bot.core.snapshot.write_papers", disk_full)
    snapshot = Snapshot.of(settings)
    assert snapshot is not None
    snapshot.save(engine.corpus, engine.prepared())  # logged, not raised
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # no half file beside or instead of them
    assert first_title(Engine.from_settings(settings), "What is COCOA?") == COCOA


def test_files_of_a_save_killed_halfway_are_removed_by_the_next(tmp_path: Path) -> None:
    settings = lab(tmp_path)
    engine = Engine.from_settings(settings)
    folder = saved_file(settings).parent
    abandoned, running = folder / ".saving-abc.papers", folder / ".saving-def.npz"
    abandoned.write_bytes(b"half a file")
    running.write_bytes(b"a save under way")
    os.utime(abandoned, (time.time() - 2 * ABANDONED_AFTER_S,) * 2)
    snapshot = Snapshot.of(settings)
    assert snapshot is not None
    snapshot.save(engine.corpus, engine.prepared())
    assert not abandoned.exists() and running.exists()
