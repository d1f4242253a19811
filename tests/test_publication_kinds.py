"""A member asks for a kind of publication: "his journal papers", "her book chapters", "any preprints?".

The kind is read off what the sources recorded: BibTeX's entry type, the venue, a preprint server's
DOI. Where the corpus has none of that kind, the answer says what it has instead.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from bot.core.engine import Engine
from bot.core.models import Intent, Paper
from bot.core.publications import kind_of
from bot.settings import Settings

CORPORA = Path(__file__).resolve().parent / "data" / "corpora"


@pytest.fixture(scope="module")
def reed(settings: Settings) -> Engine:
    """Courtney N. Reed's papers, from her homepage's BibTeX: every kind, typed by entry."""
    return Engine.from_settings(dataclasses.replace(settings, corpus=(CORPORA / "reed.yaml",)))


@pytest.fixture(scope="module")
def henning(settings: Settings) -> Engine:
    """Christian Henning's papers, from his homepage's BibTeX: his PhD thesis filed as an article."""
    return Engine.from_settings(dataclasses.replace(settings, corpus=(CORPORA / "henning.yaml",)))


@pytest.fixture(scope="module")
def morabito(settings: Settings) -> Engine:
    """Samuel Morabito's papers: journal articles, and bioRxiv preprints filed as articles."""
    return Engine.from_settings(dataclasses.replace(settings, corpus=(CORPORA / "morabito.yaml",)))


def test_a_member_who_asks_for_journal_papers_where_there_are_none_learns_what_there_is(engine: Engine) -> None:
    # Alexander Meulemans publishes at conferences; our sources record no journal article of his.
    answer = engine.ask("what did he publish in journals?")
    assert answer.hits == ()
    assert "None of Alexander Meulemans' papers is a journal article" in answer.headline
    conference = sum(1 for p in engine.corpus.papers if p.venue and "workshop" not in p.venue)
    assert f"{conference} conference papers" in answer.headline and "1 workshop paper" in answer.headline


def test_a_member_who_asks_for_a_thesis_where_there_is_none_learns_what_there_is(engine: Engine) -> None:
    # A thesis is often filed as an article, so the words are looked for first; none says it is one.
    for question, kind in (("his thesis?", "a thesis"), ("link to his phd thesis", "a PhD thesis")):
        answer = engine.ask(question)
        assert answer.hits == ()
        assert f"None of Alexander Meulemans' papers is {kind}, as their sources record them" in answer.headline


def test_papers_no_source_gives_a_kind_are_counted_too(henning: Engine) -> None:
    answer = henning.ask("any book chapters?")
    assert answer.hits == ()
    known = sum(n for _, n in henning.kind_counts())
    assert f"and {len(henning.corpus.papers) - known} of no recorded kind." in answer.headline


def test_a_thesis_filed_as_an_article_is_found_by_what_it_says_of_itself(henning: Engine) -> None:
    # Christian Henning's BibTeX files his PhD thesis as an article without a journal; its abstract,
    # by him alone, says "In this thesis". No source records its degree, so "his PhD" is that thesis.
    for question in ("is his phd thesis in here", "his thesis?", "what was his phd about", "link to his phd thesis"):
        answer = henning.ask(question)
        assert answer.headline == "1 thesis:", question
        assert [h.paper.title for h in answer.hits] == ["Knowledge uncertainty and lifelong learning in neural systems"]


def test_workshop_papers_and_preprints_are_told_apart_by_their_venue(engine: Engine) -> None:
    workshops = engine.ask("his workshop papers")
    assert workshops.intent is Intent.LIST and workshops.headline.startswith("1 workshop paper")
    assert all("workshop" in (h.paper.venue or "") for h in workshops.hits)
    preprints = engine.ask("which papers are not yet published?")
    assert preprints.hits and all(h.paper.venue is None and h.paper.arxiv for h in preprints.hits)
    newest = engine.ask("his newest preprint")
    assert newest.headline.startswith("The newest preprint") and newest.hits[0].paper == preprints.hits[0].paper


def test_a_kind_and_a_topic_together_rank_within_that_kind(engine: Engine) -> None:
    answer = engine.ask("conference papers about credit assignment")
    assert answer.headline.startswith("Conference papers") and "credit assignment" in answer.headline
    assert answer.hits and all(h.paper.venue and "workshop" not in h.paper.venue for h in answer.hits)
    assert "credit assignment" in answer.hits[0].paper.title.lower()


def test_who_is_he_says_what_kinds_of_paper_he_writes(engine: Engine) -> None:
    facts = dict(engine.ask("who is he?").facts)
    conference = sum(1 for p in engine.corpus.papers if p.venue and "workshop" not in p.venue)
    assert facts["Published as"].startswith(f"{conference} conference papers")


def test_bibtex_entry_types_make_journal_articles_chapters_and_conference_papers(reed: Engine) -> None:
    articles = reed.ask("her journal articles")
    assert articles.hits and {h.paper.kind for h in articles.hits} == {"article"}
    assert articles.headline.startswith(f"{len(articles.hits)} journal articles")
    chapters = reed.ask("her book chapters")
    assert chapters.hits and {h.paper.kind for h in chapters.hits} == {"incollection"}
    chi = reed.ask("conference papers at CHI")
    assert chi.hits and all("CHI" in (h.paper.venue or "") and "Workshop" not in (h.paper.venue or "")
                            for h in chi.hits)  # fmt: skip
    # She has no preprint: the answer says what she has.
    assert "1 PhD thesis and 1 master's thesis" in reed.ask("any preprints?").headline


def test_an_arxiv_preprint_is_a_preprint(engine: Engine) -> None:
    # "arxiv" says where the preprint is, not what it is about.
    assert engine.ask("most recent arxiv preprint").headline == "The newest preprint:"


def test_her_phd_is_her_phd_thesis(reed: Engine) -> None:
    for question in ("what's courtney's phd about?", "her phd", "what was her phd on"):
        answer = reed.ask(question)
        assert answer.headline == "1 PhD thesis:", question
        assert answer.hits[0].paper.title.startswith("Imagining & Sensing")
    assert reed.ask("her phd students").intent is Intent.TOPIC, "the degree said of a person, not of students"


def test_a_workshop_that_a_paper_is_about_is_still_a_topic(reed: Engine) -> None:
    # Several of her papers describe workshops she ran: such a question is about them, not a filter.
    for question in ("is there a workshop bringing together people who study musicians' lived experience?",
                     "hands-on workshop on ML-powered gestural instruments"):  # fmt: skip
        query = reed.reader.read(question)
        assert query.publication is None and "workshop" in query.topic, question
    assert reed.ask("hands-on workshop on ML-powered gestural instruments").hits[0].paper.title == (
        "Agential Instruments Design Workshop"
    )


def test_a_preprint_servers_doi_makes_an_article_a_preprint(morabito: Engine) -> None:
    preprints = morabito.ask("her preprints")
    assert preprints.hits and all((h.paper.doi or "").startswith("10.1101/") for h in preprints.hits)
    assert "16 journal articles and 3 preprints" in morabito.ask("workshop papers").headline


def test_the_kind_of_a_record_is_read_from_what_it_says() -> None:
    def paper(**fields: str) -> Paper:
        return Paper("p", "A paper", dt.date(2024, 1, 1), ("A. Author",), **fields)  # type: ignore[arg-type]

    assert kind_of(paper(venue="SafeAI workshop at AAAI 2021")) == "workshop"
    assert kind_of(paper(venue="NeurIPS 2023")) == "conference"
    assert kind_of(paper(venue="Nature Neuroscience")) == "journal"
    assert kind_of(paper(kind="inproceedings", venue="NeurIPS Workshop on Bayesian Deep Learning")) == "workshop"
    assert kind_of(paper(kind="article", venue="bioRxiv")) == "preprint"
    assert kind_of(paper(kind="article", doi="10.1101/2024.06.12.598567")) == "preprint"
    assert kind_of(paper(arxiv="2309.05858")) == "preprint"
    # An "article" with no journal is often something else filed as one (a thesis, a report): unknown.
    assert kind_of(paper(kind="article")) is None
    assert kind_of(paper(kind="article", abstract="In this thesis, we contribute...")) == "thesis"
    assert kind_of(paper(kind="article", venue="Ecology", abstract="In this thesis, we...")) == "journal"
    assert kind_of(paper(kind="phdthesis", venue="ETH Zurich")) == "phd"


def test_a_venue_is_not_named_by_a_word_every_venue_uses(henning: Engine) -> None:
    # His NeurIPS paper's venue begins "Conference on Neural Information Processing Systems".
    query = henning.reader.read("his conference papers")
    assert query.venue is None and query.publication == "conference"
    # That paper is a NeurIPS paper all the same, with his two NeurIPS workshop papers.
    at_neurips = henning.ask("his NeurIPS papers")
    venues = [h.paper.venue or "" for h in at_neurips.hits]
    assert len(venues) == 3 and venues[0] == "Conference on Neural Information Processing Systems"
    assert all(v.startswith("NeurIPS Workshop") for v in venues[1:])


def test_a_journal_named_whole_is_that_journal_not_every_one_its_first_word_begins(morabito: Engine) -> None:
    # Morabito publishes in Nature Genetics, Cell Reports and its Medicine and Methods journals.
    genetics = morabito.ask("single cell papers in nature genetics")
    assert genetics.hits and {h.paper.venue for h in genetics.hits} == {"Nature Genetics"}
    assert genetics.headline == "Papers at Nature Genetics about single cell:"
    reports = morabito.ask("her Cell Reports papers")
    assert reports.hits and all((h.paper.venue or "").startswith("Cell Reports") for h in reports.hits)
    # Lower case, in a topic, the same words are the topic's: "single-cell reports" is no journal.
    assert morabito.reader.read("single-cell reports of microglia").venue is None
