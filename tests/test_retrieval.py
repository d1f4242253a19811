"""How questions find papers on corpora nobody tuned for: word forms, acronyms, and everyday questions."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import load_settings
from bot.core.acronyms import phrases_by_initials, spelt_out
from bot.core.corpus import load_corpus
from bot.core.engine import Engine
from bot.core.glossary import load_glossary
from bot.core.models import Intent
from bot.core.rarity import rarity

ROOT = Path(__file__).resolve().parent.parent
CORPORA = {
    "meulemans": ROOT / "corpus" / "alexander-meulemans.yaml",
    "reed": ROOT / "tests" / "data" / "corpora" / "reed.yaml",
    "morabito": ROOT / "tests" / "data" / "corpora" / "morabito.yaml",
    "henning": ROOT / "tests" / "data" / "corpora" / "henning.yaml",
    "mcglinn": ROOT / "tests" / "data" / "corpora" / "mcglinn.yaml",
}


STEINMETZ = ROOT / "tests" / "data" / "corpora" / "steinmetz.yaml"  # the sixth field: in no dev set


def engine_of(*paths: Path, lab: str = "") -> Engine:
    """The engine for these corpus files (a lab of them when `lab` names it), as configured."""
    settings = load_settings()
    return Engine(load_corpus(paths, lab=lab), settings, load_glossary(settings.glossary))


@pytest.fixture(scope="module")
def engines() -> dict[str, Engine]:
    return {name: engine_of(path) for name, path in CORPORA.items()}


def titles(engine: Engine, question: str) -> list[str]:
    return [h.paper.title for h in engine.ask(question).hits]


@pytest.mark.parametrize("corpus", sorted(CORPORA))
@pytest.mark.parametrize(
    "question", ["Who won the football world cup?", "What is the capital of France?", "best pizza in town?"]
)
def test_an_everyday_question_gets_no_paper_on_any_corpus(
    engines: dict[str, Engine], corpus: str, question: str
) -> None:
    answer = engines[corpus].ask(question)
    assert not answer.hits, f"{corpus}: {question!r} answered with {[h.paper.title for h in answer.hits]}"


@pytest.mark.parametrize(
    ("corpus", "question"),
    [
        ("meulemans", "neural networks for weather forecasting"),
        ("morabito", "cancer drug resistance in tumour cells"),
        ("henning", "uncertainty in weather forecasting"),
    ],
)
def test_a_neighbouring_field_question_gets_no_paper(engines: dict[str, Engine], corpus: str, question: str) -> None:
    # Each shares a word or two with some paper ("neural networks", "uncertainty"), and no paper is
    # about it: what the papers lack of it ("weather", "tumour") weighs more than what they share.
    answer = engines[corpus].ask(question)
    assert not answer.hits, f"{corpus}: {question!r} answered with {[h.paper.title for h in answer.hits]}"
    assert "clearly about that" not in answer.headline


@pytest.mark.parametrize(
    ("corpus", "question"),
    [
        ("reed", "guitar amplifier circuit design"),
        ("meulemans", "mixture-of-experts routing in sparse transformers"),
    ],
)
def test_a_question_a_paper_only_touches_is_offered_the_closest_paper_not_a_match(
    engines: dict[str, Engine], corpus: str, question: str
) -> None:
    answer = engines[corpus].ask(question)
    assert answer.tentative
    assert answer.headline.startswith("No paper is clearly about that")
    assert len(answer.hits) == 1, "one closest paper, not a list of loose matches"
    # A question a paper is about is called a match, as before.
    clear = engines["meulemans"].ask("credit assignment in reinforcement learning")
    assert not clear.tentative and clear.headline.endswith("match your question:")


def test_the_index_is_sure_of_a_paper_about_the_question_and_not_of_one_sharing_its_everyday_words(
    engines: dict[str, Engine],
) -> None:
    index = engines["meulemans"].index
    about = index.search("credit assignment in reinforcement learning")[0]
    sharing = index.search("neural networks for weather forecasting")[0]
    assert about.confidence > 0.9 > load_settings().retrieval.min_confidence > sharing.confidence


def test_an_acronym_is_held_by_the_papers_that_use_its_phrase_not_one_of_its_words(
    engines: dict[str, Engine],
) -> None:
    # "RL" is "reinforcement learning": every paper of a machine-learning corpus says "learning".
    engine = engines["meulemans"]
    sure = {engine.corpus.papers[m.position].title: m.confidence for m in engine.index.search("rl")}
    hierarchical = "Emergent temporal abstractions in autoregressive models enable hierarchical reinforcement learning"
    assert sure[hierarchical] > 0.9
    assert sure["The least-control principle for local learning at equilibrium"] < 0.1


def test_another_form_of_a_word_finds_the_paper(engines: dict[str, Engine]) -> None:
    # The abstract says "forgetting" and "recurrent neural networks"; the question neither.
    assert titles(engines["meulemans"], "how do recurrent networks forget?")[0] == (
        "Continual Learning in Recurrent Neural Networks"
    )


def test_an_irregular_plural_finds_the_papers_that_use_the_other_number(engines: dict[str, Engine]) -> None:
    # Henning's papers say "mice", never "mouse"; no stemmer joins the two.
    assert titles(engines["henning"], "any mouse brain stuff") == [
        "Population-level coding of avoidance learning in medial prefrontal cortex"
    ]


def test_a_word_the_papers_write_hyphenated_finds_both_spellings(engines: dict[str, Engine]) -> None:
    # One of Morabito's papers writes "coexpression", hdWGCNA's "co-expression".
    found = titles(engines["morabito"], "gene coexpression networks in single cell data")
    assert "hdWGCNA identifies co-expression networks in high-dimensional transcriptomics data" in found


def test_an_acronym_the_papers_only_spell_out_is_learnt_from_them(engines: dict[str, Engine]) -> None:
    # Neither the glossary nor any abstract has "HRV"; Reed's abstracts write "heart rate variability".
    found = titles(engines["reed"], "HRV of musicians")
    assert found and "heart" in found[0].lower()
    text = phrases_by_initials("Heart rate variability (in ms) of a cellist; heart rate variability again")
    assert spelt_out("hrv", [text]) == "heart rate variability"
    assert spelt_out("tyre", [phrases_by_initials("the rate of yearly events")]) is None, "one word per letter"


@pytest.mark.parametrize(
    ("corpus", "question", "title"),
    [
        ("morabito", "a disease-agnostic genetic repository", "The Type 2 Diabetes Knowledge Portal"),
        ("reed", "open-source shoes that vibrate under your feet while walking", "Designing Interactive Shoes"),
        ("henning", "how figures in a news story relate to the words around them", "Estimating the information gap"),
        ("henning", "novelty detection with uncertainty in Bayesian networks", "out-of-distribution detection"),
    ],
)
def test_a_topic_that_uses_a_word_for_code_or_figures_is_still_a_topic(
    engines: dict[str, Engine], corpus: str, question: str, title: str
) -> None:
    # "repository", "open-source", "figures" and "novelty" also name what the bot can show (code, a
    # profile's figures); here they are part of what the question is about, and the paper is found.
    answer = engines[corpus].ask(question)
    assert answer.intent is Intent.TOPIC and answer.hits, question
    assert title in answer.hits[0].paper.title, [h.paper.title for h in answer.hits]


def test_an_acronym_spelt_out_once_in_field_words_is_learnt(engines: dict[str, Engine]) -> None:
    # One McGlinn abstract opens "Biological nitrogen fixation can be an important source...";
    # no paper writes "BNF".
    found = titles(engines["mcglinn"], "BNF after deforestation")
    assert found and "Diazotrophs" in found[0]
    once = phrases_by_initials("Biological nitrogen fixation can be an important source of nitrogen.")
    assert spelt_out("bnf", [once]) == "biological nitrogen fixation", "mostly field words"


@pytest.mark.parametrize("question", ["GAMM", "papers using GAMMs"])
def test_an_acronym_typed_in_capitals_is_spelt_out_not_corrected(engines: dict[str, Engine], question: str) -> None:
    # One McGlinn abstract says "a generalized additive mixed model approach"; "gamm" is also one
    # letter from "gamma", which many of his abstracts use.
    answer = engines["mcglinn"].ask(question)
    assert [h.paper.title[:15] for h in answer.hits] == ["Vessel diameter"]
    assert "generalized additive mixed model" in answer.hits[0].summary


def test_a_phrase_the_papers_only_abbreviate_is_found_where_the_abbreviation_is(engines: dict[str, Engine]) -> None:
    # Henning's paper on Bayesian networks' OOD behaviour writes "HMC", never "Hamiltonian Monte Carlo".
    answer = engines["henning"].ask("Hamiltonian Monte Carlo for Bayesian neural nets")
    assert [h.paper.title for h in answer.hits][:1] == [
        "Are Bayesian neural networks intrinsically good at out-of-distribution detection?"
    ]


def test_a_lower_case_word_is_not_spelt_out_from_chance_initials(engines: dict[str, Engine]) -> None:
    # "cite" has the initials of "CES includes the estuarine" in one abstract.
    assert titles(engines["mcglinn"], "how do i cite the tornado bird paper") == [
        "Effects of a tornado on birds in a Cross Timbers community"
    ]


def test_an_acronym_in_capitals_beside_words_papers_answer_is_not_read_across_the_lab() -> None:
    # In the Grewe lab (Meulemans and Henning), one Meulemans abstract has "multistage structured
    # entity"; the question's other words find Henning's paper on uncertainty under misspecification.
    engine = engine_of(CORPORA["meulemans"], CORPORA["henning"], lab="the Grewe lab")
    answer = engine.ask("MSE training and the Gaussian assumption in uncertainty estimates")
    assert answer.hits[0].paper.title.startswith("Uncertainty estimation under model misspecification")


def test_a_phrase_is_not_read_as_an_acronym_the_papers_spell_out_otherwise() -> None:
    # In a lab with Reed's papers, "DMI" is a "digital musical instrument"; with Steinmetz's, "FLD"
    # is a fluorescence detector, which his aflatoxin paper never spells out. Neither question is
    # about any of the lab's papers.
    assert engine_of(*CORPORA.values(), lab="a lab").ask("diffusion models for image generation").hits == ()
    lab = engine_of(*CORPORA.values(), STEINMETZ, lab="a lab")
    assert lab.ask("how do you do federated learning with differential privacy?").hits == ()


def test_a_phrase_the_papers_abbreviate_another_way_spells_out_nothing() -> None:
    # Two sentences of Zacharias Steinmetz's abstracts; nothing he wrote is about PFAS.
    text = (
        "SAPs, like polyacrylates (PAA) or polyacrylamides (PAM), find applications in agriculture. "
        "Microbial communities were characterized via phospholipid fatty acid (PLFA) analysis, "
        "and biological nitrogen fixation (BNF) measured."
    )
    assert spelt_out("pfas", [phrases_by_initials(text)]) is None
    assert spelt_out("bnf", [phrases_by_initials(text)]) == "biological nitrogen fixation", "its own acronym follows"
    assert engine_of(STEINMETZ).ask("does he have anything on PFAS in soil").hits == ()


@pytest.mark.parametrize(
    ("corpus", "question"),
    [
        ("morabito", "what is AD?"),
        ("henning", "summarize the CL paper"),
        ("reed", "AAF"),
        ("henning", "what are BNNs?"),
    ],
)
def test_an_acronym_several_papers_introduce_names_none_of_them(
    engines: dict[str, Engine], corpus: str, question: str
) -> None:
    # Seven Morabito abstracts introduce "Alzheimer's disease (AD)": the question is about it, and
    # is not taken for the name of whichever paper was read last.
    answer = engines[corpus].ask(question)
    assert answer.intent is Intent.TOPIC and len(answer.hits) > 1, (answer.headline, titles(engines[corpus], question))


def test_a_word_no_paper_uses_is_not_read_as_a_shorter_word_it_begins_with(engines: dict[str, Engine]) -> None:
    # "organoids" is no slip for "organ", a word of one Morabito abstract; nor "seedling" for "seed".
    assert not engines["morabito"].ask("brain organoids").hits
    assert titles(engines["reed"], "vibrotactle shoes"), "a slip is still read as the word meant"


def test_an_acronym_is_not_read_into_words_that_happen_to_share_its_initials(engines: dict[str, Engine]) -> None:
    # No paper of the shipped corpus is about PCA; one abstract has "proposed credit assignment".
    assert not engines["meulemans"].ask("what about PCA?").hits
    once = phrases_by_initials("We proposed credit assignment rules.")
    assert spelt_out("pca", [once]) is None, "seen once, and opening on an everyday word"
    field = phrases_by_initials("A hierarchical reinforcement learning agent.")
    assert spelt_out("hrl", [field]) == "hierarchical reinforcement learning"
    # Two words with a pair of initials are everywhere: "VR" is not "variance reinforce".
    assert not engines["meulemans"].ask("any VR papers?").hits
    twice = phrases_by_initials("variance reinforce; the variance reinforce estimator")
    assert spelt_out("vr", [twice]) is None
    # A final "s" on three letters is a letter: "TTS" is not the plural of "TT".
    assert spelt_out("tts", [phrases_by_initials("text to speech and then text to speech")]) == "text to speech"


def test_an_acronym_no_paper_uses_finds_what_its_glossary_phrase_finds(engines: dict[str, Engine]) -> None:
    # No abstract writes "ICL"; the glossary knows it as "in-context learning", which two papers use.
    engine = engines["meulemans"]
    spelt = titles(engine, "in-context learning with gradient descent")
    # The acronym weighs as a word no paper writes, so a third paper with "in-context" may follow.
    assert titles(engine, "ICL with gradient descent")[: len(spelt)] == spelt
    assert len(spelt) > 1


def test_a_plural_acronym_finds_what_its_singular_finds(engines: dict[str, Engine]) -> None:
    # No paper writes "LSTMs" (the glossary knows "LSTM") or "HRVs" (Reed's abstracts spell it out).
    meulemans, reed = engines["meulemans"], engines["reed"]
    assert titles(meulemans, "do LSTMs forget old tasks?")[0] == "Continual Learning in Recurrent Neural Networks"
    assert titles(meulemans, "LSTMs") == titles(meulemans, "LSTM")
    assert titles(reed, "HRVs of musicians") == titles(reed, "HRV of musicians")


def test_a_contraction_weighs_like_the_words_it_stands_for(engines: dict[str, Engine]) -> None:
    # "doesn't" splits into "doesn" and "t"; "doesn" is in no frequency list, so as a word it would
    # weigh as a rare term the papers lack and halve the paper's hold on the question.
    index = engines["meulemans"].index
    written = index.search("a learning rule where the teaching signal doesn't have to be small")
    spelt = index.search("a learning rule where the teaching signal does not have to be small")
    assert written and [(m.position, round(m.coverage, 9)) for m in written] == [
        (m.position, round(m.coverage, 9)) for m in spelt
    ]


def test_field_words_weigh_more_than_everyday_ones() -> None:
    assert rarity("microbiome") > 0.9 and rarity("federated") > 0.8
    assert rarity("world") == rarity("the") == 0.0
    assert rarity("a-word-in-no-list") == 1.0


def test_list_questions_name_exactly_the_papers_that_fit(engines: dict[str, Engine]) -> None:
    # Lists are narrowed through indexes (years, coauthors, members) before each paper is checked.
    engine = engines["reed"]
    for year in sorted({p.year for p in engine.corpus.papers}):
        listed = [h.paper.id for h in engine.ask(f"papers from {year}").hits]
        every = [p.id for p in engine.corpus.papers if p.year == year][: engine.settings.retrieval.max_listed]
        assert listed == every, year
    for name, count in engine.coauthor_counts()[:5]:
        listed = engine.ask(f"papers with {name}").hits
        assert len(listed) == min(count, engine.settings.retrieval.max_listed), name
        assert all(engine.reader.people.wrote(name, h.paper) for h in listed)
    oldest = engine.ask("her first paper").hits
    assert [h.paper.date for h in oldest] == [min(p.date for p in engine.corpus.papers)]


def test_words_have_the_stems_of_the_snowball_stemmer_on_every_corpus(engines: dict[str, Engine]) -> None:
    # The index stems with PyStemmer, snowballstemmer's C build, when installed: its stems must be
    # the pure-Python stemmer's, or answers would change with what happens to be installed.
    from snowballstemmer.english_stemmer import EnglishStemmer

    from bot.core.stems import stems_of
    from bot.core.tfidf import distinct_tokens

    words = sorted(distinct_tokens(f"{p.title} {p.abstract}" for e in engines.values() for p in e.corpus.papers))
    words = [w for w in words if not w.isdigit() and len(w) <= 40]
    assert len(words) > 3000
    assert stems_of(words) == EnglishStemmer().stemWords(words)


def test_a_paper_that_uses_the_index_s_own_field_separator_is_still_found() -> None:
    # Fields are tokenised together, separated by a made-up word; a paper that contains that word
    # (a paste, a test) is tokenised field by field instead, and every other paper as usual.
    import dataclasses

    from bot.core.tfidf import _SEPARATOR

    settings = load_settings()
    corpus = load_corpus([CORPORA["reed"]])
    odd = dataclasses.replace(corpus.papers[3], abstract=f"{corpus.papers[3].abstract} {_SEPARATOR}")
    papers = (*corpus.papers[:3], odd, *corpus.papers[4:])
    engine = Engine(dataclasses.replace(corpus, papers=papers), settings, load_glossary(settings.glossary))
    plain = Engine(corpus, settings, load_glossary(settings.glossary))
    for paper in corpus.papers[:8]:
        assert titles(engine, paper.title)[:1] == titles(plain, paper.title)[:1] == [paper.title]
