"""The index: BM25F over stemmed word n-grams of each field, with character n-grams for typos."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.sparse import csr_matrix, diags
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.preprocessing import normalize

from bot.core.acronyms import MAX_LETTERS, Phrases, phrases_by_initials, spelt_out
from bot.core.caching import short_text_cache
from bot.core.glossary import Glossary
from bot.core.models import Paper
from bot.core.rarity import rarity
from bot.core.stems import stem, stem_all
from bot.core.text import analyse, content_tokens, sentences
from bot.settings import RetrievalSettings

# How much a glossary synonym of a question word counts, against the word itself: expansions of an
# abbreviation that land on another paper's title must not outweigh the words actually asked.
SYNONYM_WEIGHT = 0.25
# BM25's usual constants: term frequency saturates (k1), and long fields are discounted (b).
K1 = 1.2
B = 0.75
# What the most everyday words count for in a question's informative weight, against field terms.
EVERYDAY_WEIGHT = 0.1
# Unknown question words looked up for a spelling variant, at most: each costs a character n-gram
# search of the vocabulary, and a paste of made-up words must not cost more than a real question.
MAX_VARIANT_LOOKUPS = 20
MAX_WORD_CHARS = 40  # longer "words" are not words: never looked up, never cached
# An unknown word may be an acronym; its phrase is looked for in the best-matching papers, or in
# all of them when nothing matched and there are few.
ACRONYM_SOURCES = 20
ACRONYM_SCAN_ALL = 2000


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
    """A paper's position in the index, its BM25F score for one query, and how much of the
    question's informative weight the paper holds (0 to 1, comparable across corpora)."""

    position: int
    score: float
    coverage: float = 1.0


@dataclass(frozen=True)
class QueryTerms:
    """A question as the index reads it."""

    vector: csr_matrix  # term weights: the words asked, and their synonyms at a lower weight
    words: tuple[tuple[int, ...], ...]  # per content word: the columns that count as finding it
    weights: tuple[float, ...]  # per content word: how informative it is
    acronyms: tuple[str, ...] = ()  # words no paper uses that may abbreviate a phrase papers use


class Index:
    """BM25F over title, abstract, authors and venue: each field's term frequencies, weighted and
    length-normalised, are added before BM25's saturation, so a word in the title and the abstract
    counts once, more strongly, rather than twice."""

    def __init__(self, papers: Sequence[Paper], settings: RetrievalSettings, glossary: Glossary) -> None:
        self.papers = tuple(papers)
        self.settings = settings
        self.glossary = glossary
        fields = [_fields(p) for p in self.papers]
        low, high = settings.word_ngrams
        self.terms = CountVectorizer(analyzer=StemmedNgrams(low, high), dtype=np.float32)
        self.terms.fit([" ".join(f.values()) for f in fields] or ["empty"])
        self.vocabulary: dict[str, int] = self.terms.vocabulary_
        w = settings.weights
        weights = {"title": w.title, "abstract": w.abstract, "authors": w.authors, "venue": w.venue}
        frequencies: csr_matrix | None = None
        for name, weight in weights.items():
            if weight <= 0:
                continue
            counts = csr_matrix(self.terms.transform([f[name] for f in fields]))
            lengths = np.array([len(f[name].split()) for f in fields], dtype=np.float64)
            average = lengths.mean() if lengths.size and lengths.mean() > 0 else 1.0
            part = diags(weight / (1 - B + B * lengths / average)) @ counts
            frequencies = part if frequencies is None else frequencies + part
        assert frequencies is not None  # config validation guarantees a positive title or abstract weight
        matrix = csr_matrix(frequencies, dtype=np.float32)
        n = max(len(self.papers), 1)
        df = np.bincount(matrix.indices, minlength=matrix.shape[1])
        self.idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
        self.unknown_idf = float(math.log1p((n + 0.5) / 0.5))  # a word no paper uses
        matrix.data = self.idf[matrix.indices] * matrix.data * (K1 + 1) / (K1 + matrix.data)
        # Stored term-major so a query touches only the posting lists of its own terms.
        self.term_major = csr_matrix(matrix.T)
        self.doc_major = matrix
        # The words as the papers spell them, before stemming: what a misspelt word is matched to.
        self.surface = frozenset(t for f in fields for v in f.values() for t in v.split())
        unigrams = sorted(t for t in self.surface if len(t) > 2 and not t.isdigit())
        self.unigrams = tuple(unigrams)
        self.chars = TfidfVectorizer(
            analyzer="char_wb", ngram_range=settings.char_ngrams, sublinear_tf=True, dtype=np.float32
        )
        self.char_matrix = csr_matrix(self.chars.fit_transform(unigrams or ["empty"]).T)
        self._variants = short_text_cache(maxsize=4096, max_chars=MAX_WORD_CHARS)(self._find_variants)
        # Abstracts are split and vectorised on first use: cheap per paper, costly for 50,000 at once.
        self._sentences = lru_cache(maxsize=4096)(self._sentence_matrix)
        self._focus = short_text_cache(maxsize=1024, max_chars=300)(self.vector)
        self._read = short_text_cache(maxsize=1024, max_chars=300)(self._query)
        self._phrases = lru_cache(maxsize=4096)(self._paper_phrases)

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

    def _known(self, word: str) -> bool:
        return word in self.surface or stem(word) in self.vocabulary

    def query_terms(self, text: str) -> tuple[list[str], list[str]]:
        """The analysed question: its content words (typos corrected), and their glossary synonyms."""
        out: list[str] = []
        lookups = 0
        for word in content_tokens(text):
            if word.isdigit() or self._known(word):
                out.append(word)
            elif lookups < MAX_VARIANT_LOOKUPS:
                lookups += 1
                out.extend(self._variants(word) or (word,))
            else:
                out.append(word)  # unknown, and not looked up: it matches nothing
        return out, self.glossary.expand(out)

    def _query(self, text: str) -> QueryTerms:
        words, synonyms = self.query_terms(text)
        vector = csr_matrix(self.terms.transform([" ".join(words)]))
        if synonyms:
            vector = vector + csr_matrix(self.terms.transform([" ".join(synonyms)])) * SYNONYM_WEIGHT
        columns: list[tuple[int, ...]] = []
        weights: list[float] = []
        acronyms: list[str] = []
        for word in words:
            if word.isdigit():
                continue
            own = self.vocabulary.get(stem(word))
            found = {own} if own is not None else set()
            # A word the papers spell out another way ("RL", "reinforcement learning") is found
            # where its synonyms are.
            for synonym in self.glossary.expand([word]):
                column = self.vocabulary.get(stem(synonym))
                if column is not None:
                    found.add(column)
            # What a word says about a topic depends on whether it is everyday English ("world",
            # "images") or a term of some field ("federated", "microbiome"); a paper that shares
            # only everyday words with a question is not about it.
            if own is not None:
                weights.append(float(self.idf[own]) * _informative(word))
            elif found:
                weights.append(max(float(self.idf[c]) for c in found) * _informative(word))
            else:
                weights.append(self.unknown_idf * rarity(word))
                if word.isalpha() and 2 <= len(word) <= MAX_LETTERS and rarity(word) >= 0.5:
                    acronyms.append(word)
            columns.append(tuple(sorted(found)))
        return QueryTerms(csr_matrix(vector, dtype=np.float32), tuple(columns), tuple(weights), tuple(acronyms))

    def vector(self, text: str) -> csr_matrix:
        """The question's IDF-weighted term vector, unit length (to compare with sentences)."""
        query = self._read(text)
        weighted = query.vector.multiply(self.idf[np.newaxis, :]) if query.vector.nnz else query.vector
        return csr_matrix(normalize(csr_matrix(weighted)))

    def search(self, text: str, allowed: Sequence[int] | None = None) -> list[Match]:
        """Papers ranked by relevance to `text`, best first; only `allowed` positions when given."""
        query = self._read(text)
        matches = self._search(query, allowed)
        if query.acronyms:
            spelt = self._spell_out(text, query.acronyms, matches)
            if spelt != text:
                return self._search(self._read(spelt), allowed)
        return matches

    def _search(self, query: QueryTerms, allowed: Sequence[int] | None) -> list[Match]:
        if query.vector.nnz == 0:
            return []
        scores = np.asarray((query.vector @ self.term_major).todense()).ravel()
        ranked = self._rank(scores, allowed)
        coverage = self._coverage(query, [m.position for m in ranked])
        return [Match(m.position, m.score, float(c)) for m, c in zip(ranked, coverage, strict=True)]

    def _spell_out(self, text: str, acronyms: tuple[str, ...], matches: list[Match]) -> str:
        """`text` with each acronym no paper uses replaced by the phrase the best-matching papers
        abbreviate that way ("HRL" by "hierarchical reinforcement learning"): learnt from the
        corpus, for any field, rather than from a list of synonyms."""
        if matches:
            positions: Sequence[int] = [m.position for m in matches[:ACRONYM_SOURCES]]
        elif len(self.papers) <= ACRONYM_SCAN_ALL:
            positions = range(len(self.papers))  # nothing else matched: a small corpus is read whole
        else:
            return text
        for acronym in acronyms:
            phrase = spelt_out(acronym, (self._phrases(p) for p in positions))
            if phrase:
                text = re.sub(rf"(?i)\b{re.escape(acronym)}\b", phrase, text)
        return text

    def _paper_phrases(self, position: int) -> Phrases:
        paper = self.papers[position]
        return phrases_by_initials(f"{paper.title}. {paper.abstract}")

    def _coverage(self, query: QueryTerms, positions: list[int]) -> np.ndarray:
        """The share of the question's informative weight that each paper holds."""
        total = sum(query.weights)
        columns = sorted({c for cs in query.words for c in cs})
        if total <= 0 or not positions or not columns:
            return np.zeros(len(positions))
        # How strongly each paper holds each term, from 0 to 1: BM25's saturated term frequency,
        # read off the terms' posting lists (scipy's fancy indexing costs more than the search).
        row_of = np.full(len(self.papers), -1)
        row_of[positions] = np.arange(len(positions))
        held = np.zeros((len(positions), len(columns)))
        postings = self.term_major
        for j, c in enumerate(columns):
            start, end = postings.indptr[c], postings.indptr[c + 1]
            rows = row_of[postings.indices[start:end]]
            found = rows >= 0
            held[rows[found], j] = postings.data[start:end][found]
        held /= self.idf[columns] * (K1 + 1)
        at = {c: i for i, c in enumerate(columns)}
        got = np.zeros(len(positions))
        for cs, weight in zip(query.words, query.weights, strict=True):
            if cs:
                got += weight * held[:, [at[c] for c in cs]].max(axis=1)
        return got / total

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
        counts = csr_matrix(self.terms.transform([analyse(s) for s in parts] or [""]))
        weighted = counts.multiply(self.idf[np.newaxis, :]) if counts.nnz else counts
        return parts, csr_matrix(normalize(csr_matrix(weighted)))


def _informative(word: str) -> float:
    """How much a word the papers use says about a topic: everyday words little, but not nothing."""
    return EVERYDAY_WEIGHT + (1 - EVERYDAY_WEIGHT) * rarity(word)


@dataclass(frozen=True)
class StemmedNgrams:
    """The terms of analysed text: its stemmed words' n-grams, of every length from `low` to `high`."""

    low: int
    high: int

    def __call__(self, text: str) -> list[str]:
        words = stem_all(text.split())
        out: list[str] = []
        for n in range(self.low, self.high + 1):
            out.extend(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))
        return out
