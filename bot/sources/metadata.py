"""Verified bibliographic facts kept by hand in YAML (`papers-metadata.yaml`): a source like any other.

    papers:
      - title: "The least-control principle for local learning at equilibrium"
        arxiv: "2207.01332"
        authors: [Alexander Meulemans, Nicolas Zucchet, ...]
        venue: "NeurIPS 2022"
        code: "https://github.com/..."
        date: 2022-07-04
        source: "where these facts were read"

Entries are matched to the other sources' papers by title, arXiv id or DOI when merged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.core.schema import FieldError, arxiv_value, date_value, doi_value, line_value, names_value, url_value
from bot.core.text import tokens
from bot.errors import CorpusError, quoted
from bot.sources.records import Record, SourceResult
from bot.yamlfile import read_yaml

METADATA_KEYS = ("title", "arxiv", "doi", "authors", "date", "venue", "code", "url", "source")


def read_metadata(path: Path) -> SourceResult:
    """The entries of a metadata file as records; errors name the file, the entry and the field."""
    data = read_yaml(path, "a mapping with a list under papers", CorpusError)
    if not isinstance(data, dict) or set(data) != {"papers"} or not isinstance(data["papers"], list):
        raise CorpusError(f"{path}: expected a mapping with one key, papers: a list of entries with a title")
    source = f"metadata:{path.name}"
    records: list[Record] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(data["papers"], 1):
        where = f"{path}: entry {i}"
        if not isinstance(item, dict):
            raise CorpusError(f"{where}: expected a mapping with {', '.join(METADATA_KEYS)}")
        if isinstance(item.get("title"), str):
            where = f"{where} ({quoted(' '.join(item['title'].split()))})"
        unknown = [k for k in item if k not in METADATA_KEYS]
        if unknown:
            raise CorpusError(f"{where}: unknown key {quoted(unknown[0])} (allowed: {', '.join(METADATA_KEYS)})")
        if item.get("title") is None:
            raise CorpusError(f"{where}: title: missing (every entry needs one)")
        try:
            fields: dict[str, Any] = {k: check(item[k]) for k, check in _CHECKS.items() if item.get(k) is not None}
        except _Bad as err:
            raise CorpusError(f"{where}: {err.key}: {err.problem}") from None
        key = " ".join(tokens(fields["title"]))
        first = seen.setdefault(key, i)
        if first != i:
            raise CorpusError(f"{where}: title: the same title as entry {first} (titles are matched ignoring case)")
        date = fields.pop("date", None)
        if date is not None:
            day, precision = date
            fields.update(year=day.year, month=day.month if precision != "year" else None,
                          day=day.day if precision == "day" else None)  # fmt: skip
        records.append(Record(source=source, note=fields.pop("source", None), **fields))
    return SourceResult(source=source, records=tuple(records))


class _Bad(Exception):
    def __init__(self, key: str, problem: str) -> None:
        super().__init__(key, problem)
        self.key, self.problem = key, problem


def _field(key: str, check: Any) -> Any:
    def run(value: object) -> Any:
        try:
            return check(value)
        except FieldError as err:
            raise _Bad(key, str(err)) from None

    return run


_CHECKS = {
    "title": _field("title", line_value),
    "arxiv": _field("arxiv", arxiv_value),
    "doi": _field("doi", doi_value),
    "authors": _field("authors", names_value),
    "date": _field("date", date_value),
    "venue": _field("venue", line_value),
    "code": _field("code", url_value),
    "url": _field("url", url_value),
    "source": _field("source", line_value),
}
