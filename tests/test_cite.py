"""A member asks for a citation to paste: every paper of every corpus gives a BibTeX entry that parses."""

from __future__ import annotations

from pathlib import Path

import bibtexparser
import pytest

from bot.cli import main
from bot.core.citation import bibtex
from bot.core.corpus import load_corpus
from bot.core.text import tokens
from tests.discord_emulator.harness import running_bot, scenario

ROOT = Path(__file__).resolve().parent.parent
CORPORA = [ROOT / "corpus" / "alexander-meulemans.yaml", *sorted((ROOT / "tests" / "data" / "corpora").glob("*.yaml"))]


@pytest.mark.parametrize("path", CORPORA, ids=lambda p: p.stem)
def test_every_paper_of_every_corpus_cites_as_bibtex_a_library_reads_back(path: Path) -> None:
    papers = load_corpus([path]).papers
    library = bibtexparser.parse_string("\n\n".join(bibtex(p) for p in papers))
    assert not library.failed_blocks
    entries = {e.key: e for e in library.entries}
    assert len(entries) == len(papers), "one entry per paper, keys unique"
    for paper, entry in zip(papers, library.entries, strict=True):
        assert tokens(entry["title"]) == tokens(paper.title)
        assert entry["year"] == str(paper.year)
        assert len(entry["author"].split(" and ")) == len(paper.authors) + paper.authors_truncated
        if paper.doi:
            assert entry["doi"] == paper.doi
        if paper.arxiv:
            assert (entry["eprint"], entry["archivePrefix"]) == (paper.arxiv, "arXiv")


def test_cite_in_the_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["cite", "COCOA"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("@inproceedings{meulemans2023would,\n")
    assert "  booktitle     = {NeurIPS 2023},\n" in out and "  eprint        = {2306.16803},\n" in out


@scenario
async def test_cite_and_the_cite_button_give_the_entry_in_a_code_block() -> None:
    async with running_bot() as (emu, _):
        reply = await emu.reply_to(await emu.slash(emu.alice, "cite", title="COCOA"))
        text = reply.message["content"]
        assert text.startswith("BibTeX for **Would I have gotten that reward?") and "```bibtex\n@inproceedings{" in text
        assert text.endswith("}\n```")
        card = await emu.reply_to(await emu.slash(emu.alice, "paper", title="MesaNet"))
        message_id = list(emu.messages)[-1]
        cite = next(c for row in emu.messages[message_id]["components"] for c in row["components"]
                    if c["label"] == "Cite")  # fmt: skip
        pressed = await emu.reply_to(await emu.click(emu.alice, message_id, str(cite["custom_id"])))
        assert pressed.message["flags"] & 64, "only the member who pressed sees it"
        assert "```bibtex\n@inproceedings{oswald2025mesanet,\n" in pressed.message["content"]
        assert card.message["embeds"] and emu.violations == []
