"""arXiv: an author's preprints from the export API's Atom feed (search_query=au:"First Last").

Parsing is tested on recorded feeds (an id_list query and a category query); no recorded au: query
exists, but the feed format does not depend on the query.
"""

from __future__ import annotations

import time
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

from bot.sources.errors import SourceError
from bot.sources.files import read_bytes
from bot.sources.http import HttpClient, parse_xml
from bot.sources.ids import bare_arxiv, bare_doi, date_parts, to_int
from bot.sources.latex import latex_to_text
from bot.sources.records import Record, SourceResult

BASE_URL = "https://export.arxiv.org/api/query"
PAGE_SIZE = 100
MAX_RECORDS = 2_000
DELAY = 3.0  # arXiv's terms of use ask for one request every three seconds
NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "arxiv": "http://arxiv.org/schemas/atom",
    "opensearch": "http://a9.com/-/spec/opensearch/1.1/",
}


def read_arxiv(path: str | Path) -> SourceResult:
    """Records from a saved arXiv API Atom feed."""
    source = f"arxiv:{Path(path).name}"
    return parse_arxiv(parse_xml(read_bytes(path, "arXiv Atom XML"), source, str(path)), source)


def parse_arxiv(feed: ET.Element | bytes, source: str) -> SourceResult:
    """Records from an arXiv Atom feed (bytes or parsed root)."""
    root = parse_xml(feed, source, "the arXiv feed") if isinstance(feed, bytes) else feed
    if root.tag != f"{{{NS['atom']}}}feed":
        raise SourceError(f"{source}: not an arXiv Atom feed (root element {root.tag!r})")
    records: list[Record] = []
    warnings: list[str] = []
    for entry in root.findall("atom:entry", NS):
        entry_id = _text(entry, "atom:id")
        if "/api/errors" in entry_id:
            # arXiv answers a bad query with HTTP 200 and an entry titled "Error".
            raise SourceError(f"{source}: arXiv rejected the query ({entry_id})")
        record = _record(entry, source)
        if record is None:
            warnings.append(f"{source}: entry {entry_id or '(no id)'} has no title and was skipped")
        else:
            records.append(record)
    missing = sum(1 for r in records if not r.abstract)
    if missing:
        warnings.append(f"{source}: {missing} of {len(records)} entries have no abstract")
    return SourceResult(source=source, records=tuple(records), warnings=tuple(warnings))


def total_results(root: ET.Element) -> int | None:
    """The feed's opensearch:totalResults: how many entries the whole query has."""
    return to_int(_text(root, "opensearch:totalResults"))


def _text(element: ET.Element, path: str) -> str:
    found = element.find(path, NS)
    return "".join(found.itertext()).strip() if found is not None else ""


def _record(entry: ET.Element, source: str) -> Record | None:
    title = latex_to_text(_text(entry, "atom:title"))
    if not title:
        return None
    entry_id = _text(entry, "atom:id")
    year, month, day = date_parts(_text(entry, "atom:published"))
    url = pdf = None
    for link in entry.findall("atom:link", NS):
        if link.get("rel") == "alternate":
            url = link.get("href")
        elif link.get("title") == "pdf":
            pdf = link.get("href")
    category = entry.find("arxiv:primary_category", NS)
    return Record(
        title=title,
        authors=tuple(name for a in entry.findall("atom:author", NS) if (name := _text(a, "atom:name"))),
        year=year,
        month=month,
        day=day,
        abstract=latex_to_text(_text(entry, "atom:summary")),
        venue=_text(entry, "arxiv:journal_ref") or None,
        doi=bare_doi(_text(entry, "arxiv:doi")),
        arxiv=bare_arxiv(entry_id),
        url=url or entry_id or None,
        pdf=pdf,
        category=category.get("term") if category is not None else None,
        kind="misc",  # what arXiv's own BibTeX export calls a preprint
        source=source,
        key=entry_id.rsplit("/abs/", 1)[-1] if "/abs/" in entry_id else entry_id or None,
    )


def author_query(name: str) -> str:
    """The search_query for an author: au:"Joao Sacramento" (arXiv's author field is plain ASCII)."""
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    plain = " ".join(plain.replace('"', " ").split())
    if not plain:
        raise SourceError("arxiv: an author name is needed (like 'Joao Sacramento')")
    return f'au:"{plain}"'


def fetch_arxiv(
    name: str,
    client: HttpClient,
    *,
    base_url: str = BASE_URL,
    page_size: int = PAGE_SIZE,
    max_records: int = MAX_RECORDS,
    delay: float = DELAY,
) -> SourceResult:
    """All the author's arXiv entries, paging with start/max_results to the feed's totalResults."""
    query = author_query(name)
    source = f"arxiv:{query}"
    records: dict[str, Record] = {}
    warnings: list[str] = []
    start = 0
    while True:
        root = client.get_xml(
            base_url,
            source=source,
            params={
                "search_query": query,
                "start": start,
                "max_results": page_size,
                "sortBy": "submittedDate",
                "sortOrder": "descending",
            },
        )
        page = parse_arxiv(root, source)
        new = [r for r in page.records if (r.key or r.title) not in records]
        records.update(((r.key or r.title), r) for r in new)
        total = total_results(root) or 0
        start += len(page.records)
        if not page.records or start >= total:
            break
        if not new:
            # A server that ignores `start` would otherwise be asked the same page forever.
            at = start - len(page.records)
            warnings.append(f"{source}: the page at start={at} repeated earlier entries; stopped")
            break
        if len(records) >= max_records:
            warnings.append(f"{source}: stopped at {max_records} of {total} entries")
            break
        time.sleep(delay)
    missing = sum(1 for r in records.values() if not r.abstract)
    if missing:
        warnings.append(f"{source}: {missing} of {len(records)} entries have no abstract")
    return SourceResult(source=source, records=tuple(records.values()), warnings=tuple(warnings))
