"""Many sources' records of one researcher's papers merged into one list: each paper once.

Records are the same paper when they share a DOI, an arXiv id or their title's words. Each field
of the merged paper takes the best value any source gave, and remembers which source gave it:
- authors: the first complete list (not "et al.") in the order the sources were given;
- date: the most precise one (a day beats a month beats a year), the first of those;
- abstract: the longest;
- every other field: the first source that has it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.core.models import Paper
from bot.core.text import tokens
from bot.sources.records import Record, on_code_host

_PREPRINT_VENUE = re.compile(r"^(arxiv|corr|biorxiv|medrxiv|ssrn)\b|arxiv preprint", re.IGNORECASE)
_ARXIV_IN_TEXT = re.compile(r"arxiv[:\s/]*(\d{4}\.\d{4,5})", re.IGNORECASE)
# Fields taken from the first source that has them, in the order Paper lists them.
_FIRST_WINS = ("venue", "doi", "arxiv", "url", "pdf", "code", "category", "organisation", "kind")
_LINKS = ("url", "pdf", "code")
_ABSOLUTE = re.compile(r"https?://\S+\Z")


def record_keys(record: Record) -> tuple[str, ...]:
    """What identifies a record's paper across sources: DOI, arXiv id, the title's words."""
    keys = [f"doi:{record.doi.lower()}"] if record.doi else []
    if record.arxiv:
        keys.append(f"arxiv:{record.arxiv}")
    if words := " ".join(tokens(record.title)):
        keys.append(f"title:{words}")
    return tuple(keys)


@dataclass
class Merged:
    """One paper as merged, before it gets its id, and the records it came from."""

    paper: Paper
    records: list[Record]
    note: str | None = None  # a source's own note on where its facts come from


@dataclass
class MergeReport:
    papers: list[Merged] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # "title: why", for papers no source dates
    without_abstract: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)  # sources that disagree on a paper's year
    relative_links: int = 0  # links that were file names on the source's own site (al-folio's pdf = {x.pdf})


def _groups(records: Sequence[Record]) -> list[list[Record]]:
    """Records grouped by shared keys (union-find), groups in the order of their first record."""
    parent = list(range(len(records)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, record in enumerate(records):
        for key in record_keys(record):
            if key in owner:
                a, b = root(owner[key]), root(i)
                parent[max(a, b)] = min(a, b)
            else:
                owner[key] = i
    groups: dict[int, list[Record]] = {}
    for i, record in enumerate(records):
        groups.setdefault(root(i), []).append(record)
    return [groups[k] for k in sorted(groups)]


def _precision(record: Record) -> int:
    return 0 if record.year is None else 1 if record.month is None else 2 if record.day is None else 3


def _venue(record: Record) -> str | None:
    """A record's venue, unless it only says "arXiv preprint": that is not a venue."""
    return None if record.venue is None or _PREPRINT_VENUE.search(record.venue) else record.venue


def merge_group(records: Sequence[Record]) -> Paper | None:
    """The best of each field across one paper's records; None when no source gives a year."""
    dated = max(records, key=_precision)  # max keeps the first of equals: the earliest source
    if dated.year is None:
        return None
    sources: dict[str, str] = {}

    def first(name: str) -> str | None:
        for record in records:
            value = _venue(record) if name == "venue" else getattr(record, name)
            if value and name in _LINKS and not _ABSOLUTE.match(value):
                continue  # "paper.pdf" means a file on the homepage the BibTeX came from: no link here
            if value:
                sources[name] = record.source
                return str(value)
        return None

    complete = [r for r in records if r.authors and not r.authors_truncated]
    with_authors = complete or [r for r in records if r.authors]
    authors = with_authors[0] if with_authors else records[0]
    abstract = max(records, key=lambda r: len(r.abstract))
    values = {name: first(name) for name in _FIRST_WINS}
    if values["code"] is None and values["url"] and on_code_host(values["url"]):
        # A paper whose page is its repository ("mobr: Measurement of Biodiversity in R") has its code there.
        values["code"], sources["code"] = values["url"], sources["url"]
    if values["arxiv"] is None:
        # "arXiv preprint arXiv:2006.12109" as a venue still says which preprint it is.
        found = next((m for r in records if r.venue and (m := _ARXIV_IN_TEXT.search(r.venue))), None)
        if found:
            values["arxiv"] = found.group(1)
            sources["arxiv"] = next(r.source for r in records if r.venue and _ARXIV_IN_TEXT.search(r.venue))
    if values["arxiv"]:
        # Every arXiv paper has an abstract page and a PDF; say so where no source gave another.
        for name, url in (("url", f"https://arxiv.org/abs/{values['arxiv']}"), ("pdf", f"https://arxiv.org/pdf/{values['arxiv']}")):
            if values[name] is None:
                values[name] = url
                sources[name] = sources["arxiv"]
    sources.update(title=records[0].source, date=dated.source)
    if authors.authors:
        sources["authors"] = authors.source
    if abstract.abstract:
        sources["abstract"] = abstract.source
    precision = ("year", "month", "day")[_precision(dated) - 1]
    return Paper(
        id="",  # given once every paper is known
        title=records[0].title,
        date=dt.date(dated.year, dated.month or 1, dated.day or 1),
        date_precision=precision,
        authors=authors.authors or ("Unknown",),
        authors_truncated=authors.authors_truncated if authors.authors else True,
        abstract=abstract.abstract,
        category=values["category"] or "",
        organisation=values["organisation"] or "",
        venue=values["venue"],
        doi=values["doi"],
        arxiv=values["arxiv"],
        url=values["url"],
        pdf=values["pdf"],
        code=values["code"],
        kind=values["kind"],
        sources=tuple(sorted(sources.items(), key=lambda kv: _ORDER.get(kv[0], 99))),
    )


def merge(records: Sequence[Record]) -> MergeReport:
    """Every paper once, in the order the sources first list them."""
    report = MergeReport()
    for group in _groups(records):
        paper = merge_group(group)
        if paper is None:
            report.dropped.append(f"{group[0].title}: no source gives its year ({', '.join(r.source for r in group)})")
            continue
        if not paper.abstract:
            report.without_abstract.append(paper.title)
        # Versions in one source (a preprint and its journal paper in DBLP) may differ; sources should not.
        years = {r.year for r in group if r.year is not None}
        if len(years) > 1 and len({r.source for r in group if r.year is not None}) > 1:
            said = ", ".join(f"{r.source} says {r.year}" for r in group if r.year is not None)
            report.conflicts.append(
                f'"{paper.title}": the sources disagree on its year ({said}); using {paper.date.year}, '
                "from the first source given with the most precise date"
            )
        note = next((r.note for r in group if r.note), None)
        report.relative_links += sum(
            1 for r in group for name in _LINKS if (v := getattr(r, name)) and not _ABSOLUTE.match(v)
        )
        report.papers.append(Merged(paper, list(group), note))
    return report


_ORDER = {name: i for i, name in enumerate(("title", "date", "authors", "abstract", *_FIRST_WINS))}
