"""Corpus YAML files in, a validated `Corpus` out: one file per lab member, loaded together.

A broken file reports all of its errors at once, each naming the file, the paper and the field
(the fields are in bot/core/schema.py). A paper in several members' files is one paper.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, cast

from bot.core.models import SHARED_FIELDS, Corpus, Paper, Profile, interned
from bot.core.names import is_spelling_of
from bot.core.schema import PAPER_FIELDS, PROFILE_FIELDS, TOP_FIELDS, Field, FieldError
from bot.core.text import fold, tokens
from bot.errors import CorpusError, got, marked, quoted
from bot.files import CORPUS_MAX_BYTES
from bot.yamlfile import Whole, stream_mapping

PAPER_KEYS = tuple(f.name for f in PAPER_FIELDS)
PROFILE_KEYS = tuple(f.name for f in PROFILE_FIELDS)
MAX_ERRORS_SHOWN = 50


class _Errors:
    """Every problem of one load, each a line naming the file, the place and the field."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, line: str) -> None:
        self.lines.append(line)

    def raise_any(self) -> None:
        if not self.lines:
            return
        shown = self.lines[:MAX_ERRORS_SHOWN]
        if len(self.lines) > len(shown):
            shown.append(f"... and {len(self.lines) - len(shown)} more errors")
        raise CorpusError("\n".join(shown))


def _quote(title: str) -> str:
    return marked('"' + (title if len(title) <= 60 else title[:57] + "...") + '"')


def _checked(fields: Sequence[Field], data: dict[Any, Any], where: str, errors: _Errors) -> dict[str, Any] | None:
    """The fields' checked values, or None (with every problem added to `errors`)."""
    allowed = [f.name for f in fields]
    ok = True
    for key in data:
        if key not in allowed:
            errors.add(f"{where}: unknown key {quoted(key)} (allowed: {', '.join(allowed)})")
            ok = False
    values: dict[str, Any] = {}
    for field in fields:
        value = data.get(field.name)
        if value is None:
            if field.required:
                required = ", ".join(f.name for f in fields if f.required)
                errors.add(f"{where}: {field.name}: missing (required: {required})")
                ok = False
            continue
        try:
            values[field.name] = field.check(value)
        except FieldError as err:
            errors.add(f"{where}: {field.name}: {err}")
            ok = False
    return values if ok else None


def _profile(data: object, source: str, errors: _Errors) -> Profile | None:
    where = f"{source}: profile"
    if not isinstance(data, dict):
        errors.add(f"{where}: expected a mapping with at least a name, got {got(data)}")
        return None
    values = _checked(PROFILE_FIELDS, data, where, errors)
    if values is None:
        return None
    year, taken = values.get("year"), values.get("taken")
    if year is not None and not 1900 <= year <= 2100:
        errors.add(f"{where}: year: expected the year the profile was taken (1900-2100), got {year}")
        return None
    if taken is not None and year is not None and taken.year != year:
        errors.add(f"{where}: taken: {taken.isoformat()} is not in year {year} (the profile's year)")
        return None
    return Profile(**values)


def _paper(data: object, source: str, index: int, errors: _Errors) -> Paper | None:
    where = f"{source}: paper {index}"
    if not isinstance(data, dict):
        errors.add(f"{where}: expected a mapping of fields ({', '.join(PAPER_KEYS)}), got {got(data)}")
        return None
    title = data.get("title")
    if isinstance(title, str) and title.strip():
        where = f"{where} ({_quote(' '.join(title.split()))})"
    values = _checked(PAPER_FIELDS, data, where, errors)
    if values is None:
        return None
    values["date"], values["date_precision"] = values["date"]
    return Paper(**{k: interned(v) if k in SHARED_FIELDS else v for k, v in values.items()})


@dataclass(frozen=True)
class _Placed:
    """A paper with where it was read, for errors that name two places."""

    paper: Paper
    source: str
    index: int

    def describe(self) -> str:
        return f"paper {self.index} ({_quote(self.paper.title)}) of {self.source}"


@dataclass(frozen=True)
class CorpusFile:
    """One corpus file, validated: its member, its papers in file order, and how it was built."""

    source: str
    profile: Profile
    papers: tuple[_Placed, ...]
    built_from: dict[str, Any] | None


@dataclass
class _Streamed:
    """The papers of a file read as a stream: validated one by one as the file was read."""

    placed: list[_Placed]
    errors: _Errors


def read_corpus_data(data: object, source: str, streamed: _Streamed | None = None) -> CorpusFile:
    """Validate one file's parsed YAML; a CorpusError lists every problem found.

    `streamed`: the papers, already validated as they were read (`data["papers"]` is then it).
    """
    errors = _Errors()
    expected = "a mapping with the keys profile and papers"
    if not isinstance(data, dict):
        raise CorpusError(f"{source}: expected {expected} at the top level, got {got(data)}")
    top = _checked(TOP_FIELDS, data, source, errors)
    errors.raise_any()
    assert top is not None
    profile = _profile(top["profile"], source, errors)
    papers = top["papers"]
    placed: list[_Placed] = []
    if streamed is not None and papers is streamed:
        placed = streamed.placed
        errors.lines.extend(streamed.errors.lines)
    elif not isinstance(papers, list) or not papers:
        errors.add(f"{source}: papers: expected a non-empty list of papers, got {got(papers)}")
    else:
        for i, item in enumerate(papers, 1):
            paper = _paper(item, source, i, errors)
            if paper is not None:
                placed.append(_Placed(paper, source, i))
    _check_unique(placed, errors)
    errors.raise_any()
    assert profile is not None
    return CorpusFile(source, profile, tuple(placed), top.get("built_from"))


def _check_unique(placed: Sequence[_Placed], errors: _Errors) -> None:
    """Ids unique, and no paper twice in one file (the same arXiv id or DOI)."""
    ids: dict[str, _Placed] = {}
    same: dict[str, _Placed] = {}
    for item in placed:
        first = ids.setdefault(item.paper.id, item)
        if first is not item:
            errors.add(
                f"{item.source}: paper {item.index} ({_quote(item.paper.title)}): id: duplicate id "
                f"{quoted(item.paper.id)}, already used by {first.describe()}"
            )
        for name, key in (("arxiv", _arxiv_key(item.paper)), ("doi", item.paper.doi)):
            if key:
                first = same.setdefault(f"{name}:{key}", item)
                if first is not item:
                    errors.add(
                        f"{item.source}: paper {item.index} ({_quote(item.paper.title)}): {name}: "
                        f"{quoted(key)} is already {first.describe()} (the same paper twice?)"
                    )


def _arxiv_key(paper: Paper) -> str | None:
    return re.sub(r"v\d+\Z", "", paper.arxiv) if paper.arxiv else None


def same_paper_keys(paper: Paper) -> tuple[str, ...]:
    """What identifies a paper across files and sources: its DOI, its arXiv id, its title's words."""
    keys = [f"doi:{paper.doi}"] if paper.doi else []
    if arxiv := _arxiv_key(paper):
        keys.append(f"arxiv:{arxiv}")
    keys.append("title:" + " ".join(tokens(paper.title)))
    return tuple(keys)


def _newest_first(papers: Sequence[Paper]) -> tuple[Paper, ...]:
    # A stable sort: papers of the same day keep the order of their files.
    return tuple(sorted(papers, key=lambda p: p.date, reverse=True))


def with_members(
    papers: Sequence[Paper], members: Sequence[Profile], claimed: dict[str, set[str]] | None = None
) -> tuple[Paper, ...]:
    """Each paper with its members: those among its authors, however the source spelled their names,
    and those whose own file lists it (`claimed`, by paper id)."""
    spellings = [(m.name, (m.name, *m.aliases)) for m in members]
    claimed = claimed or {}
    shared: dict[object, object] = {}  # one tuple of members, and one date, for all the papers that have it

    def whose(p: Paper) -> tuple[str, ...]:
        own = claimed.get(p.id, set())
        found = tuple(n for n, names in spellings if n in own or any(is_spelling_of(a, names) for a in p.authors))
        return cast(tuple[str, ...], shared.setdefault(found, found))

    return tuple(replace(p, members=whose(p), date=cast(dt.date, shared.setdefault(p.date, p.date))) for p in papers)


def validate_corpus_data(data: object, source: str) -> Corpus:
    """Validate one file's parsed YAML (as `yaml.safe_load` returns it) into a `Corpus`."""
    file = read_corpus_data(data, source)
    papers = [p.paper for p in file.papers]
    return Corpus(members=(file.profile,), papers=with_members(_newest_first(papers), [file.profile]),
                  sources=(source,))  # fmt: skip


def read_corpus_file(path: Path) -> CorpusFile:
    """Read and validate one corpus file, a paper at a time: the file's papers are never all held
    as parsed YAML at once (at 50,000 papers that was most of a gigabyte)."""
    source = str(path)
    top: dict[object, object] = {}
    streamed: _Streamed | None = None
    expected = "a corpus: a mapping with the keys profile and papers"
    try:
        for key, value in stream_mapping(path, expected, CorpusError, "papers", CORPUS_MAX_BYTES):
            if isinstance(value, Iterator):
                streamed = _Streamed([], _Errors())
                count = 0
                for count, item in enumerate(value, 1):
                    paper = _paper(item, source, count, streamed.errors)
                    if paper is not None:
                        streamed.placed.append(_Placed(paper, source, count))
                top[key] = streamed if count else []
            else:
                top[key] = value
    except Whole as whole:  # not a mapping, or one the stream does not handle
        return read_corpus_data(whole.data, source)
    return read_corpus_data(top, source, streamed)


def load_corpus(paths: Sequence[Path], lab: str = "") -> Corpus:
    """Load the members' corpus files together: a shared paper once, ids unique, newest first."""
    if not paths:
        raise CorpusError("no corpus file given (expected at least one YAML file written by `python -m bot ingest`)")
    seen: dict[Path, Path] = {}
    files: list[CorpusFile] = []
    for path in paths:
        key = path.resolve()
        if key in seen:
            raise CorpusError(f"{path}: listed twice among the corpus files (also as {seen[key]})")
        seen[key] = path
        files.append(read_corpus_file(path))
    members: dict[str, Profile] = {}
    for file in files:
        # Two files about one person (their BibTeX and their OpenAlex, say) make one member.
        members.setdefault(" ".join(fold(file.profile.name).split()), file.profile)
    errors = _Errors()
    kept: list[_Placed] = []
    by_key: dict[str, _Placed] = {}
    by_id: dict[str, _Placed] = {}
    claimed: dict[str, set[str]] = {}  # paper id -> members whose files list it
    for file, placed in ((f, p) for f in files for p in f.papers):
        owner = members[" ".join(fold(file.profile.name).split())].name
        keys = same_paper_keys(placed.paper)
        if first_kept := next((by_key[k] for k in keys if k in by_key), None):
            # A paper two members share: the first file's version is kept, and it is both members'.
            claimed[first_kept.paper.id].add(owner)
            continue
        first = by_id.setdefault(placed.paper.id, placed)
        if first is not placed:
            errors.add(
                f"{placed.source}: paper {placed.index} ({_quote(placed.paper.title)}): id: {quoted(placed.paper.id)} "
                f"is also {first.describe()}, a different paper (ids must be unique across the corpus files)"
            )
            continue
        for k in keys:
            by_key[k] = placed
        claimed[placed.paper.id] = {owner}
        kept.append(placed)
    errors.raise_any()
    profiles = tuple(members.values())
    papers = with_members(_newest_first([p.paper for p in kept]), profiles, claimed)
    return Corpus(members=profiles, papers=papers, sources=tuple(str(p) for p in paths), lab=lab)
