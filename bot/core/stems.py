"""Word stems, so that a question's "forgets" finds an abstract's "forgetting"."""

from __future__ import annotations

from functools import lru_cache

import snowballstemmer

_ENGLISH = snowballstemmer.stemmer("english")
MAX_WORD_CHARS = 40  # longer "words" are pastes, not words: stemmed every time, never cached


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return str(_ENGLISH.stemWord(word))


def stem(word: str) -> str:
    """The Snowball (Porter 2) stem of a folded word; digits and long tokens unchanged."""
    if word.isdigit() or len(word) > MAX_WORD_CHARS:
        return word
    return _stem(word)


def stem_all(words: list[str]) -> list[str]:
    """Each word's stem, in order."""
    return [stem(w) for w in words]
