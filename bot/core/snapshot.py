"""A built corpus and index saved in the data folder, and read back only if nothing they came from changed.

At 50,000 papers, reading the corpus YAML and building the index take most of a minute; read
back from here, the bot answers within seconds of a restart. The file is keyed by a hash of
every corpus file's bytes, the glossary's, the lab's name, the retrieval settings and this
format's version, and holds a digest of its own contents: a file from other inputs, or damaged,
is rebuilt and replaced, never used. Nothing here is required: with no data folder, or one that
cannot be written, the bot builds everything each time, as it always did.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from bot.core.models import Corpus, Paper, Profile
from bot.core.search import Index
from bot.core.spelling import Spelling
from bot.core.tfidf import MAX_NGRAMS, TermMatrix, Tfidf, Vocabulary
from bot.settings import Settings

log = logging.getLogger(__name__)

FORMAT = "paperbot-index-4"  # change it whenever what is saved, or how it is built, changes
_DATES = {"date", "missing_since", "taken"}  # the fields that hold a date


def _hash_files(digest: Any, paths: Iterable[Path | None]) -> None:
    for path in paths:
        digest.update(str(path).encode() + b"\0")
        if path is None:
            continue
        try:
            with path.open("rb") as stream:
                while chunk := stream.read(1 << 20):
                    digest.update(chunk)
        except OSError:
            digest.update(b"unreadable")  # the normal load then reports the problem
        digest.update(b"\0")


def snapshot_key(settings: Settings) -> str:
    """The hash of everything a built corpus and index depend on."""
    digest = hashlib.sha256(f"{FORMAT}\0{MAX_NGRAMS}\0{settings.lab.name}\0{settings.retrieval!r}\0".encode())
    _hash_files(digest, [*settings.corpus, settings.glossary])
    return digest.hexdigest()


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def _record(item: Paper | Profile) -> list[Any]:
    """An item's field values in order, as JSON holds them (dates as text, tuples as lists)."""
    return [_plain(getattr(item, f.name)) for f in dataclasses.fields(item)]


def _date(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def _tuple(value: list[Any]) -> tuple[Any, ...]:
    return tuple(tuple(v) if isinstance(v, list) else v for v in value)


def _reader(cls: type[Any]) -> Any:
    """A function from a `_record` list back to the item: one converter per field, chosen once."""
    converters = [
        _date if f.name in _DATES else _tuple if str(f.type).startswith("tuple") else None
        for f in dataclasses.fields(cls)
    ]

    def read(values: list[Any]) -> Any:
        if len(values) != len(converters):
            raise _Damaged(f"a {cls.__name__} of {len(values)} fields, not {len(converters)}")
        return cls(*[v if c is None else c(v) for c, v in zip(converters, values, strict=True)])

    return read


def _text(value: str) -> np.ndarray:
    return np.frombuffer(value.encode("utf-8"), dtype=np.uint8)


def _read_text(array: np.ndarray) -> str:
    return bytes(array).decode("utf-8")


def _arrays(index: Index) -> dict[str, np.ndarray]:
    tfidf, spelling = index.tfidf, index.spelling
    return {
        "words": _text("\n".join(tfidf.vocabulary.words)),
        "surface": _text("\n".join(tfidf.surface)),
        "codes": tfidf.vocabulary.codes,
        "parts": tfidf.vocabulary.parts,
        "orders": np.array(tfidf.vocabulary.orders, dtype=np.int64),
        "idf": tfidf.idf,
        "indptr": tfidf.matrix.indptr,
        "docs": tfidf.matrix.docs,
        "weights": tfidf.matrix.weights,
        "spelling_words": _text("\n".join(spelling.words)),
        "spelling_orders": np.array(spelling.orders, dtype=np.int64),
        "grams": spelling.grams,
        "gram_idf": spelling.idf,
        "gram_indptr": spelling.indptr,
        "gram_words": spelling.word_of,
        "gram_weights": spelling.weight,
    }


def _digest(arrays: dict[str, np.ndarray]) -> np.ndarray:
    digest = hashlib.sha256()
    for name in sorted(arrays):
        digest.update(name.encode() + str(arrays[name].dtype).encode() + str(arrays[name].shape).encode())
        digest.update(np.ascontiguousarray(arrays[name]).data)
    return np.frombuffer(digest.digest(), dtype=np.uint8)


class _Damaged(Exception):
    """The file does not hold what it says it holds."""


def _lines(text: str) -> list[str]:
    return text.split("\n") if text else []


def _check(ok: bool, what: str) -> None:
    if not ok:
        raise _Damaged(what)


class Snapshot:
    """The saved corpus and index of one configuration, in `folder`."""

    def __init__(self, folder: Path, key: str, settings: Settings) -> None:
        self.folder = folder
        self.key = key
        self.settings = settings
        # One file per configuration (its corpus files): a new one replaces the old.
        self.prefix = "index-" + hashlib.sha256("\0".join(map(str, settings.corpus)).encode()).hexdigest()[:12]
        self.path = folder / f"{self.prefix}-{key[:32]}.npz"  # the index, and the digest of the papers
        self.papers_path = self.path.with_suffix(".jsonl")  # the corpus, a JSON line per paper

    @classmethod
    def of(cls, settings: Settings) -> Snapshot | None:
        """The snapshot for these settings, or None when the bot keeps no data folder."""
        if settings.data_dir is None:
            return None
        return cls(settings.data_dir / "cache", snapshot_key(settings), settings)

    def load(self) -> tuple[Corpus, Tfidf, Spelling] | None:
        """The saved corpus and index parts, or None when there is none, or it is stale or damaged."""
        if not self.path.is_file():
            return None
        try:
            with np.load(self.path, allow_pickle=False) as saved:
                _check(_read_text(saved["key"]) == self.key, "made from other files or settings")
                arrays = {name: saved[name] for name in saved.files if name not in ("key", "digest")}
                _check(bytes(saved["digest"]) == bytes(_digest(arrays)), "its contents do not match their digest")
            return self._parts(arrays)
        except Exception as err:  # a damaged file can fail in any way: it is rebuilt, not trusted
            log.warning("not using the saved index %s (%s); building it again", self.path, err)
            return None

    def _corpus(self, digest: bytes, count: int) -> Corpus:
        """The papers, a line each: never the whole corpus as one JSON text (80 MB at 50,000 papers)."""
        paper, profile = _reader(Paper), _reader(Profile)
        check = hashlib.sha256()
        papers: list[Paper] = []
        with self.papers_path.open("rb") as stream:
            head = stream.readline()
            check.update(head)
            top = json.loads(head)
            for line in stream:
                check.update(line)
                papers.append(paper(json.loads(line)))
        _check(check.digest() == digest and len(papers) == count, "the papers do not match their digest")
        return Corpus(tuple(map(profile, top["members"])), tuple(papers), tuple(top["sources"]), top["lab"])

    def _write_corpus(self, corpus: Corpus) -> tuple[str, bytes]:
        """Write the papers a line each to a new file in the folder: its name and its digest."""
        check = hashlib.sha256()
        handle, temporary = tempfile.mkstemp(prefix=".saving-", suffix=".jsonl", dir=self.folder)
        with os.fdopen(handle, "wb") as stream:
            top = {"members": [_record(m) for m in corpus.members], "sources": list(corpus.sources), "lab": corpus.lab}
            for record in (top, *map(_record, corpus.papers)):
                line = json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n"
                check.update(line)
                stream.write(line)
        return temporary, check.digest()

    def _parts(self, a: dict[str, np.ndarray]) -> tuple[Corpus, Tfidf, Spelling]:
        corpus = self._corpus(bytes(a["papers_digest"]), int(a["papers"][0]))
        words = _lines(_read_text(a["words"]))
        orders = (int(a["orders"][0]), int(a["orders"][1]))
        vocabulary = Vocabulary(words, a["codes"], a["parts"], orders)
        terms = len(vocabulary)
        n = len(corpus.papers)
        indptr, docs = a["indptr"], a["docs"]
        _check(a["idf"].shape == (terms,) and indptr.shape == (terms + 1,), "the vocabulary and matrix differ")
        _check(indptr[0] == 0 and bool(np.all(np.diff(indptr) >= 0)) and indptr[-1] == docs.size, "bad postings")
        _check(docs.size == a["weights"].size and (not docs.size or 0 <= docs.min() <= docs.max() < n), "bad papers")
        spelling_words = tuple(_lines(_read_text(a["spelling_words"])))
        grams, gram_indptr, gram_words = a["grams"], a["gram_indptr"], a["gram_words"]
        _check(gram_indptr.shape == (grams.size + 1,) and gram_indptr[-1] == gram_words.size, "bad n-grams")
        _check(not gram_words.size or 0 <= gram_words.min() <= gram_words.max() < len(spelling_words), "bad words")
        spelling = Spelling(
            spelling_words,
            (int(a["spelling_orders"][0]), int(a["spelling_orders"][1])),
            grams, a["gram_idf"], gram_indptr, gram_words, a["gram_weights"],
        )  # fmt: skip
        surface = tuple(_lines(_read_text(a["surface"])))
        matrix = TermMatrix(indptr, docs, a["weights"], n)
        return corpus, Tfidf(vocabulary, a["idf"], matrix, surface), spelling

    def save(self, corpus: Corpus, index: Index) -> None:
        """Write the corpus and index for the next start; a folder that cannot be written is only logged."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            papers, digest = self._write_corpus(corpus)
            arrays = _arrays(index)
            arrays["papers"] = np.array([len(corpus.papers)], dtype=np.int64)
            arrays["papers_digest"] = np.frombuffer(digest, dtype=np.uint8)
            arrays["digest"] = _digest(arrays)
            arrays["key"] = _text(self.key)
            handle, temporary = tempfile.mkstemp(prefix=".saving-", suffix=".npz", dir=self.folder)
            try:
                with os.fdopen(handle, "wb") as stream:
                    np.savez(stream, **arrays)  # type: ignore[arg-type]  # names, not allow_pickle
                # A reader sees the old files or the new, never half of one.
                os.replace(papers, self.papers_path)
                os.replace(temporary, self.path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                Path(papers).unlink(missing_ok=True)
                raise
            for old in [*self.folder.glob(f"{self.prefix}-*.npz"), *self.folder.glob(f"{self.prefix}-*.jsonl")]:
                if old not in (self.path, self.papers_path):
                    old.unlink(missing_ok=True)
        except OSError as err:
            log.warning("could not save the index in %s (%s); it will be built again at the next start",
                        self.folder, err)  # fmt: skip
