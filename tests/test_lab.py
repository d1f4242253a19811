"""A lab admin sets up a bot for two members from two kinds of source, and the members ask about each other.

Alexander Meulemans' corpus comes from his profile page and verified metadata (corpus/sources/);
Christian Henning's from his homepage's real BibTeX file (tests/data/recorded/bibtex/). They share
two papers.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import load_settings
from bot.core.corpus import load_corpus
from bot.core.engine import Engine
from bot.core.glossary import load_glossary
from bot.core.models import Intent
from bot.settings import Settings
from tests.discord_emulator.harness import running_bot, scenario

ROOT = Path(__file__).resolve().parent.parent
HENNING_BIB = ROOT / "tests" / "data" / "recorded" / "bibtex" / "alfolio-christian-henning.bib"
SHARED = {"Continual Learning in Recurrent Neural Networks", "Neural networks with late-phase weights"}
CORPORA = ROOT / "tests" / "data" / "corpora"


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three commands of the README's lab setup: ingest each member, list them, name the lab."""
    site = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "config", site / "config")
    shutil.copytree(ROOT / "corpus", site / "corpus")
    out = site / "corpus" / "christian-henning.yaml"
    assert main(["ingest", str(HENNING_BIB), "--researcher", "Christian Henning", "-o", str(out)]) == 0
    (site / "config" / "local.yaml").write_text("lab:\n  name: the Grewe lab\n", encoding="utf-8")
    return site / "config" / "config.yaml"


@pytest.fixture(scope="module")
def engine(lab: Path) -> Engine:
    return Engine.from_settings(load_settings(lab, env={}))


def test_both_members_load_and_a_shared_paper_is_listed_once_as_both_members(engine: Engine) -> None:
    assert [m.name for m in engine.corpus.members] == ["Alexander Meulemans", "Christian Henning"]
    titles = [p.title for p in engine.corpus.papers]
    assert len(titles) == len(set(titles)) == 15 + 13 - 2
    for paper in engine.corpus.papers:
        if paper.title in SHARED:
            assert paper.members == ("Alexander Meulemans", "Christian Henning")
    assert engine.corpus.name == "the Grewe lab"


def test_a_question_naming_a_member_ranks_within_that_members_papers(engine: Engine) -> None:
    answer = engine.ask("what did Henning write about continual learning?")
    assert answer.intent is Intent.MEMBER and answer.hits
    assert all("Christian Henning" in h.paper.members for h in answer.hits)
    assert "continual learning" in answer.hits[0].paper.title.lower()
    credit = engine.ask("what did Meulemans write about credit assignment?")
    assert credit.hits and all("Alexander Meulemans" in h.paper.members for h in credit.hits)


def test_newest_and_counts_are_per_member(engine: Engine) -> None:
    newest = engine.ask("Henning's newest paper")
    assert [h.paper.title for h in newest.hits] == [
        "Population-level coding of avoidance learning in medial prefrontal cortex"
    ]
    count = engine.ask("how many papers does Henning have?")
    assert dict(count.facts) == {"Papers in this corpus": "13"}
    figures = engine.ask("what is the h-index?")
    assert figures.headline == "The Grewe lab's figures:"
    # Henning's source has none; Meulemans' profile page gives one that cannot be true, and says why.
    labels = [label for label, _ in figures.facts]
    assert labels == ["Alexander Meulemans: h-index", "Alexander Meulemans: in doubt", "Christian Henning: h-index"]
    assert dict(figures.facts)["Christian Henning: h-index"] == "none recorded"


def test_who_in_the_lab_works_on_a_topic(engine: Engine) -> None:
    answer = engine.ask("who in the lab works on continual learning?")
    assert answer.intent is Intent.WHO
    members = dict(answer.facts)
    assert next(iter(members)) == "Christian Henning"
    assert int(members["Christian Henning"].split()[0]) >= 3, "his three continual-learning papers at least"
    assert "Alexander Meulemans" in members


def test_who_a_member_is_comes_from_that_members_papers_and_the_lab_from_all(engine: Engine) -> None:
    for question in ("who is Christian Henning?", "what does Henning work on?"):
        answer = engine.ask(question)
        assert answer.intent is Intent.ABOUT, question
        assert answer.headline.startswith("About Christian Henning, from the 13 papers here")
        assert dict(answer.facts)["Papers here"].startswith("13, ")
        assert answer.hits and all("Christian Henning" in h.paper.members for h in answer.hits)
    assert engine.ask("Henning's papers").intent is Intent.MEMBER, "a list of papers is still the list"
    lab = engine.ask("who are they?")
    assert lab.intent is Intent.ABOUT and lab.headline.startswith("About the Grewe lab: 2 members and 26 papers")


def test_who_is_in_the_lab_names_each_member_with_their_papers_and_work(engine: Engine) -> None:
    for question in ("who is in the lab?", "who are the members", "what does the group work on",
                     "hey what does this lab actually work on",
                     "who has the most papers?", "how many people are in the Grewe lab?"):  # fmt: skip
        answer = engine.ask(question)
        assert answer.intent is Intent.ABOUT, question
        facts = dict(answer.facts)
        assert list(facts)[:2] == ["Alexander Meulemans", "Christian Henning"], "most papers first"
        assert facts["Alexander Meulemans"].startswith("15 papers, 2020")
        assert facts["Christian Henning"].startswith("13 papers, 20")
        assert facts["Shared"] == "2 papers, each counted once: Alexander Meulemans and Christian Henning (2)"
        # One card per member: the paper most typical of each one's work.
        assert answer.hits[0].paper.members == ("Alexander Meulemans",)
        assert "Christian Henning" in answer.hits[1].paper.members


def test_two_members_named_give_the_papers_they_wrote_together(engine: Engine) -> None:
    for question in ("what did henning and meulemans write together?", "papers by Meulemans with Henning"):
        answer = engine.ask(question)
        assert {h.paper.title for h in answer.hits} == SHARED, question
        assert "with" in answer.headline and "Henning" in answer.headline and "Meulemans" in answer.headline


def test_whether_someone_is_in_the_lab_is_said_before_their_papers(engine: Engine) -> None:
    outsider = engine.ask("is joao sacramento in the lab?")
    assert outsider.headline.startswith("No, João Sacramento is not one of the Grewe lab's members.")
    assert outsider.hits and all("João Sacramento" in h.paper.authors for h in outsider.hits)
    member = engine.ask("is Henning part of the group?")
    assert member.headline.startswith("Yes, Christian Henning is one of the Grewe lab's members. About Christian")


def test_papers_of_two_members_together_count_a_shared_paper_once(engine: Engine) -> None:
    pair = dict(engine.ask("how many papers do alex and christian have combined?").facts)
    assert pair["Alexander Meulemans and Christian Henning: papers here"] == "26 (2 shared, counted once)"
    lab = dict(engine.ask("how many papers does the lab have?").facts)
    assert lab["All members: papers here"] == "26 (2 shared, counted once)"
    assert lab["Christian Henning: papers here"] == "13"


def test_where_the_lab_publishes_is_one_row_a_venue_with_whose_papers_they_are(engine: Engine) -> None:
    venues = dict(engine.ask("where does the lab publish?").facts)
    # Meulemans' "ICLR 2021" and Henning's BibTeX "International Conference on Learning Representations".
    assert venues["ICLR"] == "5 papers (2020, 2021, 2025, 2026): Meulemans 4, Henning 3"
    assert "International Conference on Learning Representations" not in venues


def test_who_has_the_most_citations_shows_whose_figures_are_missing(engine: Engine) -> None:
    facts = dict(engine.ask("who has the most citations?").facts)
    assert facts["Alexander Meulemans: Citations"].startswith("436")
    assert facts["Christian Henning: Citations"] == "none recorded", "no source gave his: no ranking"


def test_the_lab_s_papers_per_year_say_whose_they_are(engine: Engine) -> None:
    answer = engine.ask("which year was the lab's busiest?")
    assert answer.intent is Intent.YEARS
    years = dict(answer.facts)
    # The two shared papers count once in a year's total, and once for each member.
    assert sum(int(v.split()[0]) for v in years.values()) == 26
    assert all("Meulemans" in v or "Henning" in v for v in years.values())


def test_who_to_ask_about_a_topic_names_the_members_who_wrote_on_it(engine: Engine) -> None:
    for question in (
        "who should I talk to about Bayesian uncertainty?",
        "is anyone here working on hypernetworks",
        "who does hypernetwork stuff",
        "who knows about hypernetworks?",
        "who researches hypernetworks",
    ):
        answer = engine.ask(question)
        assert answer.intent is Intent.WHO, question
        assert next(iter(dict(answer.facts))) == "Christian Henning"
        assert not {"talk", "anyone", "stuff", "knows", "researches"} & set(re.findall(r"\w+", answer.headline)), (
            answer.headline
        )


def test_every_answer_says_whose_paper_it_is(lab: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--json", "--config", str(lab), "late-phase weights"]) == 0
    reply = json.loads(capsys.readouterr().out)
    top = reply["papers"][0]
    assert top["title"] == "Neural networks with late-phase weights"
    assert top["members"] == ["Alexander Meulemans", "Christian Henning"]
    assert "**Alexander Meulemans**" in reply["text"] and "**Christian Henning**" in reply["text"]


def test_a_coauthor_spelled_two_ways_is_one_person(engine: Engine) -> None:
    # Henning's BibTeX writes "Benjamin F Grewe" and "Benjamin F. Grewe"; the profile "Benjamin F. Grewe".
    papers = engine.list_papers(coauthor="Grewe")
    spelled = {a for p in papers for a in p.authors if "Grewe" in a}
    assert len(spelled) > 1 and len(papers) >= 10


@scenario
async def test_about_and_papers_take_a_member_with_autocomplete(lab: Path) -> None:
    async with running_bot(config=lab) as (emu, _):
        typed = await emu.reply_to(await emu.autocomplete(emu.alice, "papers", "member", "hen"))
        assert [c["name"] for c in typed.payload["data"]["choices"]] == ["Christian Henning"]
        listed = await emu.reply_to(await emu.slash(emu.alice, "papers", member="Christian Henning"))
        assert listed.message["embeds"][0]["title"].startswith("13 papers (by Christian Henning)")
        about = await emu.reply_to(await emu.slash(emu.alice, "about", member="Henning"))
        card = about.message["embeds"][0]
        assert card["title"] == "Christian Henning"
        lab_card = (await emu.reply_to(await emu.slash(emu.alice, "about"))).message["embeds"][0]
        fields = {f["name"]: f["value"] for f in lab_card["fields"]}
        assert lab_card["title"] == "the Grewe lab"
        assert list(fields)[:2] == ["Alexander Meulemans", "Christian Henning"], "each member, with their figures"
        assert fields["Christian Henning"].startswith("13 papers here")
        assert emu.violations == []


@scenario
async def test_asked_on_discord_who_is_in_the_lab_the_members_come_with_their_papers(lab: Path) -> None:
    async with running_bot(config=lab) as (emu, _):
        reply = await emu.reply_to(await emu.slash(emu.alice, "ask", question="who is in the lab?"))
        embeds = reply.message["embeds"]
        fields = {f["name"]: f["value"] for f in embeds[0]["fields"]}
        assert embeds[0]["title"].startswith("About the Grewe lab: 2 members and 26 papers")
        assert fields["Alexander Meulemans"].startswith("15 papers") and fields["Christian Henning"].startswith("13")
        # Below the figures, each member's most typical paper, one line each, to open from the menu.
        (papers,) = embeds[1:]
        lines = papers["description"].splitlines()
        assert len(lines) == 2 and lines[0].startswith("• [Minimizing Control for Credit Assignment")
        assert lines[1].startswith("• [On out-of-distribution detection with Bayesian neural networks]")
        years = await emu.reply_to(await emu.slash(emu.alice, "ask", question="which year was the busiest?"))
        assert years.message["embeds"][0]["title"].startswith("Papers per year (the busiest: ")
        assert emu.violations == []


@scenario
async def test_stats_draws_papers_per_year_by_member_with_alt_text(lab: Path) -> None:
    async with running_bot(config=lab) as (emu, _):
        reply = await emu.reply_to(await emu.slash(emu.alice, "stats"), timeout=15)
        if reply.payload["type"] == 5:  # drawing took longer than the defer budget
            reply = await emu.followup(await emu.slash(emu.alice, "stats"), timeout=15)
        (attachment,) = reply.message["attachments"]
        assert reply.files[attachment["filename"]].startswith(b"\x89PNG")
        alt = attachment["description"]
        assert alt.startswith("Bar charts of the ") and "Papers per year, by member: Alexander Meulemans: " in alt
        assert "; Christian Henning: " in alt and "Most frequent coauthors: " in alt
        assert reply.message["embeds"][0]["image"]["url"] == f"attachment://{attachment['filename']}"
        one = await emu.reply_to(await emu.slash(emu.alice, "stats", member="Henning"), timeout=15)
        if one.payload["type"] != 5:
            assert "of Christian Henning. Papers per year: " in one.message["attachments"][0]["description"]
        assert emu.violations == []


def test_a_lab_of_two_fields_answers_what_each_member_alone_would(settings: Settings) -> None:
    """In a lab, one member's field words are rare among all the papers, and a question about a field
    nobody covers finds a word or two in each member's papers. Each paper is judged among its own
    members' papers, so the lab turns down what every member alone would, and doubts what they would."""
    glossary = load_glossary(settings.glossary)

    def ask(question: str, *members: str) -> tuple[list[str], str]:
        corpus = load_corpus([CORPORA / f"{member}.yaml" for member in members])
        answer = Engine(corpus, settings, glossary).ask(question)
        return [h.paper.id for h in answer.hits], answer.headline

    papers, headline = ask("did reed and mcglinn ever write together?", "reed", "mcglinn")
    assert papers == [] and headline.startswith("I found no paper by Courtney N. Reed with Daniel J. McGlinn.")
    roots = "transcription factors in plant roots"  # genes are Morabito's field, plants nobody's
    for members in (("reed",), ("morabito",), ("reed", "morabito")):
        assert ask(roots, *members)[0] == [], members
    violins = "gene expression in violin makers' hands"  # instruments are Reed's, genes nobody's here
    papers, headline = ask(violins, "reed", "mcglinn")
    assert (papers, headline) == (ask(violins, "reed")[0], "No paper is clearly about that. The closest:")
