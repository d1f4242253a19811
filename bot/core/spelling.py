"""Words spelt alike, by character n-grams: typos, British and American spelling, other endings;
and by one slip of the keyboard (`one_edit`), for short words whose n-grams a typo changes too much.

The similarity is that of scikit-learn's `TfidfVectorizer(analyzer="char_wb", sublinear_tf=True)`
fitted on the papers' words: each word padded with a space on both sides, cut into n-grams of
every length in the range, weighted by TF-IDF and compared by cosine. It is computed in numpy, with
each n-gram as an integer (the words are tokens: a-z and 0-9 only), so that building it costs a
fraction of a second at any corpus size and a question needs neither scikit-learn nor scipy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot.core.tfidf import counted, idf_of

_ALPHABET = " 0123456789abcdefghijklmnopqrstuvwxyz"
_BASE = len(_ALPHABET) + 1  # digit 0 is never used, so n-grams of different lengths never share a code
_DIGIT = np.zeros(256, dtype=np.int64)
_DIGIT[[ord(c) for c in _ALPHABET]] = np.arange(1, _BASE)


def _codes(
    text: np.ndarray, word: np.ndarray, start: np.ndarray, length: np.ndarray, orders: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray]:
    """(word, n-gram code) for every character n-gram of padded words laid end to end in `text`.

    As scikit-learn's "char_wb" cuts them: every window of each length in `orders` inside the
    padded word; a padded word no longer than a length counts once, whole, and stops there.
    """
    low, high = orders
    owners: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    at = np.arange(text.size) - start[word]  # offset of each character in its padded word
    for n in range(low, high + 1):
        fits = at <= length[word] - n  # windows starting here end inside the word
        if n == low:
            fits |= (at == 0) & (length[word] < low)  # the whole word, shorter than every length
        first = np.flatnonzero(fits)
        size = np.minimum(n, length[word[first]] - at[first])
        code = np.zeros(first.size, dtype=np.int64)
        for k in range(n):
            inside = k < size
            code = np.where(inside, code * _BASE + text[np.minimum(first + k, text.size - 1)], code)
        owners.append(word[first])
        codes.append(code)
    return np.concatenate(owners), np.concatenate(codes)


def _laid_out(words: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    padded = "".join(f" {w} " for w in words).encode("ascii")
    length = np.array([len(w) + 2 for w in words], dtype=np.int64)
    start = np.concatenate([[0], np.cumsum(length)[:-1]]) if words else np.zeros(0, np.int64)
    word = np.repeat(np.arange(len(words)), length)
    return _DIGIT[np.frombuffer(padded, dtype=np.uint8)], word, start, length


@dataclass(frozen=True)
class Spelling:
    """The words of the papers, indexed by their character n-grams (n-gram-major)."""

    words: tuple[str, ...]
    orders: tuple[int, int]
    grams: np.ndarray  # int64 n-gram codes, ascending
    idf: np.ndarray  # float64, one per n-gram
    indptr: np.ndarray  # int64, one more than there are n-grams
    word_of: np.ndarray  # int32: the words that have each n-gram
    weight: np.ndarray  # float32: the n-gram's weight in each of those words

    @classmethod
    def of(cls, words: Sequence[str], orders: tuple[int, int]) -> Spelling:
        """Index `words` (tokens: a-z and 0-9) by their character n-grams of the lengths in `orders`."""
        text, word, start, length = _laid_out(words)
        owner, code = _codes(text, word, start, length, orders)
        grams, _ = counted(code)
        gram = np.searchsorted(grams, code)
        keys, tf = counted(owner * max(grams.size, 1) + gram)
        owner, gram = np.divmod(keys, max(grams.size, 1))
        idf = idf_of(np.bincount(gram, minlength=grams.size), len(words))
        weight = (1 + np.log(tf)) * idf[gram]
        weight /= np.sqrt(np.bincount(owner, weight * weight, minlength=len(words)))[owner]
        order = np.argsort(gram, kind="stable")
        indptr = np.concatenate([[0], np.cumsum(np.bincount(gram, minlength=grams.size))])
        return cls(tuple(words), orders, grams, idf, indptr, owner[order].astype(np.int32),
                   weight[order].astype(np.float32))  # fmt: skip

    def similarities(self, word: str) -> np.ndarray:
        """The cosine similarity of `word` (a token) to every indexed word."""
        out = np.zeros(len(self.words))
        if not word.isascii() or not self.grams.size:
            return out
        text, owner, start, length = _laid_out([word])
        _, code = _codes(text, owner, start, length, self.orders)
        code, tf = counted(code)
        at = np.minimum(np.searchsorted(self.grams, code), self.grams.size - 1)
        known = self.grams[at] == code
        gram, tf = at[known], tf[known]
        if not gram.size:
            return out
        # N-grams no indexed word has are dropped before the norm, as scikit-learn drops them.
        weight = (1 + np.log(tf)) * self.idf[gram]
        weight /= np.sqrt(np.dot(weight, weight))
        for g, w in zip(gram, weight, strict=True):
            lo, hi = self.indptr[g], self.indptr[g + 1]
            out[self.word_of[lo:hi]] += self.weight[lo:hi] * w
        return out


def _keyboard_neighbours() -> dict[str, frozenset[str]]:
    """Each letter's neighbours on a QWERTY keyboard: beside it, and above or below it (the rows are staggered)."""
    rows = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
    near: dict[str, set[str]] = {c: set() for row in rows for c in row}
    for r, row in enumerate(rows):
        for i, c in enumerate(row):
            near[c].update(row[j] for j in (i - 1, i + 1) if 0 <= j < len(row))
            if r + 1 < len(rows):  # the row below is shifted right by half a key
                below = rows[r + 1]
                for j in (i - 1, i):
                    if 0 <= j < len(below):
                        near[c].add(below[j])
                        near[below[j]].add(c)
    return {c: frozenset(n) for c, n in near.items()}


_NEIGHBOURS = _keyboard_neighbours()
_VOWELS = frozenset("aeiouy")


def one_edit(typed: str, word: str) -> bool:
    """Whether `typed` is `word` with one letter dropped, added, swapped with its neighbour, or
    changed for a key beside it or a vowel for a vowel. Not any changed letter: "snrna" is another
    acronym than "scrna", not a slip of it."""
    if typed == word or abs(len(typed) - len(word)) > 1:
        return False
    start = 0
    while start < min(len(typed), len(word)) and typed[start] == word[start]:
        start += 1
    a, b = typed[start:], word[start:]
    # A key beside it, or a vowel for another: "propogation", "audiance" are spelt as they sound.
    slipped = len(a) == len(b) and a[1:] == b[1:] and (b[0] in _NEIGHBOURS.get(a[0], ()) or {a[0], b[0]} <= _VOWELS)
    return slipped or a == b[1:] or a[1:] == b or (a[:2] == b[1::-1] and a[2:] == b[2:])

