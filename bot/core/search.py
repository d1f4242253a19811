"""The TF-IDF index: fielded word n-grams, with character n-grams to catch typos and variants."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from bot.core.caching import short_text_cache
from bot.core.glossary import Glossary
from bot.core.models import Paper
from bot.core.text import analyse, content_tokens, sentences
from bot.settings import RetrievalSettings

# How much a glossary synonym of a question word counts, against the word itself.
SYNONYM_WEIGHT = 0.5
# Unknown question words looked up for a spelling variant, at most: each costs a character n-gram
# search of the vocabulary, and a paste of made-up words must not cost more than a real question.
MAX_VARIANT_LOOKUPS = 20
MAX_WORD_CHARS = 40  # longer "words" are not words: never looked up, never cached


def _split(text: str) -> list[str]:
    return text.split()


def _fields(paper: Paper) -> dict[str, str]:
    """The searchable text of each field, already analysed."""
    return {
        "title": analyse(paper.title),
        "abstract": analyse(paper.abstract),
        "authors": analyse(" ".join(paper.authors)),
        "venue": analyse(" ".join(x for x in (paper.venue or "", paper.organisation, paper.category) if x)),
    }


def _row_dots(matrix: csr_matrix, vector: csr_matrix) -> np.ndarray:
    """Dot product of each row of `matrix` with a 1-row `vector`, touching only their non-zeros.

    `matrix @ vector.T` would convert the transposed vector to CSR, which costs the width of the
    vocabulary (a million columns at 50,000 papers) on every call.
    """
    order = np.argsort(vector.indices)
    columns, weights = vector.indices[order], vector.data[order]
    out = np.zeros(matrix.shape[0], dtype=np.float64)
    if columns.size == 0 or matrix.nnz == 0:
        return out
    at = np.minimum(np.searchsorted(columns, matrix.indices), columns.size - 1)
    hit = columns[at] == matrix.indices
    products = np.where(hit, matrix.data * weights[at], 0.0)
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    np.add.at(out, rows, products)
    return out


@dataclass(frozen=True)
class Match:
    """A paper's position in the index and its score for one query."""

    position: int
    score: float


class Index:
    """Word TF-IDF over title, abstract, authors and venue, weighted per field into one matrix."""

    def __init__(self, papers: Sequence[Paper], settings: RetrievalSettings, glossary: Glossary) -> None:
        self.papers = tuple(papers)
        self.settings = settings
        self.glossary = glossary
        fields = [_fields(p) for p in self.papers]
        self.words = TfidfVectorizer(
            analyzer="word",
            tokenizer=_split,
            token_pattern=None,
            lowercase=False,
            ngram_range=settings.word_ngrams,
            sublinear_tf=True,
            dtype=np.float32,
        )
        # The vocabulary and IDF come from whole papers; each field is then weighted on its own.
        self.words.fit([" ".join(f.values()) for f in fields] or ["empty"])
        w = settings.weights
        weights = {"title": w.title, "abstract": w.abstract, "authors": w.authors, "venue": w.venue}
        total = sum(weights.values())
        matrix: csr_matrix | None = None
        for name, weight in weights.items():
            if weight <= 0:
                continue
            part = normalize(self.words.transform([f[name] for f in fields])) * (weight / total)
            matrix = part if matrix is None else matrix + part
        assert matrix is not None  # config validation guarantees a positive title or abstract weight
        # Stored term-major so a query touches only the posting lists of its own terms.
        self.term_major = csr_matrix(matrix.T)
        self.doc_major = csr_matrix(matrix)
        self.vocabulary: dict[str, int] = self.words.vocabulary_
        unigrams = sorted(t for t in self.vocabulary if " " not in t and len(t) > 2 and not t.isdigit())
        self.unigrams = tuple(unigrams)
        self.chars = TfidfVectorizer(
            analyzer="char_wb", ngram_range=settings.char_ngrams, sublinear_tf=True, dtype=np.float32
        )
        self.char_matrix = csr_matrix(self.chars.fit_transform(unigrams or ["empty"]).T)
        self._variants = short_text_cache(maxsize=4096, max_chars=MAX_WORD_CHARS)(self._find_variants)
        # Abstracts are split and vectorised on first use: cheap per paper, costly for 50,000 at once.
        self._sentences = lru_cache(maxsize=4096)(self._sentence_matrix)
        self._focus = short_text_cache(maxsize=1024, max_chars=300)(self.vector)

    def _find_variants(self, word: str) -> tuple[str, ...]:
        """Vocabulary words spelt like `word` (typos, British/American spelling, other endings)."""
        if not self.unigrams or not 4 <= len(word) <= MAX_WORD_CHARS:
            return ()
        sims = (self.chars.transform([word]) @ self.char_matrix).toarray().ravel()
        floor = self.settings.variant_similarity
        # Typos rarely touch the first letter; requiring it keeps "weather" from becoming "rather".
        candidates = [
            i for i in np.flatnonzero(sims >= floor) if self.unigrams[i][0] == word[0]
        ]
        if not candidates:
            return ()
        # Among near ties, the word of the most similar length: "reinforcment" is "reinforcement",
        # not "reinforce".
        best = max(candidates, key=lambda i: sims[i] - 0.02 * abs(len(self.unigrams[i]) - len(word)))
        return (self.unigrams[best],)

    def query_terms(self, text: str) -> tuple[list[str], list[str]]:
        """The analysed question: its content words (typos corrected), and their glossary synonyms."""
        out: list[str] = []
        lookups = 0
        for word in content_tokens(text):
            if word in self.vocabulary or word.isdigit():
                out.append(word)
            elif lookups < MAX_VARIANT_LOOKUPS:
                lookups += 1
                out.extend(self._variants(word) or (word,))
            else:
                out.append(word)  # unknown, and not looked up: it matches nothing
        return out, self.glossary.expand(out)

    def vector(self, text: str) -> csr_matrix:
        """The question's TF-IDF vector; synonyms count, but less than the words actually asked."""
        words, synonyms = self.query_terms(text)
        q = self.words.transform([" ".join(words)])
        if synonyms:
            q = q + self.words.transform([" ".join(synonyms)]) * SYNONYM_WEIGHT
        return csr_matrix(normalize(q))

    def search(self, text: str, allowed: Sequence[int] | None = None) -> list[Match]:
        """Papers ranked by relevance to `text`, best first; only `allowed` positions when given."""
        q = self.vector(text)
        if q.nnz == 0:
            return []
        scores = np.asarray((q @ self.term_major).todense()).ravel()
        return self._rank(scores, allowed)

    def similar(self, position: int, k: int) -> list[Match]:
        """The papers nearest to the one at `position`, itself excluded."""
        row = self.doc_major[position]
        scores = np.asarray((row @ self.term_major).todense()).ravel()
        scores[position] = 0.0
        return self._rank(scores, None)[:k]

    def _rank(self, scores: np.ndarray, allowed: Sequence[int] | None) -> list[Match]:
        if allowed is not None:
            mask = np.zeros_like(scores)
            mask[list(allowed)] = 1.0
            scores = scores * mask
        nonzero = np.flatnonzero(scores > 0)
        if nonzero.size > 64:
            nonzero = nonzero[np.argpartition(-scores[nonzero], 63)[:64]]
        # Ties go to the newer paper, which the corpus lists first.
        order = sorted(nonzero, key=lambda i: (-scores[i], i))
        return [Match(int(i), float(scores[i])) for i in order]

    def focus(self, text: str) -> csr_matrix:
        """The vector of a question, to score abstract sentences against (cached: one per reply)."""
        return self._focus(text)

    def sentence_scores(self, focus: csr_matrix, position: int) -> tuple[list[str], list[float]]:
        """The abstract sentences of a paper and how close each one is to `focus`."""
        parts, matrix = self._sentences(position)
        if focus.nnz == 0 or not parts:
            return parts, [0.0] * len(parts)
        return parts, [float(x) for x in _row_dots(matrix, focus)]

    def _sentence_matrix(self, position: int) -> tuple[list[str], csr_matrix]:
        parts = sentences(self.papers[position].abstract)
        return parts, csr_matrix(normalize(self.words.transform([analyse(s) for s in parts] or [""])))
