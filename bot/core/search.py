"""The index: BM25F over stemmed word n-grams of each field, with character n-grams for typos."""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from bot.core.acronyms import (
    FIELD_WORD,
    MAX_LETTERS,
    MIN_LETTERS,
    Phrases,
    phrases_by_initials,
    spelt_out,
    typed_in_capitals,
)
from bot.core.answerability import confidence, signals
from bot.core.caching import short_text_cache
from bot.core.glossary import Glossary
from bot.core.models import Paper
from bot.core.owners import Owners
from bot.core.rarity import rarity
from bot.core.spelling import Spelling, one_edit
from bot.core.stems import stem, stem_all
from bot.core.text import content_tokens, other_number, sentences, singular, without_heading
from bot.core.tfidf import EMPTY, K1, TermVector, Tfidf, Vocabulary, bm25_idf, build, unknown_idf
from bot.settings import RetrievalSettings

# How much a glossary synonym of a question word counts, against the word itself: expansions of an
# abbreviation that land on another paper's title must not outweigh the words actually asked.
SYNONYM_WEIGHT = 0.25
# What the most everyday words count for in a question's informative weight, against field terms.
EVERYDAY_WEIGHT = 0.1
# Unknown question words looked up for a spelling variant, at most: each costs a character n-gram
# search of the vocabulary, and a paste of made-up words must not cost more than a real question.
MAX_VARIANT_LOOKUPS = 20
SAME_WORK = 0.8  # rows this close are versions of one paper: "who is he?" shows one of them
# A word in no English list this long, one slip from a paper word, is taken for that word; the
# candidates are the words nearest by n-grams.
MIN_SLIP_LETTERS = 5
SLIP_SHORTLIST = 20
KEPT_LETTERS = 0.75  # share of a misspelt word's letters its correction keeps, at least
MAX_WORD_CHARS = 40  # longer "words" are not words: never looked up, never cached
# An unknown word may be an acronym; its phrase is looked for in the best-matching papers, or in
# all of them when nothing matched and there are few.
ACRONYM_SOURCES = 20
ACRONYM_SCAN_ALL = 200  # a whole-corpus scan reads every paper's words: a few ms at this size
FIELDS = ("title", "abstract", "authors", "venue")
# A clipped word ("prop" of "target prop", "bio" of "bio plausible") is at least this long, and the
# word it stands for this much longer: "tick" is not "ticket".
MIN_CLIPPED, MIN_CLIPPED_OFF = 3, 3
MAX_COMPLETIONS = 200  # the papers' words a clipped word may begin that are looked at, at most
MIN_HYPHENATED = 6  # "dataset"; a shorter word split in two is rarely a compound


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
    """A paper's position in the index, its BM25F score for one query, how much of the question's
    informative weight the paper holds (0 to 1, comparable across corpora), and how sure the index
    is that it answers the question."""

    position: int
    score: float
    coverage: float = 1.0
    confidence: float = 1.0  # that the paper answers the question, 0 to 1 (bot.core.answerability)


@dataclass(frozen=True)
class QueryTerms:
    """A question as the index reads it."""

    vector: TermVector  # term weights: the words asked, and their synonyms at a lower weight
    words: tuple[tuple[int, ...], ...]  # per content word: the columns that count as finding it
    weights: tuple[float, ...]  # per content word: how informative it is
    acronyms: tuple[str, ...] = ()  # words no paper uses that may abbreviate a phrase papers use
    asked: tuple[str, ...] = ()  # the content words themselves, in the order of `words`
    own: tuple[int, ...] = ()  # per content word: its own stem's column, -1 if no paper uses it


class Index:
    """BM25F over title, abstract, authors and venue: each field's term frequencies, weighted and
    length-normalised, are added before BM25's saturation, so a word in the title and the abstract
    counts once, more strongly, rather than twice."""

    def __init__(self, papers: Sequence[Paper], settings: RetrievalSettings, glossary: Glossary) -> None:
        self._setup(papers, settings, glossary)
        texts = ([_field_text(p, name) for name in self.fields] for p in self.papers)
        tfidf = build(texts, self.field_weights, settings.word_ngrams)
        self._use(tfidf, Spelling.of(_spellable(tfidf.surface), settings.char_ngrams))

    @classmethod
    def restored(
        cls, papers: Sequence[Paper], settings: RetrievalSettings, glossary: Glossary, tfidf: Tfidf, spelling: Spelling
    ) -> Index:
        """An index from parts built before (read back from a cache) for the same papers and settings."""
        index = cls.__new__(cls)
        index._setup(papers, settings, glossary)
        index._use(tfidf, spelling)
        return index

    def _setup(self, papers: Sequence[Paper], settings: RetrievalSettings, glossary: Glossary) -> None:
        self.papers = tuple(papers)
        self.settings = settings
        self.glossary = glossary
        self._glossary_words = glossary.words()
        w = settings.weights
        weights = {"title": w.title, "abstract": w.abstract, "authors": w.authors, "venue": w.venue}
        # A field weighted 0 is left out altogether, its words included.
        self.fields = tuple(name for name in FIELDS if weights[name] > 0)
        self.field_weights = tuple(weights[name] for name in self.fields)
        self.unknown_idf = unknown_idf(len(self.papers))  # a word no paper uses
        self.owners = Owners(self.papers)  # in a lab, a paper is judged among its members' papers
        self._variants = short_text_cache(maxsize=4096, max_chars=MAX_WORD_CHARS)(self._find_variants)
        # A clipped word is looked up twice (beside its phrase first, alone after the spelling variants).
        self._begun = short_text_cache(maxsize=4096, max_chars=MAX_WORD_CHARS)(self._words_begun)
        # Abstracts are split and vectorised on first use: cheap per paper, costly for 50,000 at once.
        # Split and vectorised apart: a summary that shows a paper's gist needs its sentences only.
        self._split = lru_cache(maxsize=4096)(self._split_abstract)
        self._sentences = lru_cache(maxsize=4096)(self._sentence_vectors)
        self._focus = short_text_cache(maxsize=1024, max_chars=300)(self.vector)
        self._read = short_text_cache(maxsize=1024, max_chars=300)(self._query)

    def _use(self, tfidf: Tfidf, spelling: Spelling) -> None:
        self.tfidf = tfidf
        self.spelling = spelling
        self.idf = tfidf.idf
        # The words as the papers spell them, before stemming: what a misspelt word is matched to.
        self.surface = frozenset(tfidf.surface)

    @property
    def vocabulary(self) -> Vocabulary:
        """Every stem of the papers, and the stem n-grams kept, each with its column."""
        return self.tfidf.vocabulary

    def _find_variants(self, word: str) -> tuple[str, ...]:
        """Vocabulary words spelt like `word` (typos, British/American spelling, other endings)."""
        unigrams = self.spelling.words
        if not unigrams or not 4 <= len(word) <= MAX_WORD_CHARS:
            return ()
        sims = self.spelling.similarities(word)
        floor = self.settings.variant_similarity
        # Typos rarely touch the first letter; requiring it keeps "weather" from becoming "rather".
        # A slip drops a letter or two, not a quarter of the word: "seedling" is not "seed",
        # nor "organoid" "organ".
        shortest = KEPT_LETTERS * len(word)
        candidates = [
            i for i in np.flatnonzero(sims >= floor) if unigrams[i][0] == word[0] and len(unigrams[i]) >= shortest
        ]
        if not candidates and len(word) >= MIN_SLIP_LETTERS and rarity(word) == 1.0:
            # One slip in a short word ("targt", "lerning") leaves too few of its n-grams intact; an
            # English word ("routing") is not a slip, though a paper word is one letter away.
            shortlist = np.argsort(-sims)[:SLIP_SHORTLIST]
            candidates = [
                i for i in shortlist if sims[i] > 0 and unigrams[i][0] == word[0] and _slip(word, unigrams[i])
            ]
        if not candidates:
            return self._glossary_slip(word)
        # Among near ties, the word of the most similar length: "reinforcment" is "reinforcement",
        # not "reinforce".
        best = max(candidates, key=lambda i: sims[i] - 0.02 * abs(len(unigrams[i]) - len(word)))
        return (unigrams[best],)

    def _glossary_slip(self, word: str) -> tuple[str, ...]:
        """A glossary term one slip from a word no paper uses and no English list has ("saftey":
        "safety"), which then counts through the phrases the papers use for it."""
        if len(word) < MIN_SLIP_LETTERS or rarity(word) < 1.0:
            return ()
        return next(((term,) for term in self._glossary_words if term[0] == word[0] and _slip(word, term)), ())

    def _known(self, word: str) -> bool:
        return word in self.surface or stem(word) in self.vocabulary

    def query_terms(self, text: str) -> tuple[list[str], list[str]]:
        """The analysed question: its content words (typos corrected), and their glossary synonyms."""
        out: list[str] = []
        lookups = 0
        words = content_tokens(text)
        capitals = typed_in_capitals(text)
        for i, word in enumerate(words):
            if word.isdigit() or self._known(word):
                out.append(word)
            elif (single := singular(word)) and (self._known(single) or self.glossary.knows(single)):
                out.append(single)  # "LSTMs": the stemmer keeps an "s" after consonants only
            elif (twin := other_number(word)) and self._known(twin):
                out.append(twin)  # "mouse" where the papers say "mice"
            elif word in capitals:
                out.append(word)  # an acronym, not a slip: "GAMM" is spelt out below, not read as "gamma"
            elif lookups < MAX_VARIANT_LOOKUPS:
                lookups += 1
                beside = (words[i - 1] if i else "", words[i + 1] if i + 1 < len(words) else "")
                out.extend(self._unclipped(word, *beside, phrase_only=True) or self._variants(word)
                           or self._unclipped(word, *beside) or (word,))  # fmt: skip
            else:
                out.append(word)  # unknown, and not looked up: it matches nothing
        return out, self.glossary.expand(out)

    @functools.cached_property
    def _sorted_surface(self) -> tuple[str, ...]:
        return tuple(sorted(self.surface))

    def _words_begun(self, word: str) -> dict[str, str]:
        """The papers' words that `word` begins and that are MIN_CLIPPED_OFF letters longer, one
        spelling per stem, among the first MAX_COMPLETIONS it begins."""
        surface = self._sorted_surface
        begun: dict[str, str] = {}
        at = bisect.bisect_left(surface, word)
        for full in surface[at : at + MAX_COMPLETIONS]:  # the words it begins come first in order
            if not full.startswith(word):
                break
            if len(full) >= len(word) + MIN_CLIPPED_OFF:
                begun.setdefault(stem(full), full)
        return begun

    def _unclipped(self, word: str, before: str, after: str, phrase_only: bool = False) -> tuple[str, ...]:
        """The papers' word a clipped one stands for: the one that makes a phrase of the papers with
        the word beside it ("target prop": "target propagation"; "bio plausible": "biologically
        plausible"), or, unless `phrase_only`, the only word it can begin when no English list has it
        ("backprop": "backpropagation")."""
        if len(word) < MIN_CLIPPED or not word.isalpha():
            return ()
        begun = self._begun(word)
        phrases = [
            (float(self.idf[column]), full)
            for root, full in begun.items()
            for pair in (before and f"{stem(before)} {root}", after and f"{root} {stem(after)}")
            if pair and (column := self.vocabulary.get(pair)) is not None
        ]
        if phrases:
            return (min(phrases)[1],)  # the phrase most papers use
        if not phrase_only and len(begun) == 1 and rarity(word) == 1.0:
            return tuple(begun.values())
        return ()

    def _query(self, text: str) -> QueryTerms:
        words, synonyms = self.query_terms(text)
        vector = self.tfidf.counts(stem_all(words))
        if synonyms:
            vector = vector.plus(self.tfidf.counts(stem_all(" ".join(synonyms).split())), SYNONYM_WEIGHT)
            # A word no paper uses ("ICL") is held only in its synonyms' form: they count as the word would.
            stand_ins = [t for w in words if not self._known(w) for t in self.glossary.expand([w])]
            if stand_ins:
                vector = vector.plus(self.tfidf.counts(stem_all(" ".join(stand_ins).split())), 1 - SYNONYM_WEIGHT)
        columns: list[tuple[int, ...]] = []
        owns: list[int] = []
        acronyms: list[str] = []
        asked = tuple(w for w in words if not w.isdigit())
        # A word the papers also write hyphenated ("coexpression", "co-expression") counts where
        # either spelling is.
        twins = {word: self._hyphenated(word) for word in asked}
        phrases = self.glossary.phrases(asked)
        if spelt := sorted({c for cs in twins.values() for c in cs}):
            vector = vector.plus(TermVector(np.array(spelt, dtype=np.int64), np.ones(len(spelt))))
        for k, word in enumerate(asked):
            own = self.vocabulary.get(stem(word))
            found = {own, *twins[word]} if own is not None else set(twins[word])
            # A word the papers spell out another way ("RL", "reinforcement learning") is found
            # where its synonyms are: a phrase where the papers use it whole, not wherever one of its
            # words is ("learning" is in every paper of a machine-learning corpus). So is a word they
            # never use in a phrase they write another way: "nets" of "neural nets" where "neural
            # networks" is.
            for term in self.glossary.terms(word):
                found.update(self._term_columns(term))
            if not found:
                for term in (t for where, terms in phrases if k in where for t in terms):
                    found.update(self._term_columns(term, whole=True))
            if not found and word.isalpha() and MIN_LETTERS <= len(word) <= MAX_LETTERS and rarity(word) >= FIELD_WORD:
                acronyms.append(word)
            columns.append(tuple(sorted(found)))
            owns.append(-1 if own is None else own)
        for first, size, column in self._abbreviated_runs(asked):
            # "Hamiltonian Monte Carlo" where a paper writes only "HMC": each word is found there.
            for k in range(first, first + size):
                columns[k] = tuple(sorted({*columns[k], column}))
            vector = vector.plus(TermVector(np.array([column], dtype=np.int64), np.ones(1)))
        used = sorted({c for cs in columns for c in cs})
        weights, _ = _word_weights(
            asked, owns, columns, used, self.idf[used][None, :], np.ones((1, len(used)), dtype=bool), [self.unknown_idf]
        )
        return QueryTerms(vector, tuple(columns), tuple(map(float, weights[0])), tuple(acronyms), asked, tuple(owns))

    def _abbreviated_runs(self, asked: Sequence[str]) -> list[tuple[int, int, int]]:
        """The runs of question words that the papers abbreviate ("hamiltonian monte carlo": "HMC"),
        as (first word, words, the acronym's column): a word of the papers that no English list has
        and whose letters are the run's initials, with a field word in the run and mostly words the
        papers do not use, so the acronym adds what the words alone miss."""
        found: list[tuple[int, int, int]] = []
        taken: set[int] = set()  # the longest run wins a word
        unknown = [not self._known(w) for w in asked]  # each word looked up once, not once per run
        rare = [rarity(w) for w in asked]
        for size in range(MAX_LETTERS, MIN_LETTERS - 1, -1):
            for first in range(len(asked) - size + 1):
                run, at = asked[first : first + size], range(first, first + size)
                # Mostly words the papers never use: a phrase they only abbreviate. One unknown word
                # beside known ones is a topic of its own ("federated learning differential" is no
                # "FLD", which a chemistry paper uses).
                if taken.intersection(at) or 2 * sum(unknown[first : first + size]) <= size:
                    continue
                if max(rare[first : first + size]) < FIELD_WORD:
                    continue
                initials = "".join(w[0] for w in run)
                # Looked up as the papers write it first: stemming each made-up string of initials
                # would fill the stemmer's cache with a long paste's.
                if initials not in self.surface or rarity(initials) < 1.0:
                    continue
                if (column := self.vocabulary.get(stem(initials))) is not None and not self._spelt_otherwise(
                    initials, column, run
                ):
                    found.append((first, size, column))
                    taken.update(at)
        return found

    def _spelt_otherwise(self, initials: str, column: int, run: Sequence[str]) -> bool:
        """Whether the papers that use an acronym spell it out in other words than `run`: in a lab's
        papers "DMI" is a "digital musical instrument", not "diffusion models (for) image"."""
        postings = self.tfidf.matrix
        papers = postings.docs[int(postings.indptr[column]) : int(postings.indptr[column + 1])]
        asked = stem_all(list(run))
        phrases = {f for p in papers[:ACRONYM_SOURCES] for f in self._paper_phrases(int(p)).get(initials)}
        return bool(phrases) and all(stem_all(f.split()) != asked for f in phrases)

    def _hyphenated(self, word: str) -> tuple[int, ...]:
        """The index's word pairs that spell `word` in two ("co expression" of "coexpression", "data
        set" of "dataset"): how the papers write it hyphenated or apart."""
        if len(word) < MIN_HYPHENATED or not word.isalpha():
            return ()
        pairs = (self.vocabulary.get(f"{stem(word[:i])} {stem(word[i:])}") for i in range(2, len(word) - 2))
        return tuple(c for c in pairs if c is not None)

    def _term_columns(self, term: tuple[str, ...], whole: bool = False) -> list[int]:
        """The index's columns that hold a term: the word, or the phrase's word pair (for a longer
        phrase, its rarest pair: "recurrent neural" of "recurrent neural network"); a phrase no paper
        uses whole is held where its words are, unless `whole`: then nowhere."""
        stems = stem_all(content_tokens(" ".join(term)))  # the index pairs words without stopwords
        if len(stems) <= 2 and (column := self.vocabulary.get(" ".join(stems))) is not None:
            return [column]
        pairs = [c for a, b in itertools.pairwise(stems) if (c := self.vocabulary.get(f"{a} {b}")) is not None]
        if whole and len(stems) > 1 and len(pairs) < len(stems) - 1:
            return []  # not a phrase the papers use whole: "large language model" where they say "language model"
        if len(stems) > 2 and pairs:
            return [max(pairs, key=lambda c: float(self.idf[c]))]
        return [c for w in stems if (c := self.vocabulary.get(w)) is not None]

    def vector(self, text: str) -> TermVector:
        """The question's IDF-weighted term vector, unit length (to compare with sentences), its
        acronyms spelt out as `search` spells them: "GAMM" is summed up by the sentence that says
        "generalized additive mixed model"."""
        query = self._read(text)
        if query.acronyms:
            query = self._read(self._spell_out(text, query.acronyms, self._search(query, None)))
        return query.vector.times(self.idf).normalised()

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
        ranked = self._rank(self.tfidf.matrix.scores(query.vector), allowed)
        coverage, sure = self._weigh(query, [m.position for m in ranked])
        return [Match(m.position, m.score, float(c), float(s)) for m, c, s in zip(ranked, coverage, sure, strict=True)]

    def _spell_out(self, text: str, acronyms: tuple[str, ...], matches: list[Match]) -> str:
        """`text` with each acronym no paper uses replaced by the phrase the best-matching papers
        abbreviate that way ("HRL" by "hierarchical reinforcement learning"): learnt from the
        corpus, for any field, rather than from a list of synonyms."""
        best: Sequence[int] = [m.position for m in matches[:ACRONYM_SOURCES]]
        # When nothing else matched, a small corpus is read whole; so it is for a word typed in
        # capitals when no paper matched for sure ("papers using GAMMs" matches on "using" alone).
        # Otherwise the best-matching papers only: across a whole corpus, "cite" finds "CES includes
        # the estuarine", and "MSE" beside "aleatoric uncertainty" "multistage structured entity".
        whole: Sequence[int] = range(len(self.papers)) if len(self.papers) <= ACRONYM_SCAN_ALL else ()
        capitals = typed_in_capitals(text)
        unsure = all(m.confidence < self.settings.min_confidence for m in matches)
        for acronym in acronyms:
            phrase = spelt_out(acronym, (self._paper_phrases(p) for p in best))
            if not phrase and whole and (not best or (acronym in capitals and unsure)):
                phrase = spelt_out(acronym, (self._paper_phrases(p) for p in whole))
            if phrase:
                text = re.sub(rf"(?i)\b{re.escape(acronym)}\b", phrase, text)
        return text

    def _paper_phrases(self, position: int) -> Phrases:
        paper = self.papers[position]
        return phrases_by_initials(f"{paper.title}. {paper.abstract}")

    def _weigh(self, query: QueryTerms, positions: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """Per paper: the share of the question's informative weight it holds, and how sure we are
        that it answers the question."""
        weights = np.array(query.weights)
        if weights.sum() <= 0 or not positions:
            return np.zeros(len(positions)), np.zeros(len(positions))
        held = self.held(query, positions)
        if self.owners.several:
            weights, known, unknown = self._weights_by_owners(query, positions)
        else:
            known = np.array([bool(columns) for columns in query.words], dtype=bool)
            unknown = np.array(self.unknown_idf)
        rows = signals(held, weights, known, query.asked, unknown)
        sure = confidence(rows)
        sure[np.broadcast_to(weights, held.shape).sum(axis=1) <= 0] = 0.0  # no informative word: no answer
        return rows[:, 0], sure

    def _weights_by_owners(self, query: QueryTerms, positions: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per paper at `positions` (one row each): the question's words weighed as if its members'
        papers were the whole corpus, whether those papers use each word, and the IDF of one they do not."""
        used = sorted({c for cs in query.words for c in cs})
        postings = self.tfidf.matrix
        spans = [(int(postings.indptr[c]), int(postings.indptr[c + 1])) for c in used]
        docs = np.concatenate([postings.docs[a:b] for a, b in spans]) if spans else np.zeros(0, dtype=np.int64)
        column_of_doc = np.repeat(np.arange(len(used)), [b - a for a, b in spans])
        groups = self.owners.groups(positions)
        group_of_row = np.zeros(len(positions), dtype=np.int64)
        for g, rows in enumerate(groups.values()):
            group_of_row[rows] = g
        df, papers = self.owners.counts(list(groups), docs, column_of_doc, len(used))
        none = [unknown_idf(int(n)) for n in papers]
        weights, known = _word_weights(
            query.asked, query.own, query.words, used, bm25_idf(df, papers[:, None]), df > 0, none
        )
        return weights[group_of_row], known[group_of_row], np.array(none)[group_of_row]

    def held(self, query: QueryTerms, positions: list[int]) -> np.ndarray:
        """How strongly each paper at `positions` holds each content word of `query`, from 0 to 1
        (one row per paper, one column per word): BM25's saturated term frequency, read off the
        terms' posting lists; a word found through a synonym counts as its best-held form."""
        out = np.zeros((len(positions), len(query.words)))
        columns = sorted({c for cs in query.words for c in cs})
        if not positions or not columns:
            return out
        row_of = np.full(len(self.papers), -1)
        row_of[positions] = np.arange(len(positions))
        held = np.zeros((len(positions), len(columns)))
        postings = self.tfidf.matrix
        for j, c in enumerate(columns):
            start, end = postings.indptr[c], postings.indptr[c + 1]
            rows = row_of[postings.docs[start:end]]
            found = rows >= 0
            held[rows[found], j] = postings.weights[start:end][found]
        held /= self.idf[columns] * (K1 + 1)
        at = {c: i for i, c in enumerate(columns)}
        for k, cs in enumerate(query.words):
            if cs:
                out[:, k] = held[:, [at[c] for c in cs]].max(axis=1)
        return out

    def similar(self, position: int, k: int) -> list[Match]:
        """The papers nearest to the one at `position`, itself excluded."""
        scores = self.tfidf.matrix.scores(self._row(position))
        scores[position] = 0.0
        return self._rank(scores, None)[:k]

    def typical(self, positions: Sequence[int], k: int) -> list[Match]:
        """Of the papers at `positions`, the `k` nearest to what they have in common (the centre of
        their vectors, each paper counting once whatever its length): the most typical of a body of
        work, no two of them versions of one paper."""
        rows = [self._row(position).normalised() for position in positions]
        centre = EMPTY
        for row in rows:
            centre = centre.plus(row)
        centre = centre.normalised()
        # By angle, not by dot product: a long abstract holds more of the centre's words without
        # being more typical of the work.
        ranked = sorted(zip(positions, rows, strict=True), key=lambda pr: (-pr[1].dot(centre), pr[0]))
        chosen: list[tuple[int, TermVector]] = []
        for position, row in ranked:
            if len(chosen) == k:
                break
            if all(row.dot(other) < SAME_WORK for _, other in chosen):  # a workshop and a journal version
                chosen.append((position, row))
        return [Match(position, row.dot(centre)) for position, row in chosen]

    def _row(self, position: int) -> TermVector:
        paper = self.papers[position]
        terms = [self.vocabulary.terms(stem_all(content_tokens(_field_text(paper, f)))) for f in self.fields]
        return self.tfidf.matrix.row(position, np.concatenate(terms))

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

    def sentences(self, position: int) -> tuple[str, ...]:
        """A paper's abstract, sentence by sentence: the one split that its summary and `sentence_scores`
        both use, so a score's place is its sentence's."""
        return self._split(position)

    def sentence_scores(self, focus: TermVector, position: int) -> list[float]:
        """How close each of a paper's `sentences` is to `focus`, in their order."""
        parts, terms, weights, owner = self._sentences(position)
        if focus.nnz == 0 or not parts:
            return [0.0] * len(parts)
        # Every sentence at once: one dot product per sentence cost a numpy set intersection each,
        # a quarter of a question's time.
        at = np.minimum(np.searchsorted(focus.indices, terms), focus.nnz - 1)
        hit = focus.indices[at] == terms
        scores = np.bincount(owner[hit], weights[hit] * focus.data[at[hit]], minlength=len(parts))
        listed: list[float] = scores.tolist()
        return listed

    def _split_abstract(self, position: int) -> tuple[str, ...]:
        # A structured abstract's headings ("Background.", "Methods: A professional...") say nothing.
        return tuple(h for h in (without_heading(s) for s in sentences(self.papers[position].abstract)) if h)

    def _sentence_vectors(self, position: int) -> tuple[tuple[str, ...], np.ndarray, np.ndarray, np.ndarray]:
        """A paper's abstract sentences and their unit vectors, end to end: term ids, weights, and
        which sentence each entry belongs to."""
        parts = self.sentences(position)
        vectors = [self.tfidf.counts(stem_all(content_tokens(s))).times(self.idf).normalised() for s in parts]
        owner = np.repeat(np.arange(len(parts)), [v.nnz for v in vectors])
        if not vectors:
            return parts, EMPTY.indices, EMPTY.data, owner
        return parts, np.concatenate([v.indices for v in vectors]), np.concatenate([v.data for v in vectors]), owner


def _word_weights(
    asked: Sequence[str],
    own: Sequence[int],
    found: Sequence[tuple[int, ...]],
    used: Sequence[int],
    idf: np.ndarray,
    present: np.ndarray,
    unknown: Sequence[float],
) -> tuple[np.ndarray, np.ndarray]:
    """Each question word's informative weight, and whether the papers use it, for one or more sets
    of papers (the rows of `idf` and `present`, over the columns `used`; `unknown`: the IDF of a word
    none of them uses). A word weighs its own stem's IDF (`own`, -1 if no paper uses it), else the
    best of the columns that count as finding it (`found`: its synonyms'), times how little it is
    everyday English; a word the papers do not use weighs `unknown` times its rarity alone.

    What a word says about a topic depends on whether it is everyday English ("world", "images") or
    a term of some field ("federated", "microbiome"); a paper that shares only everyday words with
    a question is not about it.
    """
    at = {c: i for i, c in enumerate(used)}
    finds = np.zeros((len(asked), len(used)), dtype=bool)
    for k, columns in enumerate(found):
        finds[k, [at[c] for c in columns]] = True
    own_at = np.array([at.get(c, -1) for c in own], dtype=np.int64)
    informative = np.array([_informative(word) for word in asked])
    rare = np.array([rarity(word) for word in asked])
    usable = finds[None, :, :] & present[:, None, :]  # sets x words x columns
    known = usable.any(axis=2)
    best = np.where(usable, idf[:, None, :], -np.inf).max(axis=2, initial=-np.inf)
    has_own = (own_at >= 0)[None, :] & present[:, np.maximum(own_at, 0)] if used else np.zeros_like(known)
    own_idf = idf[:, np.maximum(own_at, 0)] if used else np.zeros(known.shape)
    weights = np.where(
        has_own, own_idf * informative, np.where(known, best * informative, np.array(unknown)[:, None] * rare)
    )
    return weights, known


def _informative(word: str) -> float:
    """How much a word the papers use says about a topic: everyday words little, but not nothing."""
    return EVERYDAY_WEIGHT + (1 - EVERYDAY_WEIGHT) * rarity(word)


def _slip(typed: str, word: str) -> bool:
    """Whether `typed` is one slip from `word`, either of them read as a plural too: "mountian" from
    the papers' "mountains"."""
    return any(one_edit(a, b) for a in (typed, singular(typed)) if a for b in (word, singular(word)) if b)


def _spellable(words: Sequence[str]) -> list[str]:
    """The words a misspelt question word may be corrected to: no numbers, nothing under three letters.

    In alphabetical order: among equally close words, the first is taken.
    """
    return sorted(w for w in words if len(w) > 2 and not w.isdigit())
