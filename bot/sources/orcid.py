"""ORCID: a researcher's works from the public API (GET /v3.0/{orcid}/works, JSON).

Tested on a recorded /works response. Work summaries carry no authors and no abstracts; ORCID is
useful for the list of DOIs, titles and dates the researcher has claimed.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.sources.errors import SourceError
from bot.sources.fields import dig, items, text
from bot.sources.files import read_json
from bot.sources.http import HttpClient
from bot.sources.ids import bare_arxiv, bare_doi, month_number, to_int, year_number
from bot.sources.records import Record, SourceResult

BASE_URL = "https://pub.orcid.org/v3.0"
_ORCID = re.compile(r"^(?:https?://orcid\.org/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])$", re.IGNORECASE)
# ORCID work types to the BibTeX entry types the other sources use.
_KINDS = {
    "journal-article": "article",
    "conference-paper": "inproceedings",
    "conference-abstract": "inproceedings",
    "book": "book",
    "book-chapter": "incollection",
    "dissertation-thesis": "phdthesis",
    "dissertation": "phdthesis",
    "report": "techreport",
    "working-paper": "techreport",
    "preprint": "misc",
}


def read_orcid(path: str | Path) -> SourceResult:
    """Records from a saved ORCID /works JSON response."""
    return parse_orcid(read_json(path, "ORCID JSON"), f"orcid:{Path(path).name}")


def parse_orcid(data: object, source: str) -> SourceResult:
    """One record per ORCID work group (the versions of one work from different sources)."""
    groups = dig(data, "group")
    if not isinstance(groups, list):
        raise SourceError(f"{source}: not an ORCID works response (no 'group' list)")
    records: list[Record] = []
    warnings: list[str] = []
    for group in items(groups):
        summaries = list(items(group.get("work-summary")))
        if not summaries:
            continue
        # ORCID shows the version with the highest display-index: the one the researcher preferred.
        summary = max(summaries, key=lambda s: to_int(s.get("display-index")) or 0)
        record = _record(summary, source)
        if record is None:
            warnings.append(f"{source}: work {summary.get('put-code')} has no title and was skipped")
        else:
            records.append(record)
    if records:
        warnings.append(f"{source}: ORCID gives no abstracts or authors ({len(records)} works)")
    return SourceResult(source=source, records=tuple(records), warnings=tuple(warnings))


def _record(summary: dict[str, object], source: str) -> Record | None:
    title = text(dig(summary, "title", "title", "value"))
    if title is None:
        return None
    ids = {
        str(e.get("external-id-type")).lower(): text(e.get("external-id-value"))
        for e in items(dig(summary, "external-ids", "external-id"))
        if e.get("external-id-relationship") in (None, "self")
    }
    date = dig(summary, "publication-date")
    kind = text(summary.get("type"))
    return Record(
        title=title,
        year=year_number(dig(date, "year", "value")),
        month=month_number(dig(date, "month", "value")),
        day=to_int(dig(date, "day", "value")),
        venue=text(dig(summary, "journal-title", "value")),
        doi=bare_doi(ids.get("doi")),
        arxiv=bare_arxiv(ids.get("arxiv")),
        url=text(dig(summary, "url", "value")),
        kind=_KINDS.get(kind, "misc") if kind else None,
        source=source,
        key=str(summary["put-code"]) if summary.get("put-code") is not None else None,
    )


def orcid_id(identifier: str) -> str:
    """The bare ORCID iD ("0000-0003-1317-0220") from it or its URL, checksum verified."""
    match = _ORCID.match(identifier.strip())
    if not match or not _checksum_ok(match.group(1)):
        raise SourceError(f"orcid: {identifier!r} is not an ORCID iD (like 0000-0003-1317-0220)")
    return match.group(1).upper()


def _checksum_ok(orcid: str) -> bool:
    # ISO 7064 MOD 11-2, as ORCID documents for its last character.
    digits = orcid.replace("-", "")
    total = 0
    for digit in digits[:-1]:
        total = (total + int(digit)) * 2
    check = (12 - total % 11) % 11
    return digits[-1].upper() == ("X" if check == 10 else str(check))


def fetch_orcid(identifier: str, client: HttpClient, *, base_url: str = BASE_URL) -> SourceResult:
    """All the works on an ORCID record (one request: /works is not paged)."""
    oid = orcid_id(identifier)
    source = f"orcid:{oid}"
    data = client.get_json(f"{base_url.rstrip('/')}/{oid}/works", source=source, headers={"Accept": "application/json"})
    return parse_orcid(data, source)
