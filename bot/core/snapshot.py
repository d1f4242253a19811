"""A built corpus, index and tables saved in the data folder, read back only if nothing they came from changed.

At 50,000 papers, reading the corpus YAML and building the index take most of a minute; read
back from here, the bot answers within two seconds of a restart. Two files: the index's arrays
(.npz) and the papers with the tables drawn from them (.papers, bot/core/saved_papers.py). The
index file is keyed by a hash of every corpus file's bytes, the glossary's, the lab's name, the
retrieval settings and this format's version, and holds a digest of its own contents and of the
papers file: files from other inputs, or damaged, are rebuilt and replaced, never used. Nothing
here is required: with no data folder, or one that cannot be written, the bot builds everything
each time, as it always did.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import marshal
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from bot.core.models import Corpus
from bot.core.prepared import PaperTables, Prepared
from bot.core.saved_papers import read_papers, write_papers
from bot.core.spelling import Spelling
from bot.core.tfidf import MAX_NGRAMS, TermMatrix, Tfidf, Vocabulary
from bot.files import hashed, replacing
from bot.settings import Settings

log = logging.getLogger(__name__)

FORMAT = "paperbot-index-7"  # change it whenever what is saved, or how it is built, changes
SAVING = ".saving-"  # how the files of a save under way begin
ABANDONED_AFTER_S = 3600  # a half-written file this old is no running save's: it is removed


def _file_digest(path: Path) -> bytes:
    digest = hashlib.sha256()
    _hash_files(digest, [path], name=False)
    return digest.digest()


def _hash_files(digest: Any, paths: Iterable[Path | None], name: bool = True) -> None:
    for path in paths:
        if name:
            digest.update(str(path).encode() + b"\0")
        if path is None:
            continue
        try:
            hashed(path, digest)
        except OSError:
            digest.update(b"unreadable")  # the normal load then reports the problem
        digest.update(b"\0")


def _code() -> list[Path]:
    """The files whose code and data decide what is built: the core (reading, tokens, stems,
    weights, tables) and the YAML reader. An upgrade that changes any of them, even without
    changing FORMAT, must not answer from an index the old code built."""
    package = Path(__file__).resolve().parent.parent
    return sorted([*(package / "core").rglob("*.py"), *(package / "core" / "data").iterdir(), package / "yamlfile.py"])


def snapshot_key(settings: Settings) -> str:
    """The hash of everything a built corpus and index depend on."""
    versions = f"{FORMAT}\0{marshal.version}\0{sys.version_info[:2]}\0{MAX_NGRAMS}"
    digest = hashlib.sha256(f"{versions}\0{settings.lab.name}\0{settings.retrieval!r}\0".encode())
    _hash_files(digest, [*settings.corpus, settings.glossary])
    _hash_files(digest, _code(), name=False)  # where the bot is installed does not matter, what it runs does
    return digest.hexdigest()


def _text(value: str) -> np.ndarray:
    return np.frombuffer(value.encode("utf-8"), dtype=np.uint8)


def _read_text(array: np.ndarray) -> str:
    return bytes(array).decode("utf-8")


def _arrays(tfidf: Tfidf, spelling: Spelling) -> dict[str, np.ndarray]:
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
    """The saved corpus, index and tables of one configuration, in `folder`."""

    def __init__(self, folder: Path, key: str, settings: Settings) -> None:
        self.folder = folder
        self.key = key
        self.settings = settings
        # One pair of files per configuration (its corpus files): a new pair replaces the old.
        self.prefix = "index-" + hashlib.sha256("\0".join(map(str, settings.corpus)).encode()).hexdigest()[:12]
        self.path = folder / f"{self.prefix}-{key[:32]}.npz"  # the index, and the digest of the papers file
        self.papers_path = self.path.with_suffix(".papers")  # the corpus and tables, in marshal blocks

    @classmethod
    def of(cls, settings: Settings) -> Snapshot | None:
        """The snapshot for these settings, or None when the bot keeps no data folder."""
        if settings.data_dir is None:
            return None
        return cls(settings.data_dir / "cache", snapshot_key(settings), settings)

    def load(self) -> tuple[Corpus, Prepared] | None:
        """The saved corpus and what was drawn from it, or None when there is none, or it is stale or damaged."""
        if not self.path.is_file():
            log.debug("no saved index for this corpus in %s: building it from the corpus files", self.folder)
            return None
        try:
            with np.load(self.path, allow_pickle=False) as saved:
                _check(_read_text(saved["key"]) == self.key, "made from other files or settings")
                arrays = {name: saved[name] for name in saved.files if name not in ("key", "digest")}
                _check(bytes(saved["digest"]) == bytes(_digest(arrays)), "its contents do not match their digest")
            papers_digest = bytes(arrays["papers_digest"])
            _check(_file_digest(self.papers_path) == papers_digest, "the papers do not match their digest")
            corpus, tables = read_papers(self.papers_path)
            return corpus, self._prepared(arrays, corpus, tables)
        except Exception as err:  # a damaged file can fail in any way: it is rebuilt, not trusted
            log.warning("not using the saved index %s (%s); building it again from the corpus files", self.path, err)
            return None

    def _prepared(self, a: dict[str, np.ndarray], corpus: Corpus, tables: PaperTables) -> Prepared:
        n = len(corpus.papers)
        _check(int(a["papers"][0]) == n, "a different number of papers")
        words = _lines(_read_text(a["words"]))
        orders = (int(a["orders"][0]), int(a["orders"][1]))
        vocabulary = Vocabulary(words, a["codes"], a["parts"], orders)
        terms = len(vocabulary)
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
        tfidf = Tfidf(vocabulary, a["idf"], matrix, surface)
        return Prepared(tfidf, spelling, tables)

    def save(self, corpus: Corpus, prepared: Prepared) -> None:
        """Write the corpus, index and tables for the next start; a folder that cannot be written is only logged."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # A reader sees the old pair or the new (the index names its papers by digest), never half.
            with replacing(self.papers_path, self.path, prefix=SAVING) as (papers, index):
                write_papers(papers, corpus, prepared)
                arrays = _arrays(prepared.tfidf, prepared.spelling)
                arrays["papers"] = np.array([len(corpus.papers)], dtype=np.int64)
                arrays["papers_digest"] = np.frombuffer(_file_digest(papers), dtype=np.uint8)
                arrays["digest"] = _digest(arrays)
                arrays["key"] = _text(self.key)
                with index.open("wb") as stream:
                    np.savez(stream, **arrays)  # type: ignore[arg-type]  # names, not allow_pickle
            for old in self.folder.glob(f"{self.prefix}-*"):
                if old not in (self.path, self.papers_path):
                    old.unlink(missing_ok=True)
            for left in self.folder.glob(f"{SAVING}*"):  # a save killed halfway; a recent one may be another's
                with contextlib.suppress(OSError):  # gone already: another process cleaned it
                    if time.time() - left.stat().st_mtime > ABANDONED_AFTER_S:
                        left.unlink()
        except OSError as err:
            log.warning("could not save the index in %s (%s); it will be built again at the next start",
                        self.folder, err)  # fmt: skip
