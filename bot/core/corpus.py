"""Corpus YAML files in, a validated `Corpus` out; each error names the file, the paper and the field."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from bot.core.models import Corpus, Paper, Profile
from bot.core.text import fold
from bot.errors import CorpusError, got, marked, quoted
from bot.files import CORPUS_MAX_BYTES
from bot.yamlfile import read_yaml

# Keys in the order the ingest writes them; the validator accepts no others.
PROFILE_KEYS = ("name", "category", "h_index", "paper_count", "citations", "novelty", "ai_score", "year", "taken")
PAPER_KEYS = (
    "id", "title", "date", "category", "organisation", "authors", "authors_truncated", "abstract",
    "url", "pdf", "code", "venue", "arxiv",
)  # fmt: skip
REQUIRED_PAPER_KEYS = ("id", "title", "date", "category", "authors", "abstract", "url")

_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
# New-style ids (2309.05858) and the old archive/number form (cs.LG/0601001), with an optional version.
_ARXIV = re.compile(r"(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?\Z")
_CATEGORY = re.compile(r"[a-z-]+(?:\.[A-Za-z-]+)?\Z")


T = TypeVar("T")


class FieldError(ValueError):
    """A value is not what its field expects; the message says what was expected and what came."""


def control_character(text: str) -> str | None:
    """The first control character in `text` (line breaks and tabs aside), if any."""
    for ch in text:
        if (ch < " " and ch not in "\n\t\r") or "\x7f" <= ch <= "\x9f":
            return ch
    return None


def text_value(value: object, *, allow_empty: bool = False) -> str:
    """A string, stripped, without control characters; empty only when allowed."""
    if not isinstance(value, str):
        raise FieldError(f"expected text, got {got(value)}")
    text = value.strip()
    if not text and not allow_empty:
        raise FieldError("expected non-empty text, got an empty string")
    if (ch := control_character(text)) is not None:
        # An escape sequence in a title would clear or retitle the terminal that prints it.
        raise FieldError(f"expected printable text, got the control character U+{ord(ch):04X} at {text.index(ch) + 1}")
    return text


def date_value(value: object) -> dt.date:
    """A calendar date: YAML's own date, or a string YYYY-MM-DD."""
    if isinstance(value, dt.datetime):
        raise FieldError(f"expected a date YYYY-MM-DD without a time, got {got(value.isoformat())}")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _DATE.match(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise FieldError(f"expected a real date YYYY-MM-DD, got {got(value)} (no such day)") from None
    raise FieldError(f"expected a date YYYY-MM-DD, got {got(value)}")


def url_value(value: object) -> str:
    """An absolute http(s) URL without spaces."""
    text = text_value(value)
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in text):
        raise FieldError(f"expected an http(s) URL such as https://arxiv.org/abs/2207.01332, got {got(value)}")
    return text


def arxiv_value(value: object) -> str:
    """An arXiv identifier such as 2207.01332 (quoted in YAML, or it reads as a number)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise FieldError(f"expected an arXiv id as a quoted string such as '2207.01332', got the number {got(value)}")
    text = text_value(value)
    if not _ARXIV.match(text):
        raise FieldError(f"expected an arXiv id such as 2207.01332, got {got(value)}")
    return text


def names_value(value: object) -> tuple[str, ...]:
    """A non-empty list of non-empty names."""
    if not isinstance(value, list) or not value:
        raise FieldError(f"expected a non-empty list of author names, got {got(value)}")
    names = []
    for i, item in enumerate(value, 1):
        if not isinstance(item, str) or not item.strip():
            raise FieldError(f"expected a list of non-empty names, but item {i} is {got(item)}")
        names.append(" ".join(item.split()))
    return tuple(names)


def count_value(value: object, *, top: int | None = None) -> int:
    """A whole number from 0 (to `top`, when given)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0 or (top is not None and value > top):
        span = f"from 0 to {top}" if top is not None else ">= 0"
        raise FieldError(f"expected a whole number {span}, got {got(value)}")
    return value


def bool_value(value: object) -> bool:
    """true or false."""
    if not isinstance(value, bool):
        raise FieldError(f"expected true or false, got {got(value)}")
    return value


def category_value(value: object) -> str:
    """An arXiv category name such as cs.LG."""
    text = text_value(value)
    if not _CATEGORY.match(text):
        raise FieldError(f"expected an arXiv category such as cs.LG, got {got(value)}")
    return text


def id_value(value: object) -> str:
    """A slug of lower-case letters and digits joined by hyphens."""
    text = text_value(value)
    if not _ID.match(text):
        raise FieldError(
            f"expected a slug of lower-case letters, digits and hyphens (least-control-principle), got {got(value)}"
        )
    return text


def check_keys(where: str, data: dict[Any, Any], allowed: Sequence[str], required: Sequence[str] = ()) -> None:
    """Refuse unknown keys (listing the allowed ones) and missing required keys."""
    for key in data:
        if key not in allowed:
            raise CorpusError(f"{where}: unknown key {quoted(key)} (allowed: {', '.join(allowed)})")
    for key in required:
        if key not in data:
            raise CorpusError(f"{where}: missing {key} (required: {', '.join(required)})")


@dataclass(frozen=True)
class _Placed:
    """A paper with where it was read, for errors that name two places."""

    paper: Paper
    source: str
    index: int

    def describe(self) -> str:
        return f"paper {self.index} ({_quote(self.paper.title)}) of {self.source}"


def _quote(title: str) -> str:
    return marked('"' + (title if len(title) <= 60 else title[:57] + "...") + '"')


def _field(where: str, name: str, value: object, convert: Callable[[object], T]) -> T:
    try:
        return convert(value)
    except FieldError as err:
        raise CorpusError(f"{where}: {name}: {err}") from None


def _profile(data: object, source: str) -> tuple[Profile, int | None]:
    where = f"{source}: profile"
    if not isinstance(data, dict):
        raise CorpusError(f"{where}: expected a mapping with at least a name, got {got(data)}")
    check_keys(where, data, PROFILE_KEYS, ("name",))

    def count(key: str, top: int | None = None) -> int | None:
        if data.get(key) is None:
            return None
        return _field(where, key, data[key], lambda v: count_value(v, top=top))

    year = count("year", 9999)
    if year is not None and not 1900 <= year <= 2100:
        raise CorpusError(f"{where}: year: expected the year the profile was taken (1900-2100), got {year}")
    taken = None if data.get("taken") is None else _field(where, "taken", data["taken"], date_value)
    if taken is not None and year is not None and taken.year != year:
        raise CorpusError(f"{where}: taken: {taken.isoformat()} is not in year {year} (the profile's year)")
    category = data.get("category")
    profile = Profile(
        name=_field(where, "name", data["name"], text_value),
        category="" if category in (None, "") else _field(where, "category", category, category_value),
        h_index=count("h_index"),
        paper_count=count("paper_count"),
        citations=count("citations"),
        novelty=count("novelty", 100),
        ai_score=count("ai_score"),
        taken=taken,
        year=year,
    )
    return profile, year


def _paper(data: object, source: str, index: int) -> Paper:
    where = f"{source}: paper {index}"
    if not isinstance(data, dict):
        raise CorpusError(f"{where}: expected a mapping of fields ({', '.join(PAPER_KEYS)}), got {got(data)}")
    title = data.get("title")
    if isinstance(title, str) and title.strip():
        where = f"{where} ({_quote(' '.join(title.split()))})"
    check_keys(where, data, PAPER_KEYS, REQUIRED_PAPER_KEYS)

    def optional(key: str, convert: Callable[[object], T]) -> T | None:
        return None if data.get(key) is None else _field(where, key, data[key], convert)

    return Paper(
        id=_field(where, "id", data["id"], id_value),
        title=" ".join(_field(where, "title", data["title"], text_value).split()),
        date=_field(where, "date", data["date"], date_value),
        category=_field(where, "category", data["category"], category_value),
        organisation=optional("organisation", lambda v: text_value(v, allow_empty=True)) or "",
        authors=_field(where, "authors", data["authors"], names_value),
        authors_truncated=bool(optional("authors_truncated", bool_value)),
        abstract=_field(where, "abstract", data["abstract"], text_value),
        url=_field(where, "url", data["url"], url_value),
        pdf=optional("pdf", url_value),
        code=optional("code", url_value),
        venue=optional("venue", text_value),
        arxiv=optional("arxiv", arxiv_value),
    )


def _read(data: object, source: str) -> tuple[Profile, int | None, list[_Placed]]:
    """The profile, its year and the papers of one file's parsed YAML, each paper with its place."""
    expected = "a mapping with the keys profile and papers"
    if not isinstance(data, dict):
        raise CorpusError(f"{source}: expected {expected} at the top level, got {got(data)}")
    check_keys(source, data, ("profile", "papers"), ("profile", "papers"))
    profile, year = _profile(data["profile"], source)
    papers = data["papers"]
    if not isinstance(papers, list) or not papers:
        raise CorpusError(f"{source}: papers: expected a non-empty list of papers, got {got(papers)}")
    return profile, year, [_Placed(_paper(item, source, i), source, i) for i, item in enumerate(papers, 1)]


def _check_unique(placed: Sequence[_Placed]) -> None:
    ids: dict[str, _Placed] = {}
    arxiv: dict[str, _Placed] = {}
    for item in placed:
        first = ids.setdefault(item.paper.id, item)
        if first is not item:
            raise CorpusError(
                f"{item.source}: paper {item.index} ({_quote(item.paper.title)}): id: duplicate id "
                f"{quoted(item.paper.id)}, already used by {first.describe()}"
            )
        if item.paper.arxiv:
            first = arxiv.setdefault(re.sub(r"v\d+\Z", "", item.paper.arxiv), item)
            if first is not item:
                raise CorpusError(
                    f"{item.source}: paper {item.index} ({_quote(item.paper.title)}): arxiv: "
                    f"{item.paper.arxiv} is already {first.describe()} (the same paper twice?)"
                )


def _newest_first(placed: Sequence[_Placed]) -> tuple[Paper, ...]:
    # A stable sort: papers of the same day keep the order of their files.
    return tuple(p.paper for p in sorted(placed, key=lambda p: p.paper.date, reverse=True))


def validate_corpus_data(data: object, source: str) -> Corpus:
    """Validate one file's parsed YAML (as `yaml.safe_load` returns it) into a `Corpus`."""
    profile, _, placed = _read(data, source)
    _check_unique(placed)
    return Corpus(profile=profile, papers=_newest_first(placed), sources=(source,))


def load_corpus(paths: Sequence[Path]) -> Corpus:
    """Load and validate corpus files together: one researcher, ids unique across files, newest first."""
    if not paths:
        raise CorpusError("no corpus file given (expected at least one YAML file written by `python -m bot ingest`)")
    seen: dict[Path, Path] = {}
    profile: Profile | None = None
    placed: list[_Placed] = []
    for path in paths:
        key = path.resolve()
        if key in seen:
            raise CorpusError(f"{path}: listed twice among the corpus files (also as {seen[key]})")
        seen[key] = path
        expected = "a corpus: a mapping with the keys profile and papers"
        data = read_yaml(path, expected, CorpusError, max_bytes=CORPUS_MAX_BYTES)
        this, _, papers = _read(data, str(path))
        if profile is None:
            profile = this
        elif " ".join(fold(this.name).split()) != " ".join(fold(profile.name).split()):
            raise CorpusError(
                f"{path}: profile: name: {quoted(this.name)} is not {quoted(profile.name)} of {paths[0]} "
                "(all corpus files must be about the same researcher)"
            )
        placed.extend(papers)
    assert profile is not None
    _check_unique(placed)
    return Corpus(profile=profile, papers=_newest_first(placed), sources=tuple(str(p) for p in paths))
