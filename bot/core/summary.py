"""Summaries that stand on their own: the abstract sentences that answer the question, or its gist.

A sentence that refers back ("We show that this process...", "Such systems...") is never shown
without the sentence it refers to: that one is added before it, in the abstract's order.
"""

from __future__ import annotations

import re

from bot.core.search import Index
from bot.core.text import cut, sentences
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
_LEAD_WORDS = 6
_FURTHER_WORDS = 12


def dangles(sentence: str) -> bool:
    """Whether a sentence refers back to one before it: a pronoun in its first words, or "such" or
    "these" before it gets going ("Here, we present a principle for learning such systems")."""
    words = _SELF.sub("", sentence).split()
    return bool(_BACK.search(" ".join(words[:_LEAD_WORDS])) or _BACK_FURTHER.search(" ".join(words[:_FURTHER_WORDS])))


def with_antecedents(parts: list[str], chosen: set[int]) -> list[int]:
    """The chosen sentences, each one that dangles preceded by what it refers to, in order."""
    out = set(chosen)
    for i in sorted(chosen):
        j = i
        while j > 0 and dangles(parts[j]):
            j -= 1
            out.add(j)
    return sorted(out)


def gist(parts: list[str]) -> list[int]:
    """The sentence saying what the paper contributes ("we introduce..."), else the first one."""
    found = next((i for i, s in enumerate(parts) if _CONTRIBUTION.search(s)), 0)
    return with_antecedents(parts, {found})


def summarise(index: Index, position: int, focus: str, settings: SummarySettings) -> str:
    """The sentences closest to `focus` (at most `max_sentences` of them, plus what they refer to),
    or the paper's gist when there is nothing to focus on, in the abstract's order."""
    paper = index.papers[position]
    if not paper.abstract:
        return ""
    parts, scores = index.sentence_scores(index.focus(focus), position) if focus.strip() else ([], [])
    if max(scores, default=0.0) <= 0:
        # A list answer (a year, a coauthor): each paper's own gist, not the words of the question.
        parts = sentences(paper.abstract)
        return _fit(parts, gist(parts), settings)
    ranked = [i for i in sorted(range(len(parts)), key=lambda i: (-scores[i], i)) if scores[i] > 0]
    chosen: set[int] = set()
    answering = 0
    for i in ranked:
        # The best sentences that fit with what they refer to; one whose antecedents would push the
        # summary past its length gives way to the next best.
        candidate = with_antecedents(parts, chosen | {i})
        if sum(len(parts[j]) + 1 for j in candidate) > settings.max_chars:
            continue
        chosen = set(candidate)
        answering += 1
        if answering == settings.max_sentences:
            break
    if not chosen and ranked:  # nothing fits whole: the best, with what it refers to, cut to length
        chosen = set(with_antecedents(parts, {ranked[0]}))
    return _fit(parts, sorted(chosen), settings)


def _fit(parts: list[str], chosen: list[int], settings: SummarySettings) -> str:
    return cut(" ".join(parts[i] for i in chosen), settings.max_chars)


