"""Acronyms a question uses and the papers never do, spelt out from the papers themselves."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from bot.core.text import STOPWORDS, tokens

MAX_LETTERS = 6  # longer unknown words are words, not acronyms

Phrases = Mapping[str, tuple[str, ...]]  # initials -> the phrases of a text with those initials


def phrases_by_initials(text: str) -> Phrases:
    """Every run of 2 to MAX_LETTERS words of `text` by its initials ("hrl": "hierarchical
    reinforcement learning"); a run never ends on a stopword."""
    words = tokens(text)
    out: dict[str, list[str]] = {}
    for size in range(2, MAX_LETTERS + 1):
        for start in range(len(words) - size + 1):
            run = words[start : start + size]
            if run[-1] not in STOPWORDS:
                out.setdefault("".join(w[0] for w in run), []).append(" ".join(run))
    return {k: tuple(v) for k, v in out.items()}


def spelt_out(acronym: str, texts: Iterable[Phrases]) -> str | None:
    """The phrase `acronym` (a folded word, maybe a plural: "rnns") most often abbreviates in the
    texts, strictly one word per letter, or None."""
    letters = acronym[:-1] if len(acronym) > 2 and acronym.endswith("s") else acronym
    found: dict[str, int] = {}
    for phrases in texts:
        for phrase in phrases.get(letters, ()):
            found[phrase] = found.get(phrase, 0) + 1
    return max(found, key=lambda k: (found[k], len(k)), default=None)
