"""A restart answers from the corpus and index saved in the data folder; a stale or damaged copy is
rebuilt from the YAML, never trusted."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from bot.config import load_settings
from bot.core import engine as engine_module
from bot.core.corpus import load_corpus
from bot.core.engine import Engine
from bot.core.snapshot import Snapshot
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


def test_a_restart_answers_without_reading_the_corpus_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = lab(tmp_path)
    assert first_title(Engine.from_settings(settings), "What is COCOA?") == COCOA
    assert saved_file(settings).is_file()

    def no_yaml(*args: object, **kwargs: object) -> None:
        raise AssertionError("the corpus YAML was read although the saved copy is current")

    monkeypatch.setattr(engine_module, "load_corpus", no_yaml)
    restarted = Engine.from_settings(settings)
    assert first_title(restarted, "What is COCOA?") == first_title(restarted, TOPIC) == COCOA
    assert first_title(restarted, "reinforcment lerning with hindsight") != ""  # typos: the spelling index came back
    assert restarted.ask("papers from 2023").hits
    assert restarted.corpus == load_corpus(settings.corpus)  # every field of every paper and member came back


@pytest.mark.parametrize("damage", ["flipped bytes", "cut short", "contents changed, digest not", "a paper changed"])
def test_a_damaged_saved_index_is_rebuilt(tmp_path: Path, damage: str) -> None:
    settings = lab(tmp_path)
    Engine.from_settings(settings)
    path = saved_file(settings)
    raw = bytearray(path.read_bytes())
    if damage == "flipped bytes":
        for at in range(len(raw) // 3, len(raw) // 3 + 200):
            raw[at] ^= 0x5A
        path.write_bytes(bytes(raw))
    elif damage == "cut short":
        path.write_bytes(bytes(raw[: len(raw) // 2]))
    elif damage == "a paper changed":  # the saved papers, a JSON line each, edited by hand
        papers = path.with_suffix(".jsonl")
        papers.write_text(papers.read_text(encoding="utf-8").replace(COCOA, "Something else"), encoding="utf-8")
    else:  # a well-formed file whose postings point at the wrong papers
        with np.load(path) as saved:
            arrays = {name: saved[name] for name in saved.files}
        arrays["docs"] = arrays["docs"][::-1].copy()
        np.savez(path, **arrays)  # type: ignore[arg-type]

    assert first_title(Engine.from_settings(settings), TOPIC) == COCOA
    snapshot = Snapshot.of(settings)
    assert snapshot is not None and snapshot.load() is not None  # rebuilt and saved again, whole


def test_a_changed_corpus_is_rebuilt(tmp_path: Path) -> None:
    settings = lab(tmp_path)
    Engine.from_settings(settings)
    first = saved_file(settings)
    corpus = tmp_path / "corpus" / "member.yaml"
    corpus.write_text(corpus.read_text(encoding="utf-8").replace(COCOA, "Zebra migration under counterfactual credit"),
                      encoding="utf-8")  # fmt: skip

    restarted = Engine.from_settings(settings)
    assert first_title(restarted, "zebra migration") == "Zebra migration under counterfactual credit"
    assert saved_file(settings).is_file() and not first.exists()  # the old copy is gone, not kept beside it


def test_a_data_folder_that_cannot_be_written_only_costs_the_saving(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    settings = lab(tmp_path, data_dir="a-file/data")
    assert first_title(Engine.from_settings(settings), "What is COCOA?") == COCOA
    assert first_title(Engine.from_settings(settings), "What is COCOA?") == COCOA
