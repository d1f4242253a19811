"""The TF-IDF index: fielded word n-grams, with character n-grams to catch typos and variants."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from bot.core.caching import short_text_cache
from bot.core.glossary import Glossary
from bot.core.models import Paper
from bot.core.spelling import Spelling
from bot.core.text import content_tokens, sentences
from bot.core.tfidf import TermVector, Tfidf, Vocabulary, build
from bot.settings import RetrievalSettings

# How much a glossary synonym of a question word counts, against the word itself.
SYNONYM_WEIGHT = 0.5
# Unknown question words looked up for a spelling variant, at most: each costs a character n-gram
# search of the vocabulary, and a paste of made-up words must not cost more than a real question.
MAX_VARIANT_LOOKUPS = 20
MAX_WORD_CHARS = 40  # longer "words" are not words: never looked up, never cached
FIELDS = ("title", "abstract", "authors", "venue")


def _field_text(paper: Paper, name: str) -> str:
    if name == "title":
        return paper.title
    if name == "abstract":
        return paper.abstract
    if name == "authors":
        return " ".join(paper.authors)
    return " ".join(x for x in (paper.venue or "", paper.organisation, paper.category) if x)


@dataclass(frozen=True)
class Match:
    """A paper's position in the index and its score for one query."""

    position: int
    score: float


class Index:
    """Word TF-IDF over title, abstract, authors and venue, weighted per field into one matrix."""

    def __init__(self, papers: Sequence[Paper], settings: RetrievalSettings, glossary: Glossary) -> None:
        self._setup(papers, settings, glossary)
        # The vocabulary and IDF come from whole papers; each field is then weighted on its own.
        texts = ([_field_text(p, name) for name in self.fields] for p in self.papers)
        self.tfidf = build(texts, self.field_weights, settings.word_ngrams)
        self.spelling = Spelling.of(_spellable(self.tfidf.vocabulary.words), settings.char_ngrams)

    @classmethod
    def restored(
        cls, papers: Sequence[Paper], settings: RetrievalSettings, glossary: Glossary, tfidf: Tfidf, spelling: Spelling
    ) -> Index:
        """An index from parts built before (read back from a cache) for the same papers and settings."""
        index = cls.__new__(cls)
        index._setup(papers, settings, glossary)
        index.tfidf, index.spelling = tfidf, spelling
        return index

    def _setup(self, papers: Sequence[Paper], settings: RetrievalSettings, glossary: Glossary) -> None:
        self.papers = tuple(papers)
        self.settings = settings
        self.glossary = glossary
        w = settings.weights
        weights = {"title": w.title, "abstract": w.abstract, "authors": w.authors, "venue": w.venue}
        # A field weighted 0 is left out altogether, its words included.
        self.fields = tuple(name for name in FIELDS if weights[name] > 0)
        self.field_weights = tuple(weights[name] for name in self.fields)
        self._variants = short_text_cache(maxsize=4096, max_chars=MAX_WORD_CHARS)(self._find_variants)
        # Abstracts are split and vectorised on first use: cheap per paper, costly for 50,000 at once.
        self._sentences = lru_cache(maxsize=4096)(self._sentence_vectors)
        self._focus = short_text_cache(maxsize=1024, max_chars=300)(self.vector)

    def _tokens(self, paper: Paper) -> list[list[str]]:
        return [content_tokens(_field_text(paper, name)) for name in self.fields]

    @property
    def vocabulary(self) -> Vocabulary:
        """Every word of the papers, and the word n-grams kept, each with its column."""
        return self.tfidf.vocabulary

    def _find_variants(self, word: str) -> tuple[str, ...]:
        """Vocabulary words spelt like `word` (typos, British/American spelling, other endings)."""
        unigrams = self.spelling.words
        if not unigrams or not 4 <= len(word) <= MAX_WORD_CHARS:
            return ()
        sims = self.spelling.similarities(word)
        floor = self.settings.variant_similarity
        # Typos rarely touch the first letter; requiring it keeps "weather" from becoming "rather".
        candidates = [i for i in np.flatnonzero(sims >= floor) if unigrams[i][0] == word[0]]
        if not candidates:
            return ()
        # Among near ties, the word of the most similar length: "reinforcment" is "reinforcement",
        # not "reinforce".
        best = max(candidates, key=lambda i: sims[i] - 0.02 * abs(len(unigrams[i]) - len(word)))
        return (unigrams[best],)

    def query_terms(self, text: str) -> tuple[list[str], list[str]]:
        """The analysed question: its content words (typos corrected), and their glossary synonyms."""
        out: list[str] = []
        lookups = 0
        known = self.vocabulary.word_ids
        for word in content_tokens(text):
            if word in known or word.isdigit():
                out.append(word)
            elif lookups < MAX_VARIANT_LOOKUPS:
                lookups += 1
                out.extend(self._variants(word) or (word,))
            else:
                out.append(word)  # unknown, and not looked up: it matches nothing
        return out, self.glossary.expand(out)

    def vector(self, text: str) -> TermVector:
        """The question's TF-IDF vector; synonyms count, but less than the words actually asked."""
        words, synonyms = self.query_terms(text)
        q = self.tfidf.vector(words)
        if synonyms:
            q = q.plus(self.tfidf.vector(synonyms), SYNONYM_WEIGHT)
        return q.normalised()

    def search(self, text: str, allowed: Sequence[int] | None = None) -> list[Match]:
        """Papers ranked by relevance to `text`, best first; only `allowed` positions when given."""
        q = self.vector(text)
        if q.nnz == 0:
            return []
        return self._rank(self.tfidf.matrix.scores(q), allowed)

    def similar(self, position: int, k: int) -> list[Match]:
        """The papers nearest to the one at `position`, itself excluded."""
        row = self.tfidf.fielded(self._tokens(self.papers[position]), self.field_weights)
        scores = self.tfidf.matrix.scores(row)
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

    def focus(self, text: str) -> TermVector:
        """The vector of a question, to score abstract sentences against (cached: one per reply)."""
        return self._focus(text)

    def sentence_scores(self, focus: TermVector, position: int) -> tuple[list[str], list[float]]:
        """The abstract sentences of a paper and how close each one is to `focus`."""
        parts, vectors = self._sentences(position)
        if focus.nnz == 0 or not parts:
            return parts, [0.0] * len(parts)
        return parts, [v.dot(focus) for v in vectors]

    def _sentence_vectors(self, position: int) -> tuple[list[str], list[TermVector]]:
        parts = sentences(self.papers[position].abstract)
        return parts, [self.tfidf.vector(content_tokens(s)) for s in parts]


def _spellable(words: Sequence[str]) -> list[str]:
    """The words a misspelt question word may be corrected to: no numbers, nothing under three letters.

    In alphabetical order: among equally close words, the first is taken.
    """
    return sorted(w for w in words if len(w) > 2 and not w.isdigit())
