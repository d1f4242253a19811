"""Semantic Scholar: an author's papers (Graph API /author/{id}/papers, offset paging) and figures.

Tested on recorded responses: an author object with embedded papers, the nine pages of an
/author/{id}/papers walk, a paper batch, and a bulk search page.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.sources.errors import SourceError
from bot.sources.fields import dig, items, text
from bot.sources.files import read_json
from bot.sources.http import HttpClient
from bot.sources.ids import bare_arxiv, bare_doi, date_parts, to_int
from bot.sources.records import AuthorFigures, Record, SourceResult

BASE_URL = "https://api.semanticscholar.org/graph/v1"
PAGE_SIZE = 100
# The docs: "the sum of offset and limit must be < 10000" for an author's papers.
MAX_OFFSET = 10_000
PAPER_FIELDS = ",".join(
    "title abstract authors year publicationDate venue journal externalIds url openAccessPdf publicationTypes".split()
)
AUTHOR_FIELDS = "name,hIndex,citationCount,paperCount"
_AUTHOR_ID = re.compile(r"^\d+$")
_KINDS = {"JournalArticle": "article", "Conference": "inproceedings", "Book": "book", "BookSection": "incollection"}


def read_s2(path: str | Path) -> SourceResult:
    """Records from a saved Semantic Scholar response (author, papers page, batch or search)."""
    return parse_s2(read_json(path, "Semantic Scholar JSON"), f"s2:{Path(path).name}")


def parse_s2(data: object, source: str) -> SourceResult:
    """Records (and figures, for an author object) from parsed Semantic Scholar JSON."""
    figures: AuthorFigures | None = None
    warnings: list[str] = []
    if isinstance(data, dict) and "authorId" in data:
        figures = author_figures(data, source)
        papers: object = data.get("papers", [])
    elif isinstance(data, dict):
        papers = data.get("data", [data] if "paperId" in data else [])
    else:
        papers = data
    if not isinstance(papers, list):
        raise SourceError(f"{source}: not a Semantic Scholar response (no papers or data list)")
    nulls = sum(1 for p in papers if p is None)
    if nulls:
        # A batch answers an id it does not know with null in its place.
        warnings.append(f"{source}: {nulls} requested paper(s) were not found")
    records: list[Record] = []
    skipped = 0
    for paper in items(papers):
        record = paper_record(paper, source)
        if record is None:
            skipped += 1
        else:
            records.append(record)
    if skipped:
        warnings.append(f"{source}: {skipped} item(s) without a title (not papers) were skipped")
    missing = sum(1 for r in records if not r.abstract)
    if missing:
        warnings.append(f"{source}: {missing} of {len(records)} papers have no abstract")
    return SourceResult(source=source, records=tuple(records), figures=figures, warnings=tuple(warnings))


def author_figures(author: dict[str, object], source: str) -> AuthorFigures:
    """h-index, citations and paper count of a Semantic Scholar author object."""
    return AuthorFigures(
        source=source,
        name=text(author.get("name")),
        h_index=to_int(author.get("hIndex")),
        citations=to_int(author.get("citationCount")),
        works_count=to_int(author.get("paperCount")),
    )


def paper_record(paper: dict[str, object], source: str) -> Record | None:
    """One Semantic Scholar paper as a Record; None without a title."""
    title = text(paper.get("title"))
    if title is None:
        return None
    _, month, day = date_parts(text(paper.get("publicationDate")))
    types = paper.get("publicationTypes")
    kinds = [_KINDS[t] for t in types if isinstance(t, str) and t in _KINDS] if isinstance(types, list) else []
    return Record(
        title=title,
        authors=tuple(name for a in items(paper.get("authors")) if (name := text(a.get("name")))),
        year=to_int(paper.get("year")),
        month=month,
        day=day,
        abstract=text(paper.get("abstract")) or "",
        venue=(
            text(dig(paper, "journal", "name"))
            or text(paper.get("venue"))
            or text(dig(paper, "publicationVenue", "name"))
        ),
        doi=bare_doi(text(dig(paper, "externalIds", "DOI"))),
        arxiv=bare_arxiv(text(dig(paper, "externalIds", "ArXiv"))),
        url=text(paper.get("url")),
        pdf=text(dig(paper, "openAccessPdf", "url")),
        kind=kinds[0] if kinds else None,
        source=source,
        key=text(paper.get("paperId")),
    )


def fetch_s2(
    author_id: str,
    client: HttpClient,
    *,
    base_url: str = BASE_URL,
    api_key: str | None = None,
    page_size: int = PAGE_SIZE,
    with_figures: bool = True,
) -> SourceResult:
    """The author's figures and all their papers, paging with offset/limit until there is no `next`."""
    author_id = author_id.strip()
    if not _AUTHOR_ID.match(author_id):
        raise SourceError(f"s2: {author_id!r} is not a Semantic Scholar author id (digits, like 1723755)")
    source = f"s2:{author_id}"
    base_url = base_url.rstrip("/")
    headers = {"x-api-key": api_key} if api_key else {}
    figures = None
    if with_figures:
        author = client.get_json(
            f"{base_url}/author/{author_id}", source=source, params={"fields": AUTHOR_FIELDS}, headers=headers
        )
        figures = author_figures(author, source) if isinstance(author, dict) else None
    papers: list[object] = []
    warnings: list[str] = []
    offset: int | None = 0
    while offset is not None:
        limit = min(page_size, MAX_OFFSET - 1 - offset)
        if limit <= 0:
            warnings.append(f"{source}: Semantic Scholar serves only the first {MAX_OFFSET} papers")
            break
        page = client.get_json(
            f"{base_url}/author/{author_id}/papers",
            source=source,
            params={"fields": PAPER_FIELDS, "offset": offset, "limit": limit},
            headers=headers,
        )
        data = dig(page, "data")
        if not isinstance(data, list):
            raise SourceError(f"{source}: the papers page at offset {offset} has no data list")
        papers.extend(data)
        # The last page has no `next`; a `next` that does not move on would loop forever.
        following = to_int(dig(page, "next"))
        offset = following if data and following is not None and following > offset else None
    parsed = parse_s2(papers, source)
    return SourceResult(
        source=source, records=parsed.records, figures=figures, warnings=(*parsed.warnings, *warnings)
    )
