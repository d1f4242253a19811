"""The corpus and the tables drawn from it, written to one file for the next start and read back fast.

The file is a run of blocks, each an 8-byte length and a `marshal` text: a head (lab, sources,
members, the fields written, the number of papers), the papers a thousand at a time, field by
field, then the tables. marshal reads 50,000 papers in a fraction of a second where JSON took
two, and the papers are written a block at a time, so saving never holds a second copy of the
corpus. marshal is not made for untrusted bytes, and its format may change with Python's version:
the snapshot's key includes that version, and the snapshot checks the whole file against the
digest it recorded before this module reads a byte of it.

Names, venues and other repeated strings are interned before they are written; marshal keeps
that, so every paper of one author shares one string again after a restart.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import marshal
import struct
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from bot.core.glossary import Glossary
from bot.core.intents import ReaderTables
from bot.core.models import SHARED_FIELDS, Corpus, Paper, Profile, interned
from bot.core.prepared import PaperTables, Prepared

BLOCK = 1000  # papers a block: small enough that writing never holds much, large enough to read fast
_LENGTH = struct.Struct("<Q")


class DamagedFile(Exception):
    """The file does not hold what it should."""


def _fields(cls: type[Any]) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _columns(items: Sequence[Paper | Profile], cls: type[Any]) -> tuple[tuple[Any, ...], ...]:
    """The items' values field by field (a column each): dates as day numbers, repeated text interned."""
    out = []
    for name in _fields(cls):
        column = tuple(getattr(item, name) for item in items)
        if name in SHARED_FIELDS:  # interned: marshal then writes each once a block, and reads it back shared
            column = tuple(map(interned, column))
        elif any(isinstance(v, dt.date) for v in column):
            column = tuple(v if v is None else v.toordinal() for v in column)
        out.append(column)
    return tuple(out)


def _builder(cls: type[Any]) -> Callable[..., Any]:
    """A function that makes an item of a frozen slots dataclass from its field values in order.

    What the dataclass' own __init__ does, without its per-field `object.__setattr__` lookups:
    50,000 papers in half the time. Only for values that came from such an item (no defaults).
    """
    count = len(dataclasses.fields(cls))
    values = ", ".join(f"v{i}" for i in range(count))
    setters = ", ".join(f"set{i}=cls.{f.name}.__set__" for i, f in enumerate(dataclasses.fields(cls)))
    body = "".join(f"    set{i}(item, v{i})\n" for i in range(count))
    head = f"def build({values}, *, new=object.__new__, cls=cls, {setters}):\n    item = new(cls)\n"
    scope: dict[str, Any] = {"cls": cls}
    exec(f"{head}{body}    return item\n", scope)  # code made from the dataclass' own field names only
    build: Callable[..., Any] = scope["build"]
    return build


class _Rows:
    """Items of one dataclass back from their columns, block after block."""

    def __init__(self, cls: type[Any]) -> None:
        self.cls = cls
        self.count = len(dataclasses.fields(cls))
        self.dates = [i for i, f in enumerate(dataclasses.fields(cls)) if "date" in str(f.type)]
        self.days: dict[int, dt.date] = {}  # one date object per distinct day
        self.build = _builder(cls) if hasattr(cls, "__slots__") else cls

    def items(self, columns: Any) -> Iterator[Any]:
        if not isinstance(columns, tuple) or len(columns) != self.count:
            raise DamagedFile(f"not the {self.count} fields of a {self.cls.__name__}")
        if len({len(c) for c in columns}) > 1:
            raise DamagedFile(f"columns of different lengths for a {self.cls.__name__}")
        columns = list(columns)
        for i in self.dates:
            days = self.days
            for day in set(columns[i]) - days.keys() - {None}:
                days[day] = dt.date.fromordinal(day)
            columns[i] = [None if day is None else days[day] for day in columns[i]]
        return map(self.build, *columns)


def _reader_tables(tables: ReaderTables) -> tuple[Any, ...]:
    return tuple(getattr(tables, name) for name in _fields(ReaderTables))


def write_papers(path: Path, corpus: Corpus, prepared: Prepared) -> None:
    """Write the corpus and the tables drawn from it to `path`, a block at a time."""
    tables = prepared.tables
    with path.open("wb") as stream:
        head = {
            "lab": corpus.lab,
            "sources": corpus.sources,
            "paper_fields": _fields(Paper),
            "profile_fields": _fields(Profile),
            "members": _columns(corpus.members, Profile),
            "papers": len(corpus.papers),
        }
        _write(stream, head)
        for start in range(0, len(corpus.papers), BLOCK):
            _write(stream, _columns(corpus.papers[start : start + BLOCK], Paper))
        _write(stream, (tables.mined.groups, tables.acronyms, tables.coauthors, _reader_tables(tables.reader)))


def _write(stream: BinaryIO, value: Any) -> None:
    data = marshal.dumps(value)
    stream.write(_LENGTH.pack(len(data)))
    stream.write(data)


def _blocks(stream: BinaryIO) -> Iterator[Any]:
    while head := stream.read(_LENGTH.size):
        if len(head) != _LENGTH.size:
            raise DamagedFile("the file ends inside a block's length")
        (size,) = _LENGTH.unpack(head)
        data = stream.read(size)
        if len(data) != size:
            raise DamagedFile("the file ends inside a block")
        yield marshal.loads(data)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a million strings, tuples and papers (no cycles among them)
    are made: its passes over the growing heap cost a third of the reading."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def read_papers(path: Path) -> tuple[Corpus, PaperTables]:
    """The corpus and tables `write_papers` wrote; DamagedFile (or any error) when the file is not that."""
    with _collector_paused(), path.open("rb") as stream:
        blocks = _blocks(stream)
        head = next(blocks)
        if head["paper_fields"] != _fields(Paper) or head["profile_fields"] != _fields(Profile):
            raise DamagedFile("written with other fields")
        members = tuple(_Rows(Profile).items(head["members"]))
        rows = _Rows(Paper)
        papers: list[Paper] = []
        for _ in range(-(-head["papers"] // BLOCK)):
            papers.extend(rows.items(next(blocks)))
        groups, acronyms, coauthors, reader = next(blocks)
        if next(blocks, None) is not None or len(papers) != head["papers"]:
            raise DamagedFile("not the number of blocks written")
    reader_tables = ReaderTables(*reader)
    if len(acronyms) != len(papers) or len(reader_tables.titles) != len(papers):
        raise DamagedFile("tables of another number of papers")
    mined = Glossary.of([" ".join(term) for term in group] for group in groups)
    corpus = Corpus(members, tuple(papers), tuple(head["sources"]), head["lab"])
    return corpus, PaperTables(mined, acronyms, coauthors, reader_tables)
