"""DBLP: a researcher's publications from their person page (GET https://dblp.org/pid/{pid}.xml).

Built from the documented format (dblp's person-page XML: <dblpperson name pid n> holding one <r>
per publication, each an <article>, <inproceedings>, ... element in the layout of dblp.dtd), not a
recording: no real person page could be had. The tests use a minimal document written from it.
DBLP's BibTeX exports, which are recorded, are read by `bibtex.read_bibtex`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from bot.sources.errors import SourceError
from bot.sources.files import read_bytes
from bot.sources.http import HttpClient, parse_xml
from bot.sources.ids import bare_arxiv, bare_doi, month_number, year_number
from bot.sources.records import AuthorFigures, Record, SourceResult

BASE_URL = "https://dblp.org"
# dblp tells namesakes apart with a number after the name: "Wei Wang 0001".
_HOMONYM = re.compile(r"\s+\d{4}$")
_PID = re.compile(r"^[A-Za-z0-9]+(?:/[A-Za-z0-9_-]+)+$")
_KINDS = {"article", "inproceedings", "proceedings", "book", "incollection", "phdthesis", "mastersthesis", "www"}


def read_dblp(path: str | Path) -> SourceResult:
    """Records from a saved dblp person page (pid/XX.xml)."""
    source = f"dblp:{Path(path).name}"
    return parse_dblp(parse_xml(read_bytes(path, "dblp person XML"), source, str(path)), source)


def parse_dblp(page: ET.Element | bytes, source: str) -> SourceResult:
    """Records and the person's name and publication count from a dblp person page."""
    root = parse_xml(page, source, "the dblp person page") if isinstance(page, bytes) else page
    if root.tag != "dblpperson":
        raise SourceError(f"{source}: not a dblp person page (root element {root.tag!r})")
    records: list[Record] = []
    warnings: list[str] = []
    for r in root.findall("r"):
        for publication in r:
            if publication.tag not in _KINDS or publication.tag == "www":
                continue
            record = _record(publication, source)
            if record is None:
                warnings.append(f"{source}: record {publication.get('key', '(no key)')} has no title and was skipped")
            else:
                records.append(record)
    if records:
        warnings.append(f"{source}: dblp gives no abstracts ({len(records)} publications)")
    count = root.get("n")
    figures = AuthorFigures(
        source=source,
        name=_person(root.get("name") or ""),
        works_count=int(count) if count and count.isdigit() else None,
    )
    return SourceResult(source=source, records=tuple(records), figures=figures, warnings=tuple(warnings))


def _text(element: ET.Element, tag: str) -> str:
    found = element.find(tag)
    # Titles hold markup (<i>, <sub>, <sup>): their text is what is wanted.
    return "".join(found.itertext()).strip() if found is not None else ""


def _person(name: str) -> str:
    return _HOMONYM.sub("", name.strip())


def _record(publication: ET.Element, source: str) -> Record | None:
    # dblp ends every title with a full stop it adds itself.
    title = _text(publication, "title").removesuffix(".")
    if not title:
        return None
    links = ["".join(ee.itertext()).strip() for ee in publication.findall("ee")]
    doi = next((d for d in (bare_doi(u) for u in links if "doi.org/" in u) if d), None)
    arxiv = next((a for a in (bare_arxiv(u) for u in links if "arxiv.org/" in u) if a), None)
    if arxiv is None and doi and doi.startswith("10.48550/"):
        arxiv = bare_arxiv(doi)
    key = publication.get("key")
    return Record(
        title=title,
        authors=tuple(_person("".join(a.itertext())) for a in publication.findall("author")),
        year=year_number(_text(publication, "year")),
        month=month_number(_text(publication, "month")),
        venue=_text(publication, "journal") or _text(publication, "booktitle") or None,
        doi=doi,
        arxiv=arxiv,
        url=links[0] if links else (f"https://dblp.org/rec/{key}" if key else None),
        kind=publication.tag,
        source=source,
        key=key,
    )


def fetch_dblp(pid: str, client: HttpClient, *, base_url: str = BASE_URL) -> SourceResult:
    """All publications on a dblp person page (one request: the page lists them all)."""
    pid = pid.strip().removeprefix("https://dblp.org/pid/").removesuffix(".xml").removesuffix(".html")
    if not _PID.match(pid):
        raise SourceError(f"dblp: {pid!r} is not a dblp person id (like 74/4209 or l/MichaelLey)")
    source = f"dblp:{pid}"
    return parse_dblp(client.get_xml(f"{base_url.rstrip('/')}/pid/{pid}.xml", source=source), source)
