"""How questions find papers on corpora nobody tuned for: word forms, acronyms, and everyday questions."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import load_settings
from bot.core.acronyms import phrases_by_initials, spelt_out
from bot.core.corpus import load_corpus
from bot.core.engine import Engine
from bot.core.glossary import load_glossary
from bot.core.rarity import rarity

ROOT = Path(__file__).resolve().parent.parent
CORPORA = {
    "meulemans": ROOT / "corpus" / "alexander-meulemans.yaml",
    "reed": ROOT / "tests" / "data" / "corpora" / "reed.yaml",
    "morabito": ROOT / "tests" / "data" / "corpora" / "morabito.yaml",
    "henning": ROOT / "tests" / "data" / "corpora" / "henning.yaml",
}


@pytest.fixture(scope="module")
def engines() -> dict[str, Engine]:
    settings = load_settings()
    glossary = load_glossary(settings.glossary)
    return {name: Engine(load_corpus([path]), settings, glossary) for name, path in CORPORA.items()}


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


def test_another_form_of_a_word_finds_the_paper(engines: dict[str, Engine]) -> None:
    # The abstract says "forgetting" and "recurrent neural networks"; the question neither.
    assert titles(engines["meulemans"], "how do recurrent networks forget?")[0] == (
        "Continual Learning in Recurrent Neural Networks"
    )


def test_an_acronym_the_papers_only_spell_out_is_learnt_from_them(engines: dict[str, Engine]) -> None:
    # Neither the glossary nor any abstract has "HRV"; Reed's abstracts write "heart rate variability".
    found = titles(engines["reed"], "HRV of musicians")
    assert found and "heart" in found[0].lower()
    text = phrases_by_initials("Heart rate variability (in ms) of a cellist; heart rate variability again")
    assert spelt_out("hrv", [text]) == "heart rate variability"
    assert spelt_out("tyre", [phrases_by_initials("the rate of yearly events")]) is None, "one word per letter"


def test_field_words_weigh_more_than_everyday_ones() -> None:
    assert rarity("microbiome") > 0.9 and rarity("federated") > 0.8
    assert rarity("world") == rarity("the") == 0.0
    assert rarity("a-word-in-no-list") == 1.0
