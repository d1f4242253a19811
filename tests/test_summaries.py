"""A member reads a summary on its own: it never opens with a sentence that leans on one left out,
nor with a word that ties it to one ("Moreover, we show...").

Checked over every paper of every corpus we ship or record, summarised for a list answer (no
question) and for every dev question of its corpus.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.core.corpus import load_corpus
from bot.core.engine import Engine
from bot.core.glossary import load_glossary
from bot.core.summary import dangles, unlinked
from bot.core.text import sentences, without_heading
from bot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
CORPORA = {
    "meulemans": ROOT / "corpus" / "alexander-meulemans.yaml",
    **{p.stem: p for p in sorted((ROOT / "tests" / "data" / "corpora").glob("*.yaml"))},
}


@pytest.mark.parametrize(
    ("sentence", "refers_back"),
    [
        ("Here, we present a new principle for learning such systems with a local rule.", True),
        ("We show that this process corresponds to gradient-based optimization.", True),
        ("As special cases, they include models of great current interest.", True),
        ("In this paper, we introduce a new family of credit assignment algorithms.", False),
        ("Equilibrium systems are a powerful way to express neural computations.", False),
        ("We evaluate on benchmarks such as CIFAR-10 and ImageNet.", False),
    ],
)
def test_what_counts_as_a_reference_back(sentence: str, refers_back: bool) -> None:
    assert dangles(sentence) is refers_back


@pytest.mark.parametrize(
    ("sentence", "text"),
    [
        ("Background.", ""),
        ("Methods: A professional trio performs Schubert.", "A professional trio performs Schubert."),
        ("Methods We analyzed species cover data.", "We analyzed species cover data."),
        ("Results and discussion: We found more copper.", "We found more copper."),
        ("Methods for analysis of microplastic in soils are still being developed.", None),
        ("Results show that copper binds to organic matter.", None),
    ],
)
def test_a_structured_abstract_s_heading_is_not_its_text(sentence: str, text: str | None) -> None:
    assert without_heading(sentence) == (sentence if text is None else text)


@pytest.mark.parametrize(
    ("sentence", "alone"),
    [
        ("Moreover, we show that strong feedback allows learning.", "We show that strong feedback allows learning."),
        ("However, sampling actions token-by-token is slow.", "Sampling actions token-by-token is slow."),
        ("In particular, mRNA levels rise with age.", "mRNA levels rise with age."),
        ("However the model fails.", "However the model fails."),  # no comma: not a tie to what came before
        ("Finally-tuned models differ.", "Finally-tuned models differ."),
    ],
)
def test_a_sentence_shown_alone_loses_the_word_that_ties_it_to_the_one_before(sentence: str, alone: str) -> None:
    assert unlinked(sentence) == alone


@pytest.mark.parametrize("name", list(CORPORA))
def test_no_summary_opens_with_a_dangling_reference(name: str, settings: Settings) -> None:
    engine = Engine(load_corpus([CORPORA[name]]), settings, load_glossary(settings.glossary))
    dev = ROOT / "tests" / "data" / "dev" / f"{name}.yaml"
    # A corpus kept for held-out questions only has no dev questions: its summaries are read without a focus.
    questions = [q["q"] for q in yaml.safe_load(dev.read_text(encoding="utf-8"))["questions"]] if dev.is_file() else []
    for focus in ["", *questions]:
        for paper in engine.corpus.papers:
            summary = engine.summary(paper, focus)
            if not summary:
                assert not paper.abstract
                continue
            first = sentences(summary)[0]
            # Only the abstract's own first sentence may open a summary and still lean back (nothing
            # comes before it to add).
            assert not dangles(first) or paper.abstract.startswith(first), (paper.id, focus, first)
            assert unlinked(first) == first, (paper.id, focus, first)
            # Nor with a structured abstract's heading, alone or before its text ("Background.").
            assert without_heading(first) == first, (paper.id, focus, first)
