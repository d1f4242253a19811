"""Acronyms a question uses and the papers never do, spelt out from the papers themselves."""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.core.rarity import rarity
from bot.core.text import STOPWORDS, singular, tokens

MAX_LETTERS = 6  # longer unknown words are words, not acronyms
# Two words with a given pair of initials are in almost any abstract ("VR": "variance reinforce",
# "UI": "unbiased identification"): two-letter acronyms come from the glossary or the papers' own
# definitions only.
MIN_LETTERS = 3
_CAPITALS = re.compile(rf"\b[A-Z]{{{MIN_LETTERS},{MAX_LETTERS}}}s?\b")
_ACRONYM_TYPED = re.compile(r"\b[A-Z]{2,}s?\b")  # as a text types its acronyms: "PLFA", "RNNs"
FIELD_WORD = 0.5  # rarity in everyday English from which a word is a field's term, not an everyday one


class Phrases:
    """The runs of MIN_LETTERS to MAX_LETTERS words of a text, found by their initials ("hrl":
    "hierarchical reinforcement learning"); a run never ends on a stopword.

    Looked up on demand from the text's words: every run of the last 200 papers read, kept by
    initials, took 14 MB, for the one set of initials a question asks.
    """

    __slots__ = ("capitals", "words")

    def __init__(self, words: list[str], capitals: frozenset[str] = frozenset()) -> None:
        self.words = words
        self.capitals = capitals  # the words the text types in capitals, folded: its own acronyms

    def get(self, initials: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        """The runs with these initials, in the order of the text, or `default`."""
        size, words = len(initials), self.words
        if not MIN_LETTERS <= size <= MAX_LETTERS:
            return default
        found = tuple(
            " ".join(words[start : start + size])
            for start in range(len(words) - size + 1)
            if words[start][0] == initials[0]
            and words[start + size - 1] not in STOPWORDS
            and "".join(w[0] for w in words[start : start + size]) == initials
            and not self._abbreviated_otherwise(start, size, initials)
        )
        return found or default

    def _abbreviated_otherwise(self, start: int, size: int, initials: str) -> bool:
        """Whether the run at `start` holds an acronym of the text ("PAM find applications"), or is
        followed by its own that is not `initials` ("phospholipid fatty acid (PLFA)"): no "PFA" either way."""
        if not self.capitals:
            return False
        after = self.words[start + size : start + size + 1]
        if after and after[0] in self.capitals and after[0] not in (initials, f"{initials}s"):
            return True
        return any(w in self.capitals for w in self.words[start : start + size])


def phrases_by_initials(text: str) -> Phrases:
    """The runs of words of `text`, to be found by their initials."""
    return Phrases(tokens(text), frozenset(w.lower() for w in _ACRONYM_TYPED.findall(text)))


def spelt_out(acronym: str, texts: Iterable[Phrases]) -> str | None:
    """The phrase `acronym` (a folded word, maybe a plural: "rnns") most often abbreviates in the
    texts, strictly one word per letter, or None."""
    # A final "s" of three letters is more often a letter ("TTS", "GPS") than a plural; "gpss" is one.
    letters = singular(acronym, shortest=4, ss_plural=True) or acronym
    found: dict[str, int] = {}
    for phrases in texts:
        for phrase in phrases.get(letters, ()):
            found[phrase] = found.get(phrase, 0) + 1
    best = max(found, key=lambda k: (found[k], len(k)), default=None)
    if best is None:
        return None
    # Short runs of initials occur by chance ("PCA": "proposed credit assignment"): a phrase seen once
    # counts only if it opens on a field word, as "hierarchical reinforcement learning" does, or is
    # mostly field words and the only run of those initials, as "biological nitrogen fixation" is
    # ("MSE" may be "mutual shaping emerges" as well as "mean squared error").
    words = best.split(" ")
    fielded = [rarity(word) >= FIELD_WORD for word in words]
    sole = len(found) == 1 and 2 * sum(fielded) > len(words)
    return best if found[best] >= 2 or fielded[0] or sole else None


def typed_in_capitals(text: str) -> dict[str, str]:
    """The words of `text` typed in capitals, as acronyms are ("GAMM", "DEQs"), folded, each with
    how it was typed; none when a question of several words is all in capitals."""
    if not any(c.islower() for c in text) and len(text.split()) > 1:
        return {}
    return {word.lower(): word for word in _CAPITALS.findall(text)}
