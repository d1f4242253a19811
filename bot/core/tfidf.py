"""BM25F in numpy alone: a vocabulary of word stems with pruned stem n-grams, and a term-major matrix of papers.

Per field f of weight w_f, a term's frequencies are added before BM25's saturation: tf = sum_f w_f *
count_f / (1 - B + B * len_f / avglen_f), weight = idf * tf * (K1 + 1) / (K1 + tf), idf = ln(1 + (n -
df + 0.5) / (df + 0.5)). scikit-learn counts its vocabulary in a Python dict of n-gram strings: at
50,000 abstracts that was 3.7 million bigrams, 66 s and 1.4 GB. Here words get integer ids (each
distinct word is stemmed once, and its id becomes its stem's), n-grams are 52-bit hashes of their
stems' ids, counting is done by sorting packed integer keys (numpy sorts integers several times
faster than it argsorts or searches them), and papers are taken a chunk at a time, so memory stays
near the size of the result.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from bot.core.stems import stems_of
from bot.core.text import NOT_CONTENT, token_bytes, tokens

# BM25's usual constants: term frequency saturates (k1), and long fields are discounted (b).
K1 = 1.2
B = 0.75

# Word n-grams (two words or more) kept at most: those in the most papers. Below this every
# n-gram is kept (the corpora of a lab have tens of thousands); at 50,000 abstracts, 3.7 million
# n-grams mostly seen once would otherwise be most of the index. Words are always all kept.
MAX_NGRAMS = 1 << 18
# Papers counted at a time (a power of two): bounds the temporary arrays, which stay on the heap
# once freed (a few MB at 256 papers; at 1,024 they left the build 20 MB larger).
CHUNK_PAPERS = 256
CODE_BITS = 52  # an n-gram's code; the 12 bits above it hold a paper's place in its chunk
_SLICES = 16  # n-gram codes are counted a sixteenth at a time (by their top 4 bits)
_CODE_MASK = np.uint64((1 << CODE_BITS) - 1)
_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd constants: multiplying by them mixes bits
_MIX2 = np.uint64(0xBF58476D1CE4E5B9)
_SEPARATOR = "zq0separator0qz"  # ends each field when fields are tokenised together


def _mixed(code: np.ndarray) -> np.ndarray:
    code ^= code >> np.uint64(31)
    code *= _MIX2
    code ^= code >> np.uint64(29)
    return code


def ngram_codes(ids: np.ndarray, n: int) -> np.ndarray:
    """The code of every run of `n` consecutive word ids: a 52-bit hash, its bits well mixed.

    At 10 million distinct n-grams two share a code with a probability near 1 %; they would then
    share a document frequency, which is harmless.
    """
    count = max(0, len(ids) - n + 1)
    code = np.zeros(count, dtype=np.uint64)
    for k in range(n):
        code = code * _MIX + (ids[k : k + count].astype(np.uint64) + np.uint64(1))
    return _mixed(code) & _CODE_MASK


def counted(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct keys, ascending, and how often each occurs.

    By sorting: numpy's hash-based `unique` took seconds on the millions of keys of a large corpus.
    """
    keys = np.sort(keys)
    starts = np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]])) if keys.size else keys[:0]
    return keys[starts], np.diff(np.append(starts, keys.size))


def _valid_windows(group: np.ndarray, n: int) -> np.ndarray:
    """Which runs of `n` positions lie inside one group (a field of one paper, or a known-word run)."""
    return group[: len(group) - n + 1] == group[n - 1 :] if len(group) >= n else np.zeros(0, dtype=bool)


@dataclass(frozen=True)
class TermVector:
    """A sparse vector over the vocabulary: term ids ascending, with their weights."""

    indices: np.ndarray  # int64
    data: np.ndarray  # float64

    @property
    def nnz(self) -> int:
        return int(self.indices.size)

    def norm(self) -> float:
        return float(np.sqrt(np.dot(self.data, self.data)))

    def normalised(self) -> TermVector:
        norm = self.norm()
        return self if norm == 0 else TermVector(self.indices, self.data / norm)

    def times(self, weights: np.ndarray) -> TermVector:
        """Each term's value times its entry in `weights` (one per term of the vocabulary)."""
        return TermVector(self.indices, self.data * weights[self.indices])

    def plus(self, other: TermVector, scale: float = 1.0) -> TermVector:
        """This vector plus `scale` times another."""
        indices, inverse = np.unique(np.concatenate([self.indices, other.indices]), return_inverse=True)
        data = np.bincount(inverse, np.concatenate([self.data, other.data * scale]), minlength=indices.size)
        return TermVector(indices, data)

    def dot(self, other: TermVector) -> float:
        _, mine, theirs = np.intersect1d(self.indices, other.indices, assume_unique=True, return_indices=True)
        return float(np.dot(self.data[mine], other.data[theirs]))


EMPTY = TermVector(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))


class Vocabulary(Mapping[str, int]):
    """Term -> column: every stem (in the order first met), then the kept stem n-grams ("credit assign")."""

    def __init__(self, words: Sequence[str], codes: np.ndarray, parts: np.ndarray, orders: tuple[int, int]) -> None:
        self.words = tuple(words)
        self.word_ids = {w: i for i, w in enumerate(self.words)}
        self.codes = codes  # uint64, ascending: the kept n-grams' codes
        self.parts = parts  # int32, one row per kept n-gram: its word ids, padded with -1
        self.orders = orders
        # Codes are well-mixed hashes: their top bits spread them over buckets of about two each,
        # found in one step, where a binary search of a million codes took twenty.
        self._bits = max(1, min(CODE_BITS, int(codes.size).bit_length() + 1))
        self._shift = np.uint64(CODE_BITS - self._bits)
        self._bucket = np.searchsorted(codes >> self._shift, np.arange((1 << self._bits) + 1, dtype=np.uint64)).astype(
            np.int32
        )

    def ids(self, words: Sequence[str]) -> np.ndarray:
        """The id of each stem, -1 for a stem the papers never use."""
        get = self.word_ids.get
        return np.fromiter((get(w, -1) for w in words), dtype=np.int64, count=len(words))

    def ngram_ids(self, ids: np.ndarray, n: int) -> np.ndarray:
        """The term id of each run of `n` word ids, -1 where that n-gram is not in the vocabulary."""
        codes = ngram_codes(ids, n)
        out = np.full(codes.size, -1, dtype=np.int64)
        bucket = (codes >> self._shift).astype(np.int64)
        at, end = self._bucket[bucket], self._bucket[bucket + 1]
        look = np.flatnonzero(at < end)
        while look.size:  # each round tries the next code of every bucket still searched
            hit = self.codes[at[look]] == codes[look]
            out[look[hit]] = at[look[hit]]
            look = look[~hit]
            at[look] += 1
            look = look[at[look] < end[look]]
        if (ids < 0).any():  # n-grams with an unknown word are unknown, whatever their code
            out[~(_valid_windows((ids < 0).cumsum(), n) & (ids[: codes.size] >= 0))] = -1
        return np.where(out >= 0, out + len(self.words), -1)

    def terms(self, words: Sequence[str]) -> np.ndarray:
        """The term ids of the stems and n-grams of a sequence of stems, each as often as it occurs."""
        ids = self.ids(words)
        low, high = self.orders
        found = [ids[ids >= 0]] if low <= 1 else []
        found += [t[t >= 0] for t in (self.ngram_ids(ids, n) for n in range(max(low, 2), high + 1))]
        return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)

    def __getitem__(self, term: str) -> int:
        words = term.split(" ")
        if len(words) == 1:
            return self.word_ids[term]
        ids = self.ids(words)
        if len(words) > self.orders[1] or (ids < 0).any():
            raise KeyError(term)
        found = int(self.ngram_ids(ids, len(words))[0])
        if found < 0:
            raise KeyError(term)
        return found

    def __contains__(self, term: object) -> bool:
        if isinstance(term, str) and " " not in term:
            return term in self.word_ids  # the common case, without an exception
        return super().__contains__(term)

    def __iter__(self) -> Iterator[str]:
        yield from self.words
        for row in self.parts:
            yield " ".join(self.words[i] for i in row if i >= 0)

    def __len__(self) -> int:
        return len(self.words) + int(self.codes.size)


@dataclass(frozen=True)
class TermMatrix:
    """Papers by term, stored term-major: a question touches only its own terms' postings."""

    indptr: np.ndarray  # int64, one more than there are terms
    docs: np.ndarray  # paper positions (`paper_type`), ascending within a term
    weights: np.ndarray  # float32
    papers: int

    def scores(self, vector: TermVector) -> np.ndarray:
        """The dot product of every paper with `vector`."""
        if vector.nnz == 0:
            return np.zeros(self.papers)
        out = np.zeros(self.papers)
        # Term by term into one array: a common word's postings are a slice of 40,000 papers at 50,000,
        # added in place without gathering every term's postings into new arrays first.
        for term, weight in zip(vector.indices.tolist(), vector.data.tolist(), strict=True):
            start, end = self.indptr[term], self.indptr[term + 1]
            if end > start:
                out[self.docs[start:end]] += self.weights[start:end] * weight
        return out

    def row(self, position: int, terms: np.ndarray) -> TermVector:
        """A paper's weights for the given terms (those it holds), read off their postings."""
        unique = np.unique(terms)
        unique = unique[unique >= 0]
        # One binary search per term's postings, all terms at once: a search per term, one at a time,
        # was two thirds of "more like this" and of "who is he?".
        low, high = self.indptr[unique].astype(np.int64), self.indptr[unique + 1].astype(np.int64)
        end = high.copy()
        while (searching := low < high).any():
            middle = (low + high) // 2
            below = searching & (self.docs[np.minimum(middle, len(self.docs) - 1)] < position)
            low = np.where(below, middle + 1, low)
            high = np.where(searching & ~below, middle, high)
        held = low < end
        held[held] = self.docs[low[held]] == position
        return TermVector(unique[held].astype(np.int64), self.weights[low[held]].astype(np.float64))


@dataclass(frozen=True)
class Tfidf:
    """A fitted vocabulary of stems and its IDF, the papers' words before stemming, and the BM25F
    papers-by-term matrix."""

    vocabulary: Vocabulary
    idf: np.ndarray  # float32, one per term
    matrix: TermMatrix
    surface: tuple[str, ...]  # every word of the papers as they spell it (what a typo is corrected to)

    def counts(self, stems: Sequence[str]) -> TermVector:
        """How often each term of the vocabulary occurs in a sequence of stems (unknown ones count nothing)."""
        terms = self.vocabulary.terms(stems)
        if terms.size == 0:
            return EMPTY
        indices, counts = counted(terms)
        return TermVector(indices, counts.astype(np.float64))


def _runs(keys: np.ndarray) -> np.ndarray:
    """Where each run of equal values starts in sorted `keys`."""
    if not keys.size:
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.concatenate([[True], keys[1:] != keys[:-1]]))


def _entries(
    ids: np.ndarray,
    grams: Sequence[tuple[int, np.ndarray, np.ndarray]],
    lengths: np.ndarray,
    scales: np.ndarray,
    vocabulary: Vocabulary,
    idf: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(term, paper, BM25F weight) of a run of consecutive papers, sorted by paper then term.

    `grams` holds the run's kept n-grams, as `_kept_in` finds them. `lengths` holds the token count
    of each field of each paper in turn (len(scales) per paper); papers are numbered from 0 in the
    run. `scales` holds a row per field, its weight w_f and its average length: a field's count
    times w_f / (1 - B + B * len_f / avglen_f) is its share of tf.
    """
    fields = len(scales)
    field_doc = np.repeat(np.arange(lengths.size), lengths)
    size = len(vocabulary)
    terms, docs = ([ids], [field_doc]) if vocabulary.orders[0] <= 1 else ([], [])
    for _, at, term in grams:
        terms.append(term)
        docs.append(field_doc[at])
    field_doc = np.concatenate(docs)
    del docs
    # Sorted by paper, term, field: a paper's fields of one term end up side by side.
    keys, tf = counted(((field_doc // fields) * size + np.concatenate(terms)) * fields + field_doc % fields)
    paper_term, field = np.divmod(keys, fields)
    paper, term = np.divmod(paper_term, size)
    weight, average = scales[:, 0], scales[:, 1]
    # The factor first, then the count: the order scipy's diags(factor) @ counts multiplies in.
    part = (weight[field] / (1 - B + B * lengths[paper * fields + field] / average[field])) * tf
    starts = _runs(paper_term)
    saturated = (np.add.reduceat(part, starts) if starts.size else part).astype(np.float32)
    term, paper = term[starts], paper[starts]
    return term, paper, idf[term] * saturated * (K1 + 1) / (K1 + saturated)


_B = 0x100000001B3  # odd: multiplying by it keeps every bit
_MASK64 = (1 << 64) - 1


def _code_of(word: bytes) -> int:
    """A 64-bit hash of a token's bytes (each byte times B to the power of its offset, summed),
    its bits mixed: the order in which a batch's new words get their ids."""
    code = 0
    for byte in reversed(word):
        code = (code * _B + byte) & _MASK64
    code ^= code >> 31
    code = (code * int(_MIX2)) & _MASK64
    return code ^ (code >> 29)


def distinct_tokens(texts: Iterable[str]) -> set[str]:
    """Every token (as `tokens` cuts them, stopwords included) of the texts, once: a batch of texts
    is cut as one, and a string is made for each distinct word only."""
    found: set[bytes] = set()
    batch: list[str] = []
    for text in texts:
        batch.append(text)
        if len(batch) >= 128:
            found.update(token_bytes(" ".join(batch)).split())
            batch.clear()
    found.update(token_bytes(" ".join(batch)).split())
    return {w.decode("ascii") for w in found}


class _Ids(dict[bytes, int]):
    """Word -> id. A word not seen before gets the next id as it is looked up, so that a batch's
    words are looked up in C, by `map`; `settle` then puts the batch's new words in order."""

    def __init__(self) -> None:
        super().__init__(dict.fromkeys((w.encode("ascii") for w in NOT_CONTENT), -1))  # stopwords, letters
        self[_SEPARATOR.encode("ascii")] = -2
        self.words: list[str] = []  # by id
        self.new: list[bytes] = []  # met in this batch for the first time, in that order

    def __missing__(self, word: bytes) -> int:
        self[word] = id_ = len(self.words) + len(self.new)
        self.new.append(word)
        return id_

    def settle(self, ids: np.ndarray) -> None:
        """Renumber the batch's new words in the order of their hash codes (`ids` in place): the
        order they have always had, so the vocabulary's order and its n-gram codes stay the same."""
        if not self.new:
            return
        first = len(self.words)
        order = sorted(range(len(self.new)), key=lambda k: _code_of(self.new[k]))
        final = np.empty(len(order), dtype=np.int32)
        final[order] = np.arange(first, first + len(order), dtype=np.int32)
        for word, id_ in zip(self.new, final.tolist(), strict=True):
            self[word] = id_
        self.words.extend(self.new[k].decode("ascii") for k in order)
        self.new.clear()
        at = ids >= first
        ids[at] = final[ids[at] - first]

    def forget(self) -> None:
        """Drop the words met in a batch that is read again (field by field)."""
        for word in self.new:
            del self[word]
        self.new.clear()


class _Tokens:
    """Every paper's fields as word ids, laid end to end, and each field's length.

    A batch of fields is cut as one text (by `bytes.split`) and its words looked up in a dict: no
    Python loop runs per word, and only a corpus' distinct words become strings.
    """

    def __init__(self, papers: Iterable[Sequence[str]], fields: int) -> None:
        self.id_of = _Ids()
        flat = array("i")
        lengths = array("q")
        batch: list[str] = []
        for paper in papers:
            batch.extend(paper)
            if len(batch) >= 512:  # fields: their text and its list of words stay a few MB
                self._add(batch, flat, lengths)
                batch.clear()
        self._add(batch, flat, lengths)
        self.words = self.id_of.words  # in the order first met
        del self.id_of
        self.ids = np.frombuffer(flat, dtype=np.int32) if len(flat) else np.zeros(0, dtype=np.int32)
        self.lengths = np.frombuffer(lengths, dtype=np.int64) if len(lengths) else np.zeros(0, dtype=np.int64)
        self.fields = fields
        self.papers = self.lengths.size // fields
        self.starts = np.concatenate([[0], np.cumsum(self.lengths)])

    def _add(self, texts: list[str], flat: array[int], lengths: array[int]) -> None:
        """Tokenise a batch of fields as one text, each field followed by the separator word.

        Should a field contain the separator word itself, the batch is tokenised field by field.
        """
        if not texts:
            return
        words = token_bytes(f" {_SEPARATOR} ".join(texts) + f" {_SEPARATOR}").split()
        ids = np.frombuffer(array("i", map(self.id_of.__getitem__, words)), dtype=np.int32).copy()
        del words
        ends = ids == -2
        if int(np.count_nonzero(ends)) != len(texts):
            self.id_of.forget()
            for one in texts:
                cut = tokens(one)
                alone = " ".join(w for w in cut if w != _SEPARATOR) if _SEPARATOR in cut else one
                self._add([alone], flat, lengths)
            return
        self.id_of.settle(ids)
        keep = ids >= 0
        field = np.cumsum(ends) - ends  # each word's field in the batch
        flat.frombytes(ids[keep].tobytes())
        lengths.extend(np.bincount(field[keep], minlength=len(texts)).tolist())

    def stem(self) -> list[str]:
        """Turn every word id into its stem's id, each distinct word stemmed once: the stems, in the
        order first met.

        The ids are then kept as offsets into a table of the stems of their block of papers: two
        bytes a word instead of four. Both are single arrays, so that freeing them frees their memory.
        """
        stems = stems_of(self.words)
        stem_ids: dict[str, int] = {}
        to_stem = np.array([stem_ids.setdefault(s, len(stem_ids)) for s in stems], dtype=np.int32)
        mark = np.zeros(len(stem_ids), dtype=bool)
        where = np.zeros(len(stem_ids), dtype=np.int32)
        self.local: np.ndarray = np.empty(self.ids.size, dtype=np.uint16)
        tables: list[np.ndarray] = []
        for first in range(0, self.papers, CHUNK_PAPERS):
            start, end = self._span(first, min(first + CHUNK_PAPERS, self.papers))
            ids = to_stem[self.ids[start:end]]
            mark[ids] = True
            table = np.flatnonzero(mark).astype(np.int32)
            mark[table] = False
            if table.size > 1 << 16 and self.local.dtype == np.uint16:
                self.local = self.local.astype(np.int32)  # a block of more distinct words than two bytes hold
            where[table] = np.arange(table.size, dtype=np.int32)
            self.local[start:end] = where[ids]
            tables.append(table)
        del self.ids
        self.table_at = np.cumsum([0] + [t.size for t in tables])
        self.tables = np.concatenate(tables) if tables else np.zeros(0, dtype=np.int32)
        return list(stem_ids)

    def _span(self, first: int, last: int) -> tuple[int, int]:
        """Where the words of papers first..last-1 lie, end to end."""
        return int(self.starts[first * self.fields]), int(self.starts[last * self.fields])

    def chunk(self, first: int, last: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The stem ids of papers first..last-1 (all in one block), their fields' lengths, and each
        id's field (from 0)."""
        block = first // CHUNK_PAPERS
        assert last - 1 < (block + 1) * CHUNK_PAPERS, "a chunk lies inside one block"
        start, end = self._span(first, last)
        ids = self.tables[self.table_at[block] + self.local[start:end].astype(np.int64)].astype(np.int64)
        run = self.lengths[first * self.fields : last * self.fields]
        return ids, run, np.repeat(np.arange(run.size), run)


def build(papers: Iterable[Sequence[str]], weights: Sequence[float], orders: tuple[int, int]) -> Tfidf:
    """Fit and fill the index from each paper's fields' texts (fields weighted by `weights`).

    The words are those of `content_tokens`: folded, no stopwords, no single letters.
    """
    fields = len(weights)
    laid = _Tokens(papers, fields)
    surface, n_papers = laid.words, laid.papers
    words = laid.stem()
    low, high = orders
    word_df = np.zeros(len(words), dtype=np.int64)
    # Per order: the codes of the n-grams of each paper, each once, laid end to end in one array
    # sized for the most there can be (its pages are used only as far as it is filled, and all go
    # back to the system when it is freed: thousands of small arrays left the heap 60 MB larger).
    seen = {n: np.empty(int(laid.lengths.sum()), dtype=np.uint64) for n in range(max(low, 2), high + 1)}
    used = dict.fromkeys(seen, 0)
    for first in range(0, n_papers, CHUNK_PAPERS):
        ids, _, field_doc = laid.chunk(first, min(first + CHUNK_PAPERS, n_papers))
        paper = field_doc // fields
        present, _ = counted(paper * len(words) + ids)
        word_df += np.bincount(present % max(len(words), 1), minlength=len(words))
        for n in seen:
            keep = _valid_windows(field_doc, n)
            keyed = (paper[: keep.size][keep].astype(np.uint64) << np.uint64(CODE_BITS)) | ngram_codes(ids, n)[keep]
            keyed.sort()
            once = keyed[_runs(keyed)]
            seen[n][used[n] : used[n] + once.size] = once & _CODE_MASK
            used[n] += once.size
    seen = {n: codes[: used[n]] for n, codes in seen.items()}  # the only references left: freed when counted
    codes, ngram_df, order_of = _kept_ngrams(seen)
    vocabulary = Vocabulary(words, codes, np.full((codes.size, high), -1, dtype=np.int32), orders)
    df = np.concatenate([word_df if low <= 1 else np.zeros(len(words), np.int64), ngram_df])
    idf = bm25_idf(df, n_papers)
    scales = np.array([weights, _average_lengths(laid.lengths, fields)], dtype=np.float64).T
    indptr = np.concatenate([[0], np.cumsum(df)])
    docs = np.empty(int(indptr[-1]), dtype=paper_type(n_papers))
    values = np.empty(int(indptr[-1]), dtype=np.float32)
    filled = indptr[:-1].copy()
    # Entries are sorted into term-major order by one sort of packed keys: term and paper in the
    # high 32 bits, the weight's float32 bits in the low 32; the chunk is small enough to fit.
    step = 1 << max(1, min(CHUNK_PAPERS, (1 << 32) // max(len(vocabulary), 1))).bit_length() - 1  # divides CHUNK_PAPERS
    for first in range(0, n_papers, step):
        ids, run, field_doc = laid.chunk(first, min(first + step, n_papers))
        grams = _kept_in(vocabulary, ids, field_doc)
        _record_parts(vocabulary, ids, grams, order_of)
        term, paper, weight = _entries(ids, grams, run, scales, vocabulary, idf)
        del grams
        packed = ((term * step + paper).astype(np.uint64) << np.uint64(32)) | weight.astype(np.float32).view(
            np.uint32
        ).astype(np.uint64)
        packed.sort()
        term, paper = np.divmod((packed >> np.uint64(32)).astype(np.int64), step)
        starts = _runs(term)
        counts = np.diff(np.append(starts, term.size))
        slots = filled[term] + np.arange(term.size) - np.repeat(starts, counts)
        docs[slots] = paper + first
        values[slots] = (packed & np.uint64(0xFFFFFFFF)).astype(np.uint32).view(np.float32)
        filled[term[starts]] += counts
    return Tfidf(vocabulary, idf, TermMatrix(indptr, docs, values, n_papers), tuple(surface))


def paper_type(papers: int) -> type[np.unsignedinteger[Any]] | type[np.signedinteger[Any]]:
    """The integer type of a paper's position: two bytes up to 65,536 papers (half the postings'
    memory at 50,000), else four."""
    return np.uint16 if papers <= 1 << 16 else np.int32


def _average_lengths(lengths: np.ndarray, fields: int) -> list[float]:
    """Each field's mean length over the papers (1 for a field that is always empty)."""
    means = lengths.reshape(-1, fields).mean(axis=0) if lengths.size else np.zeros(fields)
    return [float(m) if m > 0 else 1.0 for m in means]


def _kept_in(
    vocabulary: Vocabulary, ids: np.ndarray, field_doc: np.ndarray
) -> list[tuple[int, np.ndarray, np.ndarray]]:
    """Per order n of a run of word ids: where its kept n-grams start (inside one field) and their terms."""
    out = []
    low, high = vocabulary.orders
    for n in range(max(low, 2), high + 1):
        found = vocabulary.ngram_ids(ids, n)
        at = np.flatnonzero((found >= 0) & _valid_windows(field_doc, n))
        out.append((n, at, found[at]))
    return out


def _record_parts(
    vocabulary: Vocabulary, ids: np.ndarray, grams: Sequence[tuple[int, np.ndarray, np.ndarray]], order_of: np.ndarray
) -> None:
    """Fill in the words of the kept n-grams met in a chunk: their codes alone cannot be read back."""
    words = len(vocabulary.words)
    for n, at, term in grams:
        mine = order_of[term - words] == n
        row, start = term[mine] - words, at[mine]
        for k in range(n):
            vocabulary.parts[row, k] = ids[start + k]


def _kept_ngrams(seen: dict[int, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The n-grams kept (codes ascending), the number of papers each is in, and each one's order.

    `seen` holds, per order, every paper's n-grams' codes (each once per paper); they are sorted in
    place, and taken out of `seen` (freed) once counted. Those in at least k papers are kept, k the
    smallest that keeps at most `MAX_NGRAMS`. Counted a slice of codes at a time; n-grams in one
    paper only are dropped as soon as there are too many anyway.
    """
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    distinct = 0
    for n in sorted(seen):
        all_codes = seen.pop(n)
        all_codes.sort()
        cuts = np.searchsorted(all_codes, np.arange(_SLICES + 1, dtype=np.uint64) << np.uint64(CODE_BITS - 4))
        for k in range(_SLICES):
            codes = all_codes[cuts[k] : cuts[k + 1]]
            if not codes.size:
                continue
            starts = _runs(codes)
            df = np.diff(np.append(starts, codes.size))
            codes = codes[starts]
            del starts
            distinct += codes.size
            if distinct > MAX_NGRAMS:
                codes, df = codes[df > 1], df[df > 1]
            found.append((codes, df, np.full(codes.size, n, dtype=np.int8)))
        del all_codes, codes
    if not found:
        return np.zeros(0, np.uint64), np.zeros(0, np.int64), np.zeros(0, np.int8)
    codes, df, order_of = (np.concatenate(x) for x in zip(*found, strict=True))
    del found
    if distinct > MAX_NGRAMS:
        at_least = np.append(np.cumsum(np.bincount(df)[::-1])[::-1], 0)  # [k]: n-grams in k papers or more
        keep = df >= max(int(np.argmax(at_least <= MAX_NGRAMS)), 2)
        codes, df, order_of = codes[keep], df[keep], order_of[keep]
    order = np.argsort(codes, kind="stable")
    return codes[order], df[order], order_of[order]


def bm25_idf(df: np.ndarray, papers: int | np.ndarray) -> np.ndarray:
    """BM25's IDF, ln(1 + (n - df + 0.5) / (df + 0.5)), in float32 as the postings hold it."""
    n = np.maximum(papers, 1)  # one count, or one per row of `df`
    return np.asarray(np.log1p((n - df + 0.5) / (df + 0.5)), dtype=np.float32)


def unknown_idf(papers: int) -> float:
    """The IDF of a word no paper uses."""
    return float(np.log1p((max(papers, 1) + 0.5) / 0.5))


def idf_of(df: np.ndarray, papers: int) -> np.ndarray:
    """scikit-learn's smoothed IDF: ln((1 + papers) / (1 + df)) + 1."""
    return np.log((1 + papers) / (1 + df)) + 1
