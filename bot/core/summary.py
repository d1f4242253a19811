"""Summaries that stand on their own: the abstract sentences that answer the question, or its gist.

A sentence that refers back ("We show that this process...", "Such systems...") is never shown
without the sentence it refers to: that one is added before it, in the abstract's order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from bot.core.search import Index
from bot.core.text import cut
from bot.settings import SummarySettings

# A word in a sentence's first words that points back at something said before it...
_BACK = re.compile(r"\b(this|these|those|it|its|they|their|them|both|the former|the latter)\b", re.IGNORECASE)
# ...unless it points at the paper itself ("In this paper", "this work").
_SELF = re.compile(r"\b(this|our)\s+(paper|work|study|article|thesis|chapter|review|letter|manuscript)\b", re.I)
# What a paper contributes, in the words abstracts use for it.
_CONTRIBUTION = re.compile(
    r"\b(we|this (paper|work|study|thesis)|here,? we)\s+(\w+\s+){0,2}?(introduce|propose|present|show|develop|"
    r"demonstrate|find|derive|describe|report|identify|provide|design|build|study|investigate|analy[sz]e)",
    re.IGNORECASE,
)
# "such systems", "these updates": a determiner that needs its noun's earlier mention, further in.
_BACK_FURTHER = re.compile(r"\bsuch\b(?!\s+as\b)|\b(these|those)\b", re.IGNORECASE)
# A word that ties a sentence to the one before it ("Moreover, we show...", "However, sampling
# actions..."): shown without that sentence, it is left out, since what follows stands on its own.
_LINK = re.compile(
    r"^(moreover|furthermore|in addition|additionally|also|finally|lastly|however|nevertheless|nonetheless|"
    r"thus|hence|therefore|consequently|as a result|importantly|crucially|notably|interestingly|overall|"
    r"indeed|further|in particular|specifically|in contrast|by contrast|instead|yet|still|later|next|then|"
    r"subsequently|second|secondly|third|thirdly),\s+",
    re.IGNORECASE,
)
_LEAD_WORDS = 6
_FURTHER_WORDS = 12
# Abstracts whose reading (sentences, which refer back, the gist) is kept: the papers answered
# most recently. Reading one costs more than scoring it, and a burst asks about the same few.
ABSTRACTS = 2048


def dangles(sentence: str) -> bool:
    """Whether a sentence refers back to one before it: a pronoun in its first words, or "such" or
    "these" before it gets going ("Here, we present a principle for learning such systems")."""
    words = _SELF.sub("", sentence).split()
    return bool(_BACK.search(" ".join(words[:_LEAD_WORDS])) or _BACK_FURTHER.search(" ".join(words[:_FURTHER_WORDS])))


def with_antecedents(dangling: Sequence[bool], chosen: set[int]) -> list[int]:
    """The chosen sentences, each one that dangles preceded by what it refers to, in order."""
    out = set(chosen)
    for i in sorted(chosen):
        j = i
        while j > 0 and dangling[j]:
            j -= 1
            out.add(j)
    return sorted(out)


@dataclass(frozen=True)
class Reading:
    """An abstract read once: its sentences, which of them refer back, and its gist."""

    parts: tuple[str, ...]
    dangling: tuple[bool, ...]
    gist: tuple[int, ...]  # the sentence saying what the paper contributes, with what it refers to


@lru_cache(maxsize=ABSTRACTS)
def read(parts: tuple[str, ...]) -> Reading:
    """An abstract's sentences (`Index.sentences`), which of them refer back, and its gist: the sentence
    saying what the paper contributes ("we introduce..."), else the first one."""
    dangling = tuple(dangles(s) for s in parts)
    found = next((i for i, s in enumerate(parts) if _CONTRIBUTION.search(s)), 0)
    return Reading(parts, dangling, tuple(with_antecedents(dangling, {found})))


def summarise(index: Index, position: int, focus: str, settings: SummarySettings) -> str:
    """The sentences closest to `focus` (at most `max_sentences` of them, plus what they refer to),
    or the paper's gist when there is nothing to focus on, in the abstract's order."""
    paper = index.papers[position]
    if not paper.abstract:
        return ""
    reading = read(index.sentences(position))
    parts = reading.parts
    scores = index.sentence_scores(index.focus(focus), position) if focus.strip() else []
    if max(scores, default=0.0) <= 0:
        # A list answer (a year, a coauthor): each paper's own gist, not the words of the question.
        return _fit(parts, reading.gist, settings)
    ranked = [i for i in sorted(range(len(parts)), key=lambda i: (-scores[i], i)) if scores[i] > 0]
    chosen: set[int] = set()
    answering = 0
    for i in ranked:
        # The best sentences that fit with what they refer to; one whose antecedents would push the
        # summary past its length gives way to the next best.
        candidate = with_antecedents(reading.dangling, chosen | {i})
        if sum(len(parts[j]) + 1 for j in candidate) > settings.max_chars:
            continue
        chosen = set(candidate)
        answering += 1
        if answering == settings.max_sentences:
            break
    if not chosen and ranked:  # nothing fits whole: the best, with what it refers to, cut to length
        chosen = set(with_antecedents(reading.dangling, {ranked[0]}))
    return _fit(parts, sorted(chosen), settings)


def unlinked(sentence: str) -> str:
    """A sentence without the word that ties it to the one before: "Moreover, we show" -> "We show"."""
    rest = _LINK.sub("", sentence, count=1)
    if rest is sentence or not rest:
        return sentence
    first = rest.split(maxsplit=1)[0]
    # "we" -> "We"; not "mRNA" or "k-means", whose case is their own.
    return rest[0].upper() + rest[1:] if first.isalpha() and first.islower() else rest


def _fit(parts: Sequence[str], chosen: Sequence[int], settings: SummarySettings) -> str:
    # A sentence shown after one it does not follow in the abstract loses its tie to what is left out.
    shown = [parts[i] if i - 1 in chosen else unlinked(parts[i]) for i in chosen]
    return cut(" ".join(shown), settings.max_chars)
