"""Acronyms a question uses and the papers never do, spelt out from the papers themselves."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.core.text import STOPWORDS, tokens

MAX_LETTERS = 6  # longer unknown words are words, not acronyms


class Phrases:
    """The runs of 2 to MAX_LETTERS words of a text, found by their initials ("hrl": "hierarchical
    reinforcement learning"); a run never ends on a stopword.

    Looked up on demand from the text's words: every run of the last 200 papers read, kept by
    initials, took 14 MB, for the one set of initials a question asks.
    """

    __slots__ = ("words",)

    def __init__(self, words: list[str]) -> None:
        self.words = words

    def get(self, initials: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        """The runs with these initials, in the order of the text, or `default`."""
        size, words = len(initials), self.words
        if not 2 <= size <= MAX_LETTERS:
            return default
        found = tuple(
            " ".join(words[start : start + size])
            for start in range(len(words) - size + 1)
            if words[start][0] == initials[0]
            and words[start + size - 1] not in STOPWORDS
            and "".join(w[0] for w in words[start : start + size]) == initials
        )
        return found or default

    def loosely(self, letters: str) -> tuple[str, ...]:
        """The runs of 2 or more words that `letters` abbreviates with letters from inside words too
        ("deq": "deep equilibrium", "vae": "variational autoencoder"): each word gives its initial,
        then maybe more of its letters, in order."""
        words = self.words
        found = []
        for start, first in enumerate(words):
            if first[0] != letters[0]:
                continue
            for size in range(2, min(len(letters), len(words) - start) + 1):
                run = words[start : start + size]
                if run[-1] not in STOPWORDS and _aligns(letters, run):
                    found.append(" ".join(run))
        return tuple(found)


def _aligns(letters: str, words: Sequence[str]) -> bool:
    """Whether every word starts with the next letter and all the letters are used up, in order."""
    if not words:
        return not letters
    word = words[0]
    if not letters or word[0] != letters[0]:
        return False
    used, at = 1, 1
    while True:
        if _aligns(letters[used:], words[1:]):
            return True
        if used == len(letters) or (at := word.find(letters[used], at) + 1) == 0:
            return False
        used += 1


def phrases_by_initials(text: str) -> Phrases:
    """The runs of words of `text`, to be found by their initials."""
    return Phrases(tokens(text))


def spelt_out(acronym: str, texts: Iterable[Phrases], loose: bool = False) -> str | None:
    """The phrase `acronym` (a folded word, maybe a plural: "rnns") most often abbreviates in the
    texts, one word per letter, or None. `loose`: letters may also come from inside the words
    ("deq": "deep equilibrium"), where no phrase has one word per letter."""
    letters = acronym[:-1] if len(acronym) > 2 and acronym.endswith("s") else acronym
    texts = list(texts)
    for find in (Phrases.get, Phrases.loosely) if loose else (Phrases.get,):
        found: dict[str, int] = {}
        for phrases in texts:
            for phrase in find(phrases, letters):
                found[phrase] = found.get(phrase, 0) + 1
        if found:
            return max(found, key=lambda k: (found[k], len(k)))
    return None
