"""A member's first message, as typed on a phone: a greeting, thanks, "what can u do", a paper asked for
by a few words of it with the link or BibTeX wanted, last year's papers, "his first paper".

Each was asked of the bot by hand (or written by a helper session from the corpus files alone) and
answered wrongly before: "None of Alexander Meulemans' papers is about that", or "Which paper do you
mean?" to a first question.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from bot.config import load_settings
from bot.core.conversation import Conversation
from bot.core.engine import Engine
from bot.core.followups import converse
from bot.core.intents import QuestionReader
from bot.core.models import Answer, Intent
from bot.core.spelling import one_edit
from tests.test_conversations import ROOT


def first(engine: Engine, question: str) -> Answer:
    """The answer to `question` as the first message of a conversation (Discord's /ask, `bot ask`)."""
    return converse(engine, question, Conversation()).answer


@pytest.fixture(scope="module")
def morabito() -> Engine:
    settings = load_settings(ROOT / "config" / "config.yaml", env={})
    corpus = (ROOT / "tests" / "data" / "corpora" / "morabito.yaml",)
    return Engine.from_settings(dataclasses.replace(settings, corpus=corpus, data_dir=None))


@pytest.fixture(scope="module")
def mcglinn() -> Engine:
    settings = load_settings(ROOT / "config" / "config.yaml", env={})
    corpus = (ROOT / "tests" / "data" / "corpora" / "mcglinn.yaml",)
    return Engine.from_settings(dataclasses.replace(settings, corpus=corpus, data_dir=None))


@pytest.fixture(scope="module")
def steinmetz() -> Engine:
    """Zacharias Steinmetz's papers, from his real BibTeX: the sixth field, in no dev set."""
    settings = load_settings(ROOT / "config" / "config.yaml", env={})
    corpus = (ROOT / "tests" / "data" / "corpora" / "steinmetz.yaml",)
    return Engine.from_settings(dataclasses.replace(settings, corpus=corpus, data_dir=None))


@pytest.mark.parametrize("hello", ["hi", "Hey there!", "hello 👋", "Good morning", "bonjour"])
def test_a_greeting_is_greeted_and_told_what_the_bot_answers(engine: Engine, hello: str) -> None:
    answer = first(engine, hello)
    assert answer.intent is Intent.HELP
    assert answer.headline.startswith("Hi! I answer questions about the 15 papers of Alexander Meulemans")
    assert answer.suggestions, "with examples to ask"
    assert answer.hits == ()


@pytest.mark.parametrize("thanks", ["thx 🙏", "ty!!", "thanks a lot", "ok thanks", "Danke schön", "merci"])
def test_thanks_get_a_short_welcome_and_no_papers(engine: Engine, thanks: str) -> None:
    answer = first(engine, thanks)
    assert answer.headline == "You're welcome! Ask me anything else about Alexander Meulemans' papers."
    assert answer.hits == () and answer.suggestions == ()


def test_what_can_u_do_is_a_request_for_help(engine: Engine) -> None:
    assert first(engine, "what can u do").intent is Intent.HELP


def test_a_greeting_before_a_question_leaves_the_question(engine: Engine) -> None:
    answer = first(engine, "Good morning! anything new?")
    assert answer.intent is Intent.NEWEST
    assert answer.hits[0].paper.title == engine.corpus.papers[0].title


def test_a_paper_asked_for_by_a_few_of_its_words_gets_the_fact_wanted(engine: Engine) -> None:
    cite = first(engine, "bibtex for the least control paper")
    assert cite.intent is Intent.FACT
    assert cite.headline == "BibTeX for “The least-control principle for local learning at equilibrium”:"
    assert "2207.01332" in cite.bibtex
    read = first(engine, "arxiv link for the late phase weights paper pls")
    assert read.about is not None and read.about.title == "Neural networks with late-phase weights"
    assert ("Link", "https://arxiv.org/abs/2007.12927") in read.facts


def test_a_paper_found_by_its_words_in_another_field_too(morabito: Engine) -> None:
    doi = first(morabito, "doi for the cocaine paper")
    assert doi.about is not None and doi.about.title.startswith("Relapse to cocaine seeking")
    assert ("Link", "https://doi.org/10.1016/j.celrep.2024.113956") in doi.facts


def test_a_list_of_papers_with_code_is_still_a_list(engine: Engine) -> None:
    answer = first(engine, "which papers have code")
    assert answer.intent is Intent.CODE
    assert len(answer.hits) == 8


def test_words_that_describe_no_paper_for_sure_give_no_guessed_fact(engine: Engine) -> None:
    answer = first(engine, "bibtex for the paper about bananas")
    assert answer.intent is not Intent.FACT


def test_last_years_papers_as_a_phone_types_it(engine: Engine) -> None:
    last = dt.date.today().year - 1
    answer = first(engine, "last years papers")
    assert str(last) in answer.headline
    assert [h.paper.title for h in answer.hits] == [p.title for p in engine.corpus.papers if p.date.year == last]


def test_his_first_paper_asked_first_is_his_oldest_not_which_do_you_mean(engine: Engine) -> None:
    answer = first(engine, "what was the first paper he ever wrote?")
    assert answer.intent is Intent.OLDEST
    assert [h.paper.title for h in answer.hits] == [engine.corpus.papers[-1].title]
    assert first(engine, "the second one").intent is Intent.CLARIFY, "a place in no list is still asked about"


def test_where_he_publishes_is_his_venues_with_counts_most_papers_first(engine: Engine) -> None:
    for question in ("which conferences has he published at", "where does he usually publish",
                     "which conference does he publish at the most"):  # fmt: skip
        answer = first(engine, question)
        assert answer.intent is Intent.VENUES, question
        assert answer.headline == "Where Alexander Meulemans' papers appeared:"
        venues = dict(answer.facts)
        assert venues["NeurIPS"] == "4 papers (2020, 2021, 2022, 2023)"
        assert venues["ICML"] == "1 paper (2022)"
        assert list(venues)[:2] == ["ICLR", "NeurIPS"], "most papers first, then by name"
        assert venues["No venue recorded"].startswith("5 papers")
        total = sum(int(v.split()[0]) for v in venues.values())
        assert total == len(engine.corpus.papers)


def test_venues_of_a_slice_keep_its_filters(engine: Engine) -> None:
    answer = first(engine, "where did he publish with Grewe")
    assert answer.headline == "Where Alexander Meulemans' papers with Benjamin F. Grewe appeared:"
    assert sum(int(v.split()[0]) for _, v in answer.facts) == 5
    recent = first(engine, "which venues since 2025")
    omitted = "3 papers (preprints, or venues their sources omit)"
    assert dict(recent.facts) == {"ICLR": "1 paper (2026)", "No venue recorded": omitted}


def test_where_one_paper_appeared_is_still_that_paper_fact(engine: Engine) -> None:
    answer = first(engine, "where did he publish the DFC paper")
    assert answer.intent is Intent.FACT
    assert ("Venue", "NeurIPS 2021") in answer.facts


def test_who_is_a_coauthor_typed_in_lower_case_lists_the_papers_with_them(engine: Engine, morabito: Engine) -> None:
    kobayashi = first(engine, "who is seijin kobayashi")
    assert kobayashi.intent is Intent.COAUTHOR
    assert kobayashi.headline.startswith("8 papers with Seijin Kobayashi")
    sacramento = first(engine, "What does João Sacramento work on?")
    assert sacramento.headline.startswith("11 papers with João Sacramento")
    assert first(morabito, "who is vivek swarup").headline.startswith("13 papers with Vivek Swarup")


def test_someone_who_wrote_none_of_the_papers_is_named_in_the_reply(engine: Engine, morabito: Engine) -> None:
    assert first(engine, "papers with yoshua bengio").headline.startswith("I found no paper with Yoshua Bengio.")
    assert first(engine, "who is geoffrey hinton").headline.startswith("I found no paper with Geoffrey Hinton.")
    # Not the corpus' Benjamin R. Alexander: a Benjamin whose surname no paper has.
    grewe = first(morabito, "did morabito work with benjamin grewe")
    assert grewe.hits == () and "Benjamin Grewe" in grewe.headline
    assert first(morabito, "papers with benjamin").headline.startswith("1 paper with Benjamin R. Alexander")


def test_a_collab_between_the_member_and_a_coauthor(engine: Engine) -> None:
    answer = first(engine, "meulemans and sacramento collab?")
    assert answer.intent is Intent.COAUTHOR
    assert answer.headline == "11 papers with João Sacramento:"


def test_first_author_papers_are_those_he_is_first_author_of_not_his_oldest(engine: Engine) -> None:
    answer = first(engine, "which papers is he first author on")
    assert answer.headline == "7 papers as first author:"
    assert all(h.paper.authors[0] == "Alexander Meulemans" for h in answer.hits)
    expected = [p.title for p in engine.corpus.papers if p.authors[0] == "Alexander Meulemans"]
    assert [h.paper.title for h in answer.hits] == expected
    last = first(engine, "his last-author papers since 2021")
    assert [h.paper.authors[-1] for h in last.hits] == ["Alexander Meulemans"] * len(last.hits) and last.hits
    assert first(engine, "his first paper").intent is Intent.OLDEST, "a first paper is still the oldest"


def test_what_is_this_bot_and_question_marks_alone_ask_for_help(engine: Engine) -> None:
    for question in ("what is this bot", "who are you", "???"):
        assert first(engine, question).intent is Intent.HELP, question


def test_a_span_of_years_typed_with_a_dash(engine: Engine) -> None:
    answer = first(engine, "papers 2021-2022?")
    assert answer.headline.startswith("4 papers from 2021 to 2022")


def test_code_asked_of_a_paper_without_any_is_that_paper_not_another_with_code(engine: Engine) -> None:
    answer = first(engine, "is there code for the impact regularizer one")
    assert answer.about is not None and answer.about.title.startswith("Challenges for Using Impact Regularizers")
    assert answer.facts == (("Code", "none listed in its sources"),)


def test_a_venue_is_one_row_whatever_its_year_or_edition_and_a_long_list_is_cut(morabito: Engine) -> None:
    settings = load_settings(ROOT / "config" / "config.yaml", env={})
    reed = Engine.from_settings(
        dataclasses.replace(settings, corpus=(ROOT / "tests" / "data" / "corpora" / "reed.yaml",), data_dir=None)
    )
    venues = first(reed, "where does she publish").facts
    # Her TEI papers are filed under the fifteenth to the twentieth conference's proceedings.
    assert venues[0] == ("International Conference on Tangible, Embedded, and Embodied Interaction",
                         "9 papers (2021, 2022, 2023, 2024, 2025, 2026)")  # fmt: skip
    # Her CHI papers and CHI workshop papers are one row, under the name members use, as "chi papers" counts them.
    assert ("CHI", "8 papers (2022, 2023, 2025; 5 conference papers and 3 workshop papers)") in venues
    assert len(venues) == 11 and venues[-1] == ("13 other venues", "13 papers"), "ten venues, then a count"
    assert sum(int(v.split()[0]) for _, v in venues) == len(reed.corpus.papers)
    assert first(morabito, "which journals has he published in").facts[0][0] == "Alzheimer's & Dementia"


def test_papers_in_the_plural_lists_every_paper_that_answers(engine: Engine, morabito: Engine) -> None:
    rl = first(engine, "which papers are about reinforcement learning")
    about_rl = {p.title for p in engine.corpus.papers if "reinforcement" in (p.title + p.abstract).lower()}
    # All six, the one the index is less sure of (Embedded Universal Predictive Intelligence) too.
    assert {h.paper.title for h in rl.hits} == about_rl and len(about_rl) == 6
    assert len(first(engine, "what is reinforcement learning about in his work?").hits) <= 3, "a question, not a list"
    alzheimer = first(morabito, "alzheimers papers")
    mention = {p.title for p in morabito.corpus.papers if "alzheimer" in (p.title + p.abstract).lower()}
    assert {h.paper.title for h in alzheimer.hits} <= mention and len(alzheimer.hits) >= 8, "of 10 that mention it"


@pytest.mark.parametrize(
    ("question", "venue"),
    [("anything at CVPR?", "CVPR"), ("any papers at cvpr 2023", "CVPR"), ("did he publish in nature", "Nature")],
)
def test_a_venue_none_of_his_papers_appeared_at_is_said_so_with_where_they_did(
    engine: Engine, question: str, venue: str
) -> None:
    answer = first(engine, question)
    assert answer.intent is Intent.VENUES
    assert answer.headline.startswith("I found no paper")
    assert f"at {venue}." in answer.headline
    assert not answer.hits  # no paper of his offered as if it were one
    assert "NeurIPS" in [label for label, _ in answer.facts]


def test_a_word_after_at_that_names_no_venue_stays_in_the_topic(engine: Engine) -> None:
    assert first(engine, "pruning a network to a sparse lottery ticket at initialisation").intent is not Intent.VENUES
    assert first(engine, "papers at ICML").hits[0].paper.venue == "ICML 2022"


def test_a_nickname_is_the_member(engine: Engine) -> None:
    where = first(engine, "where has alex published?")
    assert where.intent is Intent.VENUES and where.headline == "Where Alexander Meulemans' papers appeared:"
    newest = first(engine, "alex's latest paper")
    assert "none is about" not in newest.headline  # "alex" is no topic
    assert [h.paper.title for h in newest.hits] == ["Multi-agent cooperation through in-context co-player inference"]
    # An everyday word is no nickname, even where it begins a given name: "step-by-step" is no Stephen's.
    member = dataclasses.replace(engine.corpus.members[0], name="Stephen Meulemans", aliases=())
    stephen = QuestionReader(dataclasses.replace(engine.corpus, members=(member,)), {})
    assert stephen.read("a step-by-step derivation of target propagation").topic.startswith("step step")
    assert stephen.read("what did steph write about target propagation").topic == "target propagation"


def test_a_clipped_word_is_the_papers_word_it_begins_beside_its_phrase(engine: Engine) -> None:
    assert first(engine, "target prop").hits[0].paper.title == "A Theoretical Framework for Target Propagation"
    plausible = {h.paper.title for h in first(engine, "bio plausible learning").hits}
    assert "Credit Assignment in Neural Networks through Deep Feedback Control" in plausible
    # Alone, an English word that begins several of the papers' words stands for none of them.
    assert not first(engine, "prop").hits


def test_a_lower_case_coauthor_joined_to_the_member_by_and(morabito: Engine) -> None:
    for question in ("what did morabito and swarup write", "swarup and morabito papers"):
        assert first(morabito, question).headline == "13 papers with Vivek Swarup:", question
    # Beside a topic, "and" says nothing of a person; the name does, being no word of the papers or of
    # English: Swarup's papers about microglia.
    microglia = first(morabito, "microglia and swarup")
    assert microglia.coauthor == "Vivek Swarup" and microglia.headline.endswith("about microglia:")


def test_an_organisation_is_named_as_people_write_it(engine: Engine) -> None:
    assert first(engine, "anything with deepmind people").headline == "2 papers with Google DeepMind:"


def test_a_journal_named_whole_is_that_journal_not_every_one_its_name_begins(mcglinn: Engine) -> None:
    ecology = first(mcglinn, "which ones are in Ecology (the journal)")
    assert ecology.headline == "6 papers at Ecology:"  # not Ecology Letters, nor Ecology and Evolution
    assert {h.paper.venue for h in ecology.hits} == {"Ecology"}
    # In lower case, a whole venue's name after "published in" or before "paper".
    for question in ("did he publish in nature", "did dan ever get a nature paper"):
        nature = first(mcglinn, question)
        assert [h.paper.venue for h in nature.hits] == ["Nature"], question
    assert first(mcglinn, "the nature of species turnover").intent is Intent.TOPIC


def test_a_list_asked_in_everyday_words_is_the_list_not_a_topic_none_is_about(engine: Engine) -> None:
    assert first(engine, "what came out in 2021").headline == "2 papers from 2021:"
    # A real word no paper uses is still said to be about none of them.
    assert "(none is about cats)" in first(engine, "papers from 2021 about cats").headline


def test_what_is_this_thing_asks_what_the_bot_does(engine: Engine) -> None:
    assert first(engine, "hi! what is this thing").intent is Intent.HELP
    assert first(engine, "what is this thing about gradient descent").intent is not Intent.HELP


def test_a_paper_asked_for_by_its_code_repository_s_name() -> None:
    settings = load_settings(ROOT / "config" / "config.yaml", env={})
    corpus = (ROOT / "tests" / "data" / "corpora" / "henning.yaml",)
    henning = Engine.from_settings(dataclasses.replace(settings, corpus=corpus, data_dir=None))
    answer = first(henning, "hypercl code link?")
    assert answer.about is not None and answer.about.title == "Continual learning with hypernetworks"
    assert "https://github.com/chrhenning/hypercl" in [value for _, value in answer.facts]


def test_a_venue_s_papers_say_how_many_are_its_workshops() -> None:
    settings = load_settings(ROOT / "config" / "config.yaml", env={})
    corpus = (ROOT / "tests" / "data" / "corpora" / "reed.yaml",)
    reed = Engine.from_settings(dataclasses.replace(settings, corpus=corpus, data_dir=None))
    chi = first(reed, "how many chi papers does courtney have")
    assert chi.headline == "8 papers at CHI (5 conference papers and 3 workshop papers):"
    assert first(reed, "papers at NIME").headline == "6 papers at NIME:"  # one kind: nothing to split


def test_his_busiest_year_is_his_papers_per_year(engine: Engine, mcglinn: Engine) -> None:
    for question in ("papers per year", "what was his most productive year?", "which year did he publish the most"):
        answer = first(engine, question)
        assert answer.intent is Intent.YEARS, question
        counts = dict(answer.facts)
        assert sum(int(v.split()[0]) for v in counts.values()) == len(engine.corpus.papers)
        busiest = max(counts, key=lambda y: (int(counts[y].split()[0]), y))
        assert f"the busiest: {busiest}" in answer.headline
    # A topic left in the question is a topic question, not the years.
    assert first(mcglinn, "papers per year on biodiversity").intent is not Intent.YEARS


def test_what_is_new_is_the_few_newest_papers_and_his_newest_paper_is_one(engine: Engine) -> None:
    newest = sorted(engine.corpus.papers, key=lambda p: p.date, reverse=True)
    for question in ("anything new?", "what's he been up to lately?"):
        answer = first(engine, question)
        assert answer.headline == "The 3 newest papers:", question
        assert [h.paper.id for h in answer.hits] == [p.id for p in newest[:3]]
    one = first(engine, "what's his newest paper?")
    assert [h.paper.id for h in one.hits] == [newest[0].id]


def test_a_venue_s_workshops_are_its_row_and_its_full_name_answers_its_short_one() -> None:
    settings = load_settings(ROOT / "config" / "config.yaml", env={})
    henning = Engine.from_settings(
        dataclasses.replace(settings, corpus=(ROOT / "tests" / "data" / "corpora" / "henning.yaml",), data_dir=None)
    )
    venues = dict(first(henning, "which conferences has he published at").facts)
    # "Conference on Neural Information Processing Systems" and two "NeurIPS Workshop on ..." papers.
    assert venues["NeurIPS"] == "3 papers (2018, 2021; 2 workshop papers and 1 conference paper)"
    # BibTeX's "International Conference on Learning Representations" is what "iclr" asks for.
    assert first(henning, "how many iclr papers does he have?").headline.startswith("3 papers at ICLR")


def test_anything_new_this_month_says_whether_there_is(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    newest = max(engine.corpus.papers, key=lambda p: p.date)
    # A day in the newest paper's month: that paper is this month's.
    monkeypatch.setattr(engine.reader, "today", newest.date.replace(day=28))
    found = first(engine, "anything new this month?")
    assert found.headline.endswith("from this month:") and found.hits[0].paper.id == newest.id
    assert all(h.paper.date >= newest.date.replace(day=1) for h in found.hits)
    # Two months on, nothing: it says so, then the three newest.
    monkeypatch.setattr(engine.reader, "today", (newest.date.replace(day=1) + dt.timedelta(days=62)).replace(day=15))
    none = first(engine, "anything new this month?")
    assert none.headline == "No paper from this month. The 3 newest papers:"
    assert none.hits[0].paper.id == newest.id and len(none.hits) == 3


def test_a_paper_named_by_its_acronym_after_the(engine: Engine) -> None:
    for question in ("whats the cocoa paper", "tell me about the mesanet paper"):
        assert first(engine, question).intent is Intent.PAPER, question
    title = "The least-control principle for local learning at equilibrium"
    assert first(engine, title).hits[0].paper.title == title


def test_a_journal_family_asked_by_its_first_word_says_none_is_in_that_journal_itself(morabito: Engine) -> None:
    answer = first(morabito, "any nature papers")
    assert answer.headline == "2 papers at Nature (none in Nature itself: Nature Genetics):"
    assert {h.paper.venue for h in answer.hits} == {"Nature Genetics"}


def test_a_paper_goes_by_the_name_its_title_spells_out(mcglinn: Engine) -> None:
    # "Measurement of Biodiversity (MoB): ..." is the MoB paper, not the later one that extends it.
    for question in ("summarize the MoB paper", "what is MoB"):
        answer = first(mcglinn, question)
        assert answer.intent is Intent.PAPER, question
        assert answer.hits[0].paper.title.startswith("Measurement of Biodiversity (MoB)"), question
    # Asked in the plural, it is the papers about MoB, still a list.
    assert len(first(mcglinn, "which papers use MoB").hits) > 1


def test_his_latest_paper_on_a_topic_is_the_newest_of_the_papers_about_it(engine: Engine) -> None:
    latest = first(engine, "his latest paper on credit assignment")
    assert latest.headline == "The newest paper about credit assignment:"
    assert [h.paper.date.year for h in latest.hits] == [2023]  # COCOA, not the best-fitting DFC paper of 2021
    earliest = first(engine, "his first paper on credit assignment")
    assert earliest.headline == "The oldest paper about credit assignment:"
    assert earliest.hits[0].paper.title == "Credit Assignment in Neural Networks through Deep Feedback Control"
    newest_first = first(engine, "his recent papers on credit assignment")
    years = [h.paper.date for h in newest_first.hits]
    assert len(years) > 2 and years == sorted(years, reverse=True)
    # Of papers only loosely about a topic, the newest is no answer: the closest, saying so.
    loose = first(engine, "what was his most recent work on meta-learning")
    assert loose.tentative and loose.headline.startswith("No paper is clearly about that")
    # A word of the topic itself is no order: "first-person" interviews, "the current state of".
    assert not first(engine, "first-person accounts of credit assignment").headline.startswith("The oldest")


def test_an_acronym_is_not_corrected_into_another_one_letter_away(morabito: Engine) -> None:
    # "snRNA-seq" (single-nucleus) is not a slip of the "scRNA-Seq" of a breast-tissue paper: n and c
    # are far apart on a keyboard.
    answer = first(morabito, "what's the snRNA-seq alzheimers paper")
    assert all("mammary" not in h.paper.title for h in answer.hits)
    assert one_edit("targt", "target") and one_edit("netwprk", "network") and one_edit("audiance", "audience")
    assert not one_edit("snrna", "scrna")


def test_a_word_of_a_phrase_written_another_way_is_found_where_that_way_is() -> None:
    settings = load_settings(ROOT / "config" / "config.yaml", env={})
    corpus = (ROOT / "tests" / "data" / "corpora" / "henning.yaml",)
    henning = Engine.from_settings(dataclasses.replace(settings, corpus=corpus, data_dir=None))
    # The papers say "Bayesian neural networks", never "nets": the glossary's "neural nets" is theirs.
    answer = first(henning, "bayesian neural nets papers")
    assert not answer.tentative
    assert {"Are Bayesian neural networks intrinsically good at out-of-distribution detection?",
            "On out-of-distribution detection with Bayesian neural networks"} <= {h.paper.title for h in answer.hits}


def test_a_typo_of_a_glossary_term_no_paper_uses_reads_as_the_term(engine: Engine) -> None:
    # No abstract says "safety": it is the glossary's, which the papers write as "side effects".
    typo, right = first(engine, "saftey"), first(engine, "safety")
    assert typo.hits and [h.paper.id for h in typo.hits] == [h.paper.id for h in right.hits]


def test_an_everyday_word_a_journal_writes_in_capitals_is_still_the_topic() -> None:
    settings = load_settings(ROOT / "config" / "config.yaml", env={})
    corpus = (ROOT / "tests" / "data" / "corpora" / "steinmetz.yaml",)
    steinmetz = Engine.from_settings(dataclasses.replace(settings, corpus=corpus, data_dir=None))
    # One of his journals is called SOIL: "in soil" is where the microplastics are, not where he published.
    answer = first(steinmetz, "microplastics in soil")
    assert answer.intent is Intent.TOPIC and len(answer.hits) > 1
    assert all("icroplastic" in h.paper.title for h in answer.hits)
    assert first(steinmetz, "his SOIL papers").headline == "1 paper at SOIL:"
    # A journal's whole name, typed in lower case, ending a question about papers in it.
    assert first(steinmetz, "his papers in analytical chemistry").headline == "3 papers at Analytical Chemistry:"


def test_what_a_coauthor_wrote_is_the_papers_with_them(engine: Engine) -> None:
    # "What did Sacramento write?" had found no paper "about" Sacramento.
    for question in ("what did Sacramento write?", "what has sacramento published?"):
        assert first(engine, question).headline == "11 papers with João Sacramento:", question
    about = first(engine, "what did Sacramento write about meta-learning?")
    assert about.headline.startswith("Papers with João Sacramento about")
    assert all("João Sacramento" in h.paper.authors for h in about.hits)
    # A surname no paper uses and English does not have is a person's, in lower case and without a cue.
    assert first(engine, "papers sacramento wrote").headline == "11 papers with João Sacramento:"
    assert first(engine, "kobayashi stuff").headline == "8 papers with Seijin Kobayashi:"
    # Only the word in that place: "what did Henning write about Hamiltonian Monte Carlo" names no Monte.
    henning = first(engine, "what did henning publish in 2021?")
    assert henning.headline.startswith("I found no paper with Christian Henning from 2021")


def test_a_coauthor_an_abstract_also_names_is_still_found_by_surname() -> None:
    settings = load_settings(ROOT / "config" / "config.yaml", env={})
    corpus = (ROOT / "tests" / "data" / "corpora" / "reed.yaml",)
    reed = Engine.from_settings(dataclasses.replace(settings, corpus=corpus, data_dir=None))
    # An abstract says "Strohmeier's bass/guitar", so his name is also a word of the papers.
    for question in ("papers with strohmeier", "papers with Strohmeier"):
        assert first(reed, question).headline == "10 papers with Paul Strohmeier:", question
    # When a collaboration started is its oldest paper.
    started = first(reed, "when did she start working with strohmeier")
    assert started.headline == "The oldest paper with Paul Strohmeier:"


def test_a_coauthor_is_named_by_a_short_first_name_or_alone_after_who_is(mcglinn: Engine) -> None:
    # Jonathan M. Chase is "jon" to his colleagues, and "chase" is also an English word.
    for question in ("papers with jon chase", "anything with nick gotelli", "who is chase"):
        answer = first(mcglinn, question)
        assert answer.headline in ("13 papers with Jonathan M. Chase:", "10 papers with Nicholas J. Gotelli:"), question


def test_his_work_on_a_topic_is_all_of_it(morabito: Engine) -> None:
    # Ten of Samuel Morabito's papers are about Alzheimer's disease; "his work on" asks for them all.
    papers = first(morabito, "sam's papers on alzheimer's")
    for question in ("his work on alzheimer's", "sam's alzheimer's research"):
        answer = first(morabito, question)
        assert answer.headline == papers.headline and len(answer.hits) == len(papers.hits) > 3, question
    assert len(first(morabito, "does he work on alzheimer's?").hits) <= 3, "a yes-or-no, shown by the best few"


@pytest.mark.parametrize(
    "question",
    ["where should I start?", "best paper to start with?", "any must-reads?",
     "new to the lab, what should i read first", "tldr of his research?", "tl;dr of his work"],
)  # fmt: skip
def test_a_newcomer_asking_where_to_start_gets_the_most_typical_papers(engine: Engine, question: str) -> None:
    answer = first(engine, question)
    assert answer.intent is Intent.ABOUT and answer.hits, question
    assert answer.headline.startswith("About Alexander Meulemans")


@pytest.mark.parametrize("question", ["what's COCOA?", "whats cocoa", "what is cocoa"])
def test_a_paper_asked_for_by_its_name_with_a_contraction_is_that_paper(engine: Engine, question: str) -> None:
    answer = first(engine, question)
    assert answer.intent is Intent.PAPER and answer.headline == "The paper you named:", question
    assert "counterfactual contribution analysis" in answer.hits[0].paper.title


@pytest.mark.parametrize(
    ("question", "title"),
    [
        ("doi for the mulching review", "Plastic mulching in agriculture"),
        ("url for the spider paper", "Subsidy Quality Affects Common Riparian Web-Building Spiders"),
        ("pdf for his TGA paper", "Quantitative Analysis of Poly(ethylene terephthalate) Microplastics"),
    ],
)
def test_a_link_asked_for_by_a_papers_words_is_not_a_topic_of_its_own(
    steinmetz: Engine, question: str, title: str
) -> None:
    # Zacharias Steinmetz's corpus: "doi" and "url" are in none of his abstracts, and had made the
    # question one about something no paper covers.
    answer = first(steinmetz, question)
    shown = [h.paper.title for h in answer.hits[:1]] or [answer.headline.removeprefix("Where to read “")]
    assert shown[0].startswith(title), question
    assert steinmetz.reader.read("the link between mulching and soil microbes").topic.startswith("link"), "a topic"


def test_the_newest_paper_where_only_years_are_known_and_several_share_the_last(steinmetz: Engine) -> None:
    # Steinmetz's BibTeX gives years only, and three of his papers are from 2025.
    answer = first(steinmetz, "whats the newest paper")
    assert answer.headline == "The 3 newest papers (all from 2025, their sources give no month):"
    assert {h.paper.date.year for h in answer.hits} == {2025}
    assert len(first(steinmetz, "oldest one?").hits) == 1, "one paper from 2015"
