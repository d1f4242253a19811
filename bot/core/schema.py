"""The corpus file's schema, stated once: each field's check, its description and its JSON Schema.

The loader (bot/core/corpus.py) validates with these tables, `docs/corpus.md` describes them, and
`python -m bot schema` writes the JSON Schema that editors use to check a hand-written file. A
test keeps the three in step.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from bot.errors import got

_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
_YEAR, _MONTH, _DAY = r"\d{4}", r"\d{4}-\d{2}", r"\d{4}-\d{2}-\d{2}"
_DATE = re.compile(rf"(?:{_DAY}|{_MONTH}|{_YEAR})\Z")
# New-style ids (2309.05858) and the old archive/number form (cs.LG/0601001), with an optional version.
_ARXIV = re.compile(r"(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?\Z")
_CATEGORY = re.compile(r"[a-z-]+(?:\.[A-Za-z-]+)?\Z")
_DOI = re.compile(r"10\.\d{4,9}/\S+\Z")


class FieldError(ValueError):
    """A value is not what its field expects; the message says what was expected and what came."""


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # C0 and C1 controls but \t, \n and \r


def control_character(text: str) -> str | None:
    """The first control character in `text` (line breaks and tabs aside), if any."""
    if text.isprintable():  # most text: checked in C at memory speed (a character loop took 4 s at 50,000 papers)
        return None
    found = _CONTROL.search(text)
    return found.group() if found else None


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


def line_value(value: object) -> str:
    """Non-empty text on one line (whitespace collapsed)."""
    return " ".join(text_value(value).split())


def date_value(value: object) -> tuple[dt.date, str]:
    """A date and how precise it is: a year (2023), a year and month ("2023-06") or a full date."""
    if isinstance(value, dt.datetime):
        raise FieldError(f"expected a date without a time (YYYY-MM-DD), got {got(value.isoformat())}")
    if isinstance(value, dt.date):
        return value, "day"
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and _DATE.match(value.strip()):
        parts = [int(p) for p in value.strip().split("-")]
        try:
            date = dt.date(parts[0], *(parts[1:] + [1] * (3 - len(parts))))
        except ValueError:
            raise FieldError(f"expected a real date YYYY-MM-DD, got {got(value)} (no such day)") from None
        if not 1900 <= date.year <= 2100:
            raise FieldError(f"expected a year from 1900 to 2100, got {got(value)}")
        return date, ("year", "month", "day")[len(parts) - 1]
    raise FieldError(f"expected a date YYYY-MM-DD, YYYY-MM or YYYY, got {got(value)}")


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


def doi_value(value: object) -> str:
    """A bare DOI such as 10.1038/s41586-021-03819-2, stored in lower case (DOIs ignore case)."""
    text = text_value(value)
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:"):
        text = text.removeprefix(prefix)
    if not _DOI.match(text):
        raise FieldError(f"expected a DOI such as 10.1038/s41586-021-03819-2, got {got(value)}")
    return text.lower()


def names_value(value: object) -> tuple[str, ...]:
    """A non-empty list of non-empty names."""
    if not isinstance(value, list) or not value:
        raise FieldError(f"expected a non-empty list of author names, got {got(value)}")
    names = []
    for i, item in enumerate(value, 1):
        if not isinstance(item, str) or not item.strip():
            raise FieldError(f"expected a list of non-empty names, but item {i} is {got(item)}")
        names.append(line_value(item))
    return tuple(names)


def aliases_value(value: object) -> tuple[str, ...]:
    """A list of names, possibly empty."""
    return () if value == [] else names_value(value)


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


def sources_value(value: object) -> tuple[tuple[str, str], ...]:
    """A mapping from a field's name to the source that gave it."""
    if not isinstance(value, dict):
        raise FieldError(f"expected a mapping of field: source, got {got(value)}")
    out = []
    for key, source in value.items():
        if key not in PAPER_FIELD_NAMES:
            raise FieldError(f"expected field names as keys ({', '.join(PAPER_FIELD_NAMES)}), got {got(key)}")
        out.append((key, line_value(source)))
    return tuple(out)


def built_from_value(value: object) -> dict[str, object]:
    """How the file was built: the ingest command's researcher, sources and overrides."""
    if not isinstance(value, dict):
        raise FieldError(f"expected a mapping with researcher, sources and overrides, got {got(value)}")
    unknown = [k for k in value if k not in ("researcher", "sources", "overrides", "contact")]
    if unknown:
        raise FieldError(f"expected the keys researcher, sources, overrides and contact, got {got(unknown[0])}")
    sources = value.get("sources", [])
    if not isinstance(sources, list) or not all(isinstance(s, str) and s.strip() for s in sources):
        raise FieldError(f"expected sources: a list of sources as given to ingest, got {got(sources)}")
    return dict(value)


@dataclass(frozen=True)
class Field:
    """One key of the corpus file: how it is checked, what it means, and its JSON Schema."""

    name: str
    check: Callable[[object], Any]
    meaning: str
    schema: dict[str, Any]
    required: bool = False


_TEXT: dict[str, Any] = {"type": "string", "minLength": 1}
_URL: dict[str, Any] = {"type": "string", "format": "uri", "pattern": "^https?://\\S+$"}
_COUNT: dict[str, Any] = {"type": "integer", "minimum": 0}
_NAMES: dict[str, Any] = {"type": "array", "items": _TEXT, "minItems": 1}

PAPER_FIELDS: tuple[Field, ...] = (
    Field("id", id_value, "stable slug, unique across the corpus files; kept across re-ingests",
          {"type": "string", "pattern": _ID.pattern.removesuffix("\\Z") + "$"}, required=True),
    Field("title", line_value, "the paper's title", _TEXT, required=True),
    Field("date", date_value, "publication date: YYYY, YYYY-MM or YYYY-MM-DD, as precise as the sources say",
          {"anyOf": [{"type": "integer", "minimum": 1900, "maximum": 2100},
                     {"type": "string", "pattern": f"^({_DAY}|{_MONTH}|{_YEAR})$"}]}, required=True),
    Field("authors", names_value, "every author, in order, as 'First Last'", _NAMES, required=True),
    Field("authors_truncated", bool_value, "true when the source listed only the first authors (et al.)",
          {"type": "boolean"}),
    Field("abstract", lambda v: text_value(v, allow_empty=True), "the abstract; empty or absent for a title-only "
          "entry, which is found by its title alone", {"type": "string"}),
    Field("venue", line_value, "journal, conference or workshop, e.g. 'NeurIPS 2023'", _TEXT),
    Field("doi", doi_value, "bare DOI, e.g. 10.1038/s41586-021-03819-2",
          {"type": "string", "pattern": "^(https?://(dx\\.)?doi\\.org/|doi:)?10\\.\\d{4,9}/\\S+$"}),
    Field("arxiv", arxiv_value, "arXiv id without version, quoted: '2207.01332'",
          {"type": "string", "pattern": _ARXIV.pattern.removesuffix("\\Z") + "$"}),
    Field("url", url_value, "the paper's page; without it, links go to the DOI, then arXiv", _URL),
    Field("pdf", url_value, "a PDF of the paper", _URL),
    Field("code", url_value, "the paper's code repository", _URL),
    Field("category", category_value, "arXiv category, e.g. cs.LG",
          {"type": "string", "pattern": _CATEGORY.pattern.removesuffix("\\Z") + "$"}),
    Field("organisation", lambda v: text_value(v, allow_empty=True), "organisation the source names, if any",
          {"type": "string"}),
    Field("kind", line_value, "BibTeX entry type: article, inproceedings, misc, phdthesis...", _TEXT),
    Field("sources", sources_value, "which source gave which field, e.g. {abstract: openalex:A5023888391}",
          {"type": "object", "additionalProperties": _TEXT}),
    Field("missing_since", lambda v: date_value(v)[0], "set by `update`: the day no source listed the paper any "
          "more; it is kept (a source that drops a paper is more often a glitch) until `update --prune`",
          {"type": "string", "pattern": f"^{_DAY}$"}),
)  # fmt: skip
PAPER_FIELD_NAMES = tuple(f.name for f in PAPER_FIELDS)

PROFILE_FIELDS: tuple[Field, ...] = (
    Field("name", line_value, "the researcher's name, as in author lists", _TEXT, required=True),
    Field("aliases", aliases_value, "other spellings of the name in author lists ('J. Sacramento')",
          {"type": "array", "items": _TEXT}),
    Field("category", category_value, "main arXiv category",
          {"type": "string", "pattern": _CATEGORY.pattern.removesuffix("\\Z") + "$"}),
    Field("h_index", count_value, "h-index, as the source reported it", _COUNT),
    Field("paper_count", count_value, "number of papers, as the source reported it", _COUNT),
    Field("citations", count_value, "citations, as the source reported it", _COUNT),
    Field("novelty", lambda v: count_value(v, top=100), "a profile page's novelty figure, in percent",
          {"type": "integer", "minimum": 0, "maximum": 100}),
    Field("ai_score", count_value, "a profile page's AI score", _COUNT),
    Field("figures_source", line_value, "where the figures were read: 'profile page', 'openalex:A123'", _TEXT),
    Field("year", lambda v: count_value(v, top=2100), "the year a profile page was read",
          {"type": "integer", "minimum": 1900, "maximum": 2100}),
    Field("taken", lambda v: date_value(v)[0], "the day a profile page was read", {"type": "string"}),
)  # fmt: skip

TOP_FIELDS: tuple[Field, ...] = (
    Field("profile", lambda v: v, "the researcher (the lab member) this file is about", {}, required=True),
    Field("papers", lambda v: v, "the papers, newest first", {}, required=True),
    Field("built_from", built_from_value, "the ingest command's researcher, sources and overrides, for `update`",
          {"type": "object", "properties": {"researcher": _TEXT, "sources": {"type": "array", "items": _TEXT},
                                            "overrides": {"type": ["string", "null"]},
                                            "contact": {"type": ["string", "null"]}},
           "additionalProperties": False}),
)  # fmt: skip


def _object(fields: tuple[Field, ...]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {f.name: {**f.schema, "description": f.meaning} for f in fields},
        "required": [f.name for f in fields if f.required],
        "additionalProperties": False,
    }


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a corpus file, from the same tables the loader checks with."""
    top = _object(TOP_FIELDS)
    top["properties"]["profile"] = {**_object(PROFILE_FIELDS), "description": TOP_FIELDS[0].meaning}
    top["properties"]["papers"] = {"type": "array", "minItems": 1, "items": _object(PAPER_FIELDS),
                                   "description": TOP_FIELDS[1].meaning}  # fmt: skip
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "paperbot corpus file",
        "description": "One researcher and their papers, as `python -m bot ingest` writes it (docs/corpus.md).",
        **top,
    }
