"""Word stems, so that a question's "forgets" finds an abstract's "forgetting".

snowballstemmer runs PyStemmer (the same Snowball stemmer, in C) when it is installed, as the
locks install it: the same stems (checked on half a million words), about 100 times faster.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import snowballstemmer

_ENGLISH = snowballstemmer.stemmer("english")
MAX_WORD_CHARS = 40  # longer "words" are pastes, not words: stemmed every time, never cached


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return str(_ENGLISH.stemWord(word))


def _kept(word: str) -> bool:
    """Digits and overlong tokens are left as they are."""
    return word.isdigit() or len(word) > MAX_WORD_CHARS


def stem(word: str) -> str:
    """The Snowball (Porter 2) stem of a folded word; digits and long tokens unchanged."""
    return word if _kept(word) else _stem(word)


def stem_all(words: list[str]) -> list[str]:
    """Each word's stem, in order."""
    return [stem(w) for w in words]


def stems_of(words: Sequence[str]) -> list[str]:
    """Each word's stem, as `stem` gives it, without caching: for a corpus' distinct words, stemmed once each."""
    stemmed = iter(_ENGLISH.stemWords([w for w in words if not _kept(w)]))
    return [w if _kept(w) else str(next(stemmed)) for w in words]
