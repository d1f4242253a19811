"""Real BibTeX files, as six different tools export them, become corpora that answer real questions.

Each file is a real researcher's, recorded under tests/data/recorded/bibtex/ (SOURCES.md there says
where each came from). The questions are built from each corpus the same way for every file: a
paper's own title, its most frequent coauthor, a year it has papers in, and a venue it names.
"""

from __future__ import annotations

import dataclasses
import re
import shlex
import shutil
from collections import Counter
from pathlib import Path

import pytest

from bot.cli import main
from bot.core.engine import Engine, possessive
from bot.core.models import Intent
from bot.core.venues import short_names
from bot.render.text import render_answer
from bot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
BIBTEX = ROOT / "tests" / "data" / "recorded" / "bibtex"
CORPORA = ROOT / "tests" / "data" / "corpora"

EXPORTS = [
    ("alfolio-courtney-n-reed.bib", "Courtney N. Reed"),  # an al-folio homepage
    ("googlescholar-ran-zhang.bib", "Ran Zhang"),  # Google Scholar
    ("dblp-jilin-hu.bib", "Jilin Hu"),  # DBLP
    ("zotero-bbt-jonathan-sakkos.bib", "Jonathan Sakkos"),  # Zotero with Better BibTeX
    ("zotero-daniel-mcglinn.bib", "Daniel J. McGlinn"),  # Zotero's own export
    ("alfolio-zacharias-steinmetz.bib", "Zacharias Steinmetz"),  # al-folio, publishers' HTML in abstracts
    ("ads-john-zuhone.bib", "John ZuHone"),  # NASA ADS
]


@pytest.mark.parametrize("corpus", sorted(CORPORA.glob("*.yaml")), ids=lambda p: p.name)
def test_each_test_corpus_is_exactly_what_the_command_in_its_header_writes(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The corpora are the ingest's output on the recorded files: run again, a change to the ingest
    # that changes them shows here, and the files are written anew rather than edited by hand.
    shutil.copytree(BIBTEX, tmp_path / "recorded" / "bibtex")
    (tmp_path / "corpora").mkdir()
    header = corpus.read_text(encoding="utf-8").split("\n")[4]
    assert header.startswith("#   python -m bot ingest ../recorded/bibtex/")
    monkeypatch.chdir(tmp_path / "corpora")
    assert main(shlex.split(header.removeprefix("#   python -m bot "))) == 0
    assert (tmp_path / "corpora" / corpus.name).read_bytes() == corpus.read_bytes(), f"{corpus.name} is stale"


@pytest.mark.parametrize(("bib", "researcher"), EXPORTS)
def test_an_exported_bibtex_file_becomes_a_corpus_that_answers(
    bib: str, researcher: str, tmp_path: Path, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "corpus.yaml"
    assert main(["ingest", str(BIBTEX / bib), "--researcher", researcher, "-o", str(out)]) == 0
    assert f"papers of {researcher} to {out}" in capsys.readouterr().err
    engine = Engine.from_settings(dataclasses.replace(settings, corpus=(out,)))
    papers = engine.corpus.papers
    assert len(papers) >= 10 and all(p.members == (researcher,) for p in papers if researcher in p.authors)

    # A topic: a paper's own title finds it first (most of these entries have no abstract).
    longest = max(papers, key=lambda p: len(p.title))
    assert engine.ask(longest.title).hits[0].paper.id == longest.id

    # A coauthor: every paper listed has them.
    coauthor, shared = engine.coauthor_counts()[0]
    listed = engine.ask(f"papers with {coauthor}")
    assert listed.intent is Intent.COAUTHOR and len(listed.hits) == min(shared, settings.retrieval.max_listed)

    # A year: only that year's papers, and all of them.
    year, count = Counter(p.year for p in papers).most_common(1)[0]
    from_year = engine.ask(f"anything from {year}?")
    assert {h.paper.year for h in from_year.hits} == {year} and len(from_year.hits) == min(count, 25)

    # The example questions /help offers read as a member would type them, and each is answered.
    for example in engine.suggestions:
        assert ": " not in example, "a title's subtitle is no part of its example"
        answer = engine.ask(example)
        assert answer.hits or answer.facts, example

    # No BibTeX file gives citations: "the most cited paper" says so, with no figure to show.
    cited = engine.ask("what's the most cited paper?")
    assert cited.headline == f"I have no citation counts for {possessive(researcher)} papers, per paper or in total."
    assert cited.facts == ()

    # A venue the corpus names, by its first word ("Proceedings papers" asks for a kind of paper instead).
    generic = {"proceedings", "conference", "international", "journal", "annual", "symposium", "transactions"}
    venue = next(p.venue for p in papers if p.venue and len(p.venue.split()[0]) > 3
                 and p.venue.split()[0].lower() not in generic)  # fmt: skip
    at_venue = engine.ask(f"{venue.split()[0]} papers")
    assert at_venue.hits and all((h.paper.venue or "").startswith(venue.split()[0]) for h in at_venue.hits)


def test_a_venue_is_asked_for_by_the_short_name_its_long_name_spells(
    tmp_path: Path, settings: Settings, engine: Engine
) -> None:
    # BibTeX gives "Proceedings of the International Conference on New Interfaces for Musical
    # Expression"; a member asks for NIME papers.
    assert short_names("Proceedings of the International Conference on New Interfaces for Musical Expression") >= {
        "NIME"
    }
    assert "CHI" in short_names("Proceedings of the 2023 CHI Conference on Human Factors in Computing Systems")
    assert "DIS" in short_names("Proceedings of the 2024 ACM Designing Interactive Systems Conference")
    assert short_names("Alzheimer's & Dementia") == frozenset(), "a journal's initials are not its name"
    # NIPS, renamed NeurIPS in 2018, by its name at the meeting and on its proceedings (Google Scholar's).
    for series in ("Conference on", "Advances in"):
        name = f"{series} Neural Information Processing Systems"
        assert {"NIPS", "NeurIPS"} <= short_names(name), name
    assert short_names("Advances in Physics") == frozenset()
    out = tmp_path / "reed.yaml"
    assert main(["ingest", str(BIBTEX / "alfolio-courtney-n-reed.bib"), "--researcher", "Courtney N. Reed",
                 "-o", str(out)]) == 0  # fmt: skip
    reed = Engine.from_settings(dataclasses.replace(settings, corpus=(out,)))
    for question, words in (("what did she publish at NIME?", "New Interfaces for Musical Expression"),
                            ("papers at CHI", "CHI"), ("DIS papers", "Designing Interactive Systems"),
                            ("her nime papers", "New Interfaces for Musical Expression")):  # fmt: skip
        answer = reed.ask(question)
        expected = [p.id for p in reed.corpus.papers if re.search(rf"\b{words}\b", p.venue or "")]  # not CHIME
        assert answer.intent is Intent.VENUE and [h.paper.id for h in answer.hits] == expected, question
    # Theses by their BibTeX entry type: her PhD thesis, her master's, or both.
    questions = ("her PhD thesis", "her master's thesis", "her thesis")
    kinds = {q: [h.paper.kind for h in reed.ask(q).hits] for q in questions}
    assert kinds == {"her PhD thesis": ["phdthesis"], "her master's thesis": ["mastersthesis"],
                     "her thesis": ["phdthesis", "mastersthesis"]}  # fmt: skip
    # Without any entry typed as a thesis, "thesis" is a word of the topic, as the abstracts use it.
    read = engine.reader.read("his thesis")
    assert (read.intent, read.publication, read.topic) == (Intent.TOPIC, None, "thesis")
    # Named in passing, a venue's name is still part of the topic.
    assert "nime" in reed.reader.read("how has the NIME community's idea of timbre changed?").topic.lower()
    # A series that keeps "International Conference" in its initials, and one named by its start.
    assert "ICLR" in short_names("International Conference on Learning Representations")
    assert {h.paper.venue for h in engine.ask("his ICLR papers").hits} == {"ICLR 2021", "ICLR 2025", "ICLR 2026"}


def test_a_coauthor_named_by_surname_alone_even_where_a_link_in_an_abstract_begins_with_it(
    settings: Settings,
) -> None:
    # Samuel Morabito's corpus (his homepage's BibTeX): an abstract links "swaruplab.bio.uci.edu", and
    # "Swarup" alone was read as a topic word, so "papers with Swarup" searched abstracts for it.
    morabito = Engine.from_settings(dataclasses.replace(settings, corpus=(CORPORA / "morabito.yaml",)))
    in_2023 = morabito.ask("papers with Swarup in 2023")
    assert in_2023.intent is Intent.COAUTHOR and in_2023.headline == "1 paper with Vivek Swarup from 2023:"
    who = morabito.ask("who is Vivek Swarup?")
    assert who.intent is Intent.COAUTHOR and who.headline == "13 papers with Vivek Swarup:"
    # Two coauthors at once: the papers with both.
    both = morabito.ask("what did Swarup and Miyoshi write together?")
    assert both.headline == "9 papers with Vivek Swarup and Emily Miyoshi:"
    assert all({"Vivek Swarup", "Emily Miyoshi"} <= set(h.paper.authors) for h in both.hits)
    # A word the abstracts use, in a coauthor's name (a consortium's), is still a topic.
    assert morabito.ask("Alzheimer's co-expression modules").intent is Intent.TOPIC
    assert morabito.ask("Alzheimer's disease genetics").intent is Intent.TOPIC, "a possessive of a word they use"


def test_a_software_entry_whose_page_is_its_repository_has_code_there(settings: Settings) -> None:
    mcglinn = Engine.from_settings(dataclasses.replace(settings, corpus=(CORPORA / "mcglinn.yaml",)))
    answer = mcglinn.ask("which papers have code")
    assert [h.paper.title for h in answer.hits] == ["mobr: Measurement of Biodiversity in R"]
    # Its page and its code are one link: shown once.
    assert render_answer(answer, settings.reply).endswith("\n   https://github.com/MoBiodiv/mobr  (code)")
