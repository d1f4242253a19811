"""OpenAlex: an author's works (GET /works?filter=author.id:A...) and figures (GET /authors/A...).

Works parsing is tested on recorded /works responses. Two parts are built from the documented format
(developers.openalex.org), not a recording, since none could be had: the author object
(`summary_stats.h_index`, `cited_by_count`, `works_count`) and cursor paging (`meta.next_cursor`).
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

BASE_URL = "https://api.openalex.org"
PER_PAGE = 200  # the largest page OpenAlex serves
MAX_PAGES = 100  # 20,000 works: far beyond any one researcher; a guard against a cursor that never ends
MAX_ABSTRACT_WORDS = 5_000  # positions beyond this are not an abstract
# OpenAlex work types (developers.openalex.org, "type") -> BibTeX entry types; "article" is read
# with its source's type (entry_type), anything else unlisted is "misc".
_ENTRY_TYPES = {
    "review": "article", "letter": "article", "editorial": "article", "proceedings-article": "inproceedings",
    "book-chapter": "incollection", "book": "book", "monograph": "book", "dissertation": "phdthesis",
    "report": "techreport", "preprint": "misc", "posted-content": "misc",
}  # fmt: skip
_AUTHOR_ID = re.compile(r"^(?:https?://openalex\.org/)?(A\d+)$", re.IGNORECASE)


def read_openalex(path: str | Path) -> SourceResult:
    """Records from a saved OpenAlex response (a /works page, a list of pages, a work or an author)."""
    return parse_openalex(read_json(path, "OpenAlex JSON"), f"openalex:{Path(path).name}")


def parse_openalex(data: object, source: str) -> SourceResult:
    """Records (and figures, for an author object) from parsed OpenAlex JSON."""
    records: list[Record] = []
    warnings: list[str] = []
    figures: AuthorFigures | None = None
    for obj in _objects(data):
        oid = text(obj.get("id")) or ""
        if "/A" in oid or "summary_stats" in obj:
            figures = author_figures(obj, source)
            continue
        record = work_record(obj, source)
        if record is None:
            warnings.append(f"{source}: work {oid or '(no id)'} has no title and was skipped")
        else:
            records.append(record)
    if data is not None and not records and figures is None:
        warnings.append(f"{source}: no OpenAlex works or author found in the response")
    missing = sum(1 for r in records if not r.abstract)
    if missing:
        warnings.append(f"{source}: {missing} of {len(records)} works have no abstract")
    return SourceResult(source=source, records=tuple(records), figures=figures, warnings=tuple(warnings))


def _objects(data: object) -> list[dict[str, object]]:
    """Works or authors: a response's `results`, a list of responses or works, or one object."""
    if isinstance(data, list):
        return [obj for item in items(data) for obj in _objects(item)]
    if isinstance(data, dict):
        if isinstance(data.get("results"), list):
            return list(items(data["results"]))
        if "id" in data:
            return [data]
    return []


def author_figures(author: dict[str, object], source: str) -> AuthorFigures:
    """h-index, citations and works count of an OpenAlex author object."""
    return AuthorFigures(
        source=source,
        name=text(author.get("display_name")),
        h_index=to_int(dig(author, "summary_stats", "h_index")),
        citations=to_int(author.get("cited_by_count")),
        works_count=to_int(author.get("works_count")),
    )


def work_record(work: dict[str, object], source: str) -> Record | None:
    """One OpenAlex work as a Record; None without a title."""
    title = text(work.get("display_name")) or text(work.get("title"))
    if title is None:
        return None
    year, month, day = date_parts(text(work.get("publication_date")))
    doi = bare_doi(text(work.get("doi")) or text(dig(work, "ids", "doi")))
    landing = text(dig(work, "primary_location", "landing_page_url"))
    return Record(
        title=title,
        authors=tuple(
            name for a in items(work.get("authorships")) if (name := text(dig(a, "author", "display_name")))
        ),
        year=to_int(work.get("publication_year")) or year,
        month=month,
        day=day,
        abstract=abstract(work.get("abstract_inverted_index")),
        venue=text(dig(work, "primary_location", "source", "display_name")),
        doi=doi,
        arxiv=_arxiv(work, doi),
        url=landing or (f"https://doi.org/{doi}" if doi else None),
        pdf=text(dig(work, "best_oa_location", "pdf_url")) or text(dig(work, "primary_location", "pdf_url")),
        kind=entry_type(text(work.get("type")), text(dig(work, "primary_location", "source", "type"))),
        source=source,
        key=_short_id(text(work.get("id"))),
    )


def entry_type(work_type: str | None, source_type: str | None) -> str | None:
    """OpenAlex's work type as the BibTeX entry type the corpus records, as ORCID's and Semantic
    Scholar's are: OpenAlex calls a conference paper an "article", and tells it by its source's type."""
    if work_type is None:
        return None
    if work_type == "article":
        return {"conference": "inproceedings", "repository": "misc"}.get(source_type or "", "article")
    return _ENTRY_TYPES.get(work_type, "misc")


def abstract(index: object) -> str:
    """The abstract rebuilt from OpenAlex's inverted index ({word: [positions]}) in word order."""
    if not isinstance(index, dict):
        return ""
    words: dict[int, str] = {}
    for word, positions in index.items():
        if not isinstance(word, str) or not isinstance(positions, list):
            continue
        for position in positions:
            if isinstance(position, int) and 0 <= position < MAX_ABSTRACT_WORDS:
                words[position] = word
    return " ".join(words[p] for p in sorted(words))


def _arxiv(work: dict[str, object], doi: str | None) -> str | None:
    """The arXiv id from an arXiv DOI (10.48550/arXiv...) or an arxiv.org location."""
    if doi and doi.startswith("10.48550/"):
        return bare_arxiv(doi)
    for location in items(work.get("locations")):
        for key in ("landing_page_url", "pdf_url"):
            url = text(location.get(key))
            if url and "arxiv.org/" in url:
                found = bare_arxiv(url)
                if found:
                    return found
    return None


def _short_id(url: str | None) -> str | None:
    return url.rstrip("/").rsplit("/", 1)[-1] if url else None


def author_id(identifier: str) -> str:
    """"A5023888391" from itself or its openalex.org URL; SourceError otherwise."""
    match = _AUTHOR_ID.match(identifier.strip())
    if not match:
        raise SourceError(f"openalex: {identifier!r} is not an OpenAlex author id (like A5023888391)")
    return match.group(1).upper()


def fetch_openalex(
    identifier: str,
    client: HttpClient,
    *,
    base_url: str = BASE_URL,
    per_page: int = PER_PAGE,
    max_pages: int = MAX_PAGES,
) -> SourceResult:
    """The author's figures and all their works, paging with OpenAlex's cursor to the end."""
    aid = author_id(identifier)
    source = f"openalex:{aid}"
    base_url = base_url.rstrip("/")
    author = client.get_json(f"{base_url}/authors/{aid}", source=source)
    figures = author_figures(author, source) if isinstance(author, dict) else None
    pages: list[object] = []
    warnings: list[str] = []
    cursor: str | None = "*"
    while cursor:
        if len(pages) >= max_pages:
            warnings.append(f"{source}: stopped after {max_pages} pages of {per_page} works")
            break
        page = client.get_json(
            f"{base_url}/works",
            source=source,
            params={"filter": f"author.id:{aid}", "per-page": per_page, "cursor": cursor},
        )
        pages.append(page)
        results = dig(page, "results")
        # The docs: page "until next_cursor is null and results is empty".
        cursor = text(dig(page, "meta", "next_cursor")) if isinstance(results, list) and results else None
    parsed = parse_openalex(pages, source)
    return SourceResult(
        source=source, records=parsed.records, figures=figures, warnings=(*parsed.warnings, *warnings)
    )
