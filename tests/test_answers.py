"""A member asks the engine questions; the reply shows the right papers, links, people and dates."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from bot.core.corpus import load_corpus
from bot.core.engine import Engine
from bot.core.glossary import load_glossary
from bot.core.models import Intent
from bot.render.text import render_answer
from bot.settings import ReplySettings, Settings


def arxiv_ids(answer: object) -> list[str | None]:
    return [h.paper.arxiv for h in answer.hits]  # type: ignore[attr-defined]


def test_a_topic_question_gets_the_right_paper_with_link_coauthors_and_summary(engine: Engine) -> None:
    answer = engine.ask("What is the least-control principle about?")
    assert answer.intent is Intent.TOPIC
    top = answer.hits[0]
    assert top.paper.title == "The least-control principle for local learning at equilibrium"
    assert top.paper.url == "https://arxiv.org/abs/2207.01332"
    assert "Nicolas Zucchet" in top.paper.authors
    assert "least-control" in top.summary
    # The reply a person reads carries the title, the link, the date and the member in bold.
    text = render_answer(answer, ReplySettings())
    assert top.paper.title in text
    assert "https://arxiv.org/abs/2207.01332" in text
    assert "4 Jul 2022" in text
    assert "**Alexander Meulemans**" in text


def test_the_summary_is_abstract_sentences_in_their_order_within_the_limit(engine: Engine) -> None:
    answer = engine.ask("credit assignment with a feedback controller")
    limit = engine.settings.summary.max_chars
    for hit in answer.hits:
        assert 0 < len(hit.summary) <= limit
        sentences = [s for s in hit.summary.rstrip("…").split(". ") if s]
        # Case aside: a sentence shown alone starts without its "Moreover," (tests/test_summaries.py).
        positions = [hit.paper.abstract.lower().find(s[:40].lower()) for s in sentences]
        assert all(p >= 0 for p in positions), "summary sentences come from the abstract"
        assert positions == sorted(positions), "and keep their original order"


def test_an_acronym_the_abstract_defines_finds_its_paper(engine: Engine) -> None:
    for question in ("What is COCOA?", "COCOA", "cocoa"):
        assert arxiv_ids(engine.ask(question))[:1] == ["2306.16803"], question
    assert arxiv_ids(engine.ask("Tell me about DFC"))[:1] == ["2106.07887"]
    assert arxiv_ids(engine.ask("MesaNet"))[:1] == ["2506.05233"]


def test_typos_and_british_spelling_still_match(engine: Engine) -> None:
    assert arxiv_ids(engine.ask("equilibirum learning"))[:1] == ["2207.01332"]
    assert arxiv_ids(engine.ask("targt propagaton"))[:1] == ["2006.14331"]
    assert arxiv_ids(engine.ask("continual lerning"))[:1] == ["2006.12109"]  # one letter dropped
    assert arxiv_ids(engine.ask("mesa optimisation in tranformers"))[:1] == ["2309.05858"]


def test_glossary_abbreviations_expand(engine: Engine) -> None:
    assert arxiv_ids(engine.ask("continual learning in RNNs"))[:1] == ["2006.12109"]
    assert arxiv_ids(engine.ask("LLM information extraction"))[:1] == ["2402.04437"]


def test_papers_with_a_coauthor_come_from_the_author_lists(engine: Engine) -> None:
    answer = engine.ask("What did he write with Nicolas Zucchet?")
    assert answer.intent is Intent.COAUTHOR
    assert sorted(arxiv_ids(answer)) == ["2207.01332", "2309.05858"]  # type: ignore[type-var]
    assert "Nicolas Zucchet" in answer.headline


def test_a_coauthors_possessive_names_them(engine: Engine) -> None:
    newest = engine.ask("Kobayashi's newest paper")
    assert newest.headline == "The newest paper with Seijin Kobayashi:" and len(newest.hits) == 1
    assert engine.ask("Zucchet's papers").headline == "2 papers with Nicolas Zucchet:"


def test_coauthor_names_match_without_accents_or_in_part(engine: Engine) -> None:
    with_accent = engine.ask("papers with Wołczyk")
    without = engine.ask("anything with wolczyk?")
    assert arxiv_ids(with_accent) == arxiv_ids(without)
    assert len(with_accent.hits) == 3
    assert engine.match_coauthor("zucchet") == "Nicolas Zucchet"
    # As a phone types "with": "w/", "w".
    for question in ("papers w/ zucchet", "papers w sacramento and kobayashi"):
        assert engine.ask(question).intent is Intent.COAUTHOR, question
    assert engine.match_coauthor("Joao") == "João Sacramento"


def test_an_ecologist_s_words_are_read_as_people_type_them(settings: Settings) -> None:
    # An ecologist's abstracts write "β-diversity"; a member types "beta diversity".
    corpus = load_corpus([Path(__file__).parent / "data" / "corpora" / "mcglinn.yaml"])
    ecology = Engine(corpus, settings, load_glossary(settings.glossary))
    answer = ecology.ask("beta diversity in soil bacteria")
    assert answer.hits[0].paper.title.startswith("Diazotrophs Show Signs of Restoration in Amazon Rain Forest Soils")
    assert not answer.tentative
    # A phone's swapped letters in the singular of the papers' plural ("Mountains").
    ants = ecology.ask("ants on a mountian")
    assert ants.hits and ants.hits[0].paper.title.startswith("A multiscale framework for disentangling")


def test_years_and_recency(engine: Engine) -> None:
    assert sorted(arxiv_ids(engine.ask("anything from 2021?"))) == ["2101.12509", "2106.07887"]  # type: ignore[type-var]
    # The newest paper asked for is one; what is new, the few newest.
    shown = {"his newest work": 1, "anything new?": 3, "what's new": 3, "is he still publishing?": 1,
             "still active?": 1}
    for question, n in shown.items():
        newest = engine.ask(question)
        assert newest.intent is Intent.NEWEST and len(newest.hits) == n, question
        assert newest.hits[0].paper.date == max(p.date for p in engine.corpus.papers)
    assert engine.ask("a new learning rule for equilibrium networks").intent is Intent.TOPIC
    # Counting a slice is its list, whose headline says how many; counting all is his figures.
    assert engine.ask("how many papers in 2022?").headline == "2 papers from 2022:"
    assert engine.ask("how many NeurIPS papers does he have?").headline.startswith("4 papers at NeurIPS")
    assert engine.ask("how many papers does he have?").intent is Intent.PROFILE
    oldest = min(p.date for p in engine.corpus.papers)
    for question in ("What was his first paper?", "his first paper about quantum chemistry"):
        first = engine.ask(question)  # about nothing he wrote: still his first paper, not his newest
        assert len(first.hits) == 1 and first.hits[0].paper.date == oldest, question
    since = engine.ask("papers since 2025")
    assert all(h.paper.date.year >= 2025 for h in since.hits) and len(since.hits) == 4


def test_code_organisation_and_venue_filters(engine: Engine) -> None:
    code = engine.ask("Which papers come with code?")
    assert code.hits and all(h.paper.code for h in code.hits)
    assert code.headline == f"{len(code.hits)} papers with code:"  # "come" is how it is asked, not a topic
    assert {h.paper.organisation for h in engine.ask("papers with DeepMind").hits} == {"deepmind"}
    neurips = engine.ask("his NeurIPS papers")
    assert len(neurips.hits) == 4 and all("NeurIPS" in (h.paper.venue or "") for h in neurips.hits)


def test_asking_for_code_or_figures_gets_them_however_it_is_put(engine: Engine) -> None:
    cocoa = engine.ask("is there code for COCOA?")
    assert cocoa.intent is Intent.CODE and cocoa.hits[0].paper.arxiv == "2306.16803" and cocoa.hits[0].paper.code
    for question in ("where is the code for the least-control paper?", "github link for the least control principle"):
        found = engine.ask(question).hits
        assert found and found[0].paper.title.startswith("The least-control principle") and found[0].paper.code
    for question in ("which papers are open source?", "is there a repository?", "papers with an implementation"):
        answer = engine.ask(question)
        assert answer.intent is Intent.CODE and answer.hits and all(h.paper.code for h in answer.hits), question
    # A paper that links no code: that paper, saying so, not every paper that has code.
    for question in ("is there code for MesaNet?", "does MesaNet have a github repo?"):
        answer = engine.ask(question)
        assert answer.intent is Intent.CODE and answer.headline == "This paper has no code link recorded:", question
        assert [h.paper.title[:7] for h in answer.hits] == ["MesaNet"]
    # Code about a topic whose paper links none: that paper, saying so, not "no paper with code".
    dilemmas = engine.ask("is there code for the social dilemmas paper?")
    assert dilemmas.intent is Intent.CODE and dilemmas.headline == "This paper has no code link recorded:"
    assert dilemmas.hits and not dilemmas.hits[0].paper.code and "dilemma" in dilemmas.hits[0].paper.abstract
    for question in ("show his figures", "what are his stats?", "his citation metrics"):
        answer = engine.ask(question)
        assert answer.intent is Intent.PROFILE and "h-index" in dict(answer.facts), question


def test_profile_figures_are_shown_as_reported_when_they_cannot_all_be_true(engine: Engine) -> None:
    # The profile page says h-index 75 with 15 papers and 436 citations: an h-index of 75 needs 75
    # papers cited 75 times each. The figures are shown, but not as fact.
    h_index = dict(engine.ask("What is his h-index?").facts)
    assert h_index["h-index"] == "75 (reported by profile page)"
    assert h_index["In doubt"] == ("An h-index of 75 needs at least 5,625 citations, not 436; an h-index of 75 needs "
                                   "at least 75 papers, not 15.")  # fmt: skip
    assert dict(engine.ask("how many citations?").facts)["Citations"] == "436 (reported by profile page)"
    # A ranking by citations per paper is not a question about his total: no source gives one.
    for question in ("what's his most cited paper?", "which of his papers is the most influential?",
                     "which paper has the most citations?"):  # fmt: skip
        answer = engine.ask(question)
        assert answer.headline == "I have no citation counts per paper, only Alexander Meulemans' total:", question
        assert dict(answer.facts)["Citations"].startswith("436") and not answer.hits
    top = engine.ask("Who are his most frequent coauthors?")
    assert top.intent is Intent.COAUTHORS
    name, count = top.facts[0]
    assert name == "João Sacramento" and count.startswith("11")


def test_who_he_is_and_what_she_works_on_are_answered_from_the_papers(engine: Engine) -> None:
    # A new member's first question; "she" and "they" read as "he" does, the researcher's name too.
    for question in ("who is he?", "what does she work on?", "tell me about Alexander Meulemans",
                     "what are their research interests?", "Alexander Meulemans"):  # fmt: skip
        answer = engine.ask(question)
        assert answer.intent is Intent.ABOUT, question
        assert answer.headline.startswith("About Alexander Meulemans, from the 15 papers here")
        facts = dict(answer.facts)
        assert facts["Papers here"] == "15, 2020–2026"
        assert facts["Writes most with"].startswith("João Sacramento (11), Seijin Kobayashi (8)")
        assert facts["Fields"].startswith("Machine Learning (10)")
        # Three of his papers, the most typical of his work: credit assignment through feedback control.
        assert len(answer.hits) == 3 and "Deep Feedback Control" in {h.paper.title[-21:] for h in answer.hits}
        assert all(h.summary for h in answer.hits), "each with its gist"
    # A pronoun with a topic is still a topic question, "his papers" the list, "with whom" his coauthors.
    assert engine.ask("what did she write about meta-learning?").intent is Intent.TOPIC
    assert len(engine.ask("her papers").hits) == 15
    assert engine.ask("who does she work with?").intent is Intent.COAUTHORS


def test_who_he_is_shows_three_works_not_two_versions_of_one(engine: Engine, settings: Settings) -> None:
    # A lab's BibTeX often holds a workshop version and a journal version of one paper.
    top = engine.ask("who is he?").hits[0].paper
    twin = dataclasses.replace(top, id=f"{top.id}-journal", title=f"{top.title} (journal version)")
    corpus = dataclasses.replace(engine.corpus, papers=(twin, *engine.corpus.papers))
    hits = Engine(corpus, settings, load_glossary(settings.glossary)).ask("who is he?").hits
    assert len(hits) == 3 and len({h.paper.abstract for h in hits}) == 3


def test_out_of_scope_questions_get_no_paper_and_a_plain_explanation(engine: Engine) -> None:
    for question in ("What's the weather in Paris?", "the and of it", "", "???", "🙂"):
        answer = engine.ask(question)
        assert answer.hits == (), question
        assert answer.intent is Intent.NONE or answer.intent is Intent.HELP
        assert answer.suggestions, "it suggests what it can answer"
        text = render_answer(answer, ReplySettings())
        assert "papers of Alexander Meulemans" in text or "I answer questions" in text


def test_help_lists_examples(engine: Engine) -> None:
    answer = engine.ask("help")
    assert answer.intent is Intent.HELP and len(answer.suggestions) >= 4


def test_structured_lookups_for_front_ends(engine: Engine) -> None:
    cocoa = engine.find_paper("COCOA")
    assert cocoa is not None and cocoa.arxiv == "2306.16803"
    assert engine.find_paper(cocoa.id) == cocoa
    assert engine.find_paper("least control principle") is not None
    related = engine.related(cocoa)
    assert related and cocoa not in [h.paper for h in related]
    assert [p.date for p in engine.list_papers()] == sorted((p.date for p in engine.corpus.papers), reverse=True)
    assert all(p.date.year == 2020 for p in engine.list_papers(year=2020))
    assert len(engine.list_papers(coauthor="zucchet")) == 2
    labels = dict(engine.complete_papers("coc"))
    assert any("COCOA" in label for label in labels)
    assert engine.complete_coauthors("sacr") == ("João Sacramento",)
