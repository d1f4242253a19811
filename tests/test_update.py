"""A lab's corpus stays current: `update` re-reads its sources, and a failed source changes nothing.

The BibTeX source is Christian Henning's real file (tests/data/recorded/bibtex/); the online source
is Yuki Furukawa's recorded ORCID works, served by a local server: "before" is the recording
trimmed of its first work, "after" the whole recording.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from bot.cli import main
from bot.core.corpus import load_corpus
from bot.core.engine import Engine
from bot.ingest.pipeline import ingest
from bot.ingest.update import update_corpus
from bot.ingest.writer import write_text
from bot.settings import Settings
from tests.sources_server import Reply, Request, fast_client, serve

RECORDED = Path(__file__).resolve().parent / "data" / "recorded"
NEW_ENTRY = """
@inproceedings{henning2026plasticity,
  title = {Plasticity rules that adapt on the fly},
  author = {Henning, Christian and Grewe, Benjamin F.},
  booktitle = {Workshop on Learning Rules},
  year = {2026},
  abstract = {We study synaptic plasticity rules that adapt on the fly to a changing environment.}
}
"""


@pytest.fixture()
def lab(tmp_path: Path) -> Path:
    """Henning's corpus, ingested from his BibTeX file kept beside it."""
    shutil.copy(RECORDED / "bibtex" / "alfolio-christian-henning.bib", tmp_path / "henning.bib")
    out = tmp_path / "henning.yaml"
    assert main(["ingest", str(tmp_path / "henning.bib"), "--researcher", "Christian Henning", "-o", str(out)]) == 0
    return out


def test_an_appended_bibtex_entry_is_answered_after_update(
    lab: Path, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["update", str(lab)]) == 0
    assert capsys.readouterr().out == f"{lab}: no change\n"
    with (lab.parent / "henning.bib").open("a", encoding="utf-8") as bib:
        bib.write(NEW_ENTRY)
    assert main(["update", str(lab)]) == 0
    assert capsys.readouterr().out == f"{lab}: updated\n  new: Plasticity rules that adapt on the fly (2026)\n"
    engine = Engine.from_settings(dataclasses.replace(settings, corpus=(lab,)))
    assert engine.ask("plasticity rules that adapt").hits[0].paper.title == "Plasticity rules that adapt on the fly"


def test_a_changed_venue_is_reported_and_ids_stay(lab: Path) -> None:
    bib = lab.parent / "henning.bib"
    ids = {p.id for p in load_corpus([lab]).papers}
    bib.write_text(bib.read_text(encoding="utf-8").replace(
        "International Conference on Learning Representations", "ICLR", 1), encoding="utf-8")  # fmt: skip
    result = update_corpus(lab)
    assert result.written and not result.changes.new
    assert [(p.title, fields) for p, fields in result.changes.changed] == [
        ("Continual learning with hypernetworks", ("venue",))
    ]
    assert {p.id for p in load_corpus([lab]).papers} == ids


@pytest.mark.parametrize(
    ("breakage", "said"),
    [
        (lambda bib: bib.unlink(), "henning.bib: no such file"),
        (lambda bib: bib.write_text("", encoding="utf-8"), "henning.bib: no BibTeX entries"),
        (lambda bib: bib.write_bytes(bib.read_bytes()[:12000]), "henning.bib gave 5 papers, but the corpus holds 13"),
    ],
)
def test_a_failing_empty_or_truncated_source_leaves_the_file_byte_for_byte(
    lab: Path, breakage: object, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = lab.read_bytes()
    breakage(lab.parent / "henning.bib")  # type: ignore[operator]
    assert main(["update", str(lab)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{lab}: unchanged: ") and said in err
    assert lab.read_bytes() == before


def test_a_paper_gone_from_every_source_is_kept_and_marked_until_pruned(lab: Path) -> None:
    bib = lab.parent / "henning.bib"
    text = bib.read_text(encoding="utf-8")
    bib.write_text(text + NEW_ENTRY, encoding="utf-8")
    assert update_corpus(lab).written
    bib.write_text(text, encoding="utf-8")
    result = update_corpus(lab)
    assert [p.title for p in result.changes.missing] == ["Plasticity rules that adapt on the fly"]
    kept = next(p for p in load_corpus([lab]).papers if p.title.startswith("Plasticity rules"))
    assert kept.missing_since is not None
    assert not update_corpus(lab).written, "marked once, not again"
    assert update_corpus(lab, prune=True).written
    assert not any(p.title.startswith("Plasticity rules") for p in load_corpus([lab]).papers)


ORCID_ID = "0000-0003-1317-0220"


def orcid_route(state: dict[str, str]) -> object:
    recording = json.loads((RECORDED / "orcid" / f"works-{ORCID_ID}-yuki-furukawa.json").read_bytes())
    before = {**recording, "group": recording["group"][1:]}  # trimmed: the first (newest) work is not out yet

    def route(request: Request) -> Reply:
        if state["mode"] == "down":
            return Reply(b"Service Unavailable", status=503)
        if state["mode"] == "truncated":
            return Reply(json.dumps(recording).encode()[:5000])
        return Reply(json.dumps(before if state["mode"] == "before" else recording).encode())

    return route


def test_an_online_source_before_and_after_adds_exactly_the_new_work(tmp_path: Path) -> None:
    state = {"mode": "before"}
    out = tmp_path / "furukawa.yaml"
    with serve(orcid_route(state)) as server:  # type: ignore[arg-type]
        where = {"client": fast_client, "base_urls": {"orcid": f"{server.url}/v3.0"}}
        first = ingest([f"orcid:{ORCID_ID}"], "Yuki Furukawa", out, **where)  # type: ignore[arg-type]
        write_text(out, first.text)
        before = out.read_bytes()
        for broken in ("down", "truncated"):
            state["mode"] = broken
            failed = update_corpus(out, **where)  # type: ignore[arg-type]
            assert not failed.ok and f"orcid:{ORCID_ID}" in failed.message
            assert out.read_bytes() == before, f"a {broken} source changes nothing"
        state["mode"] = "after"
        result = update_corpus(out, **where)  # type: ignore[arg-type]
    assert result.ok and result.written
    assert len(result.changes.new) == 1 and not result.changes.changed and not result.changes.missing
    assert len(load_corpus([out]).papers) == len(first.papers) + 1
