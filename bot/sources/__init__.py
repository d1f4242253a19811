"""Readers of a researcher's papers from the sources labs already have, into plain `Record`s.

One module per source: `bibtex` (a .bib file), `openalex`, `arxiv`, `s2` (Semantic Scholar),
`orcid` and `dblp`. Each online source has a parser of a saved response (`parse_*`, `read_*`) and
a fetcher (`fetch_*`) that pages through the live API with the one shared `http.HttpClient`.
Nothing here knows about Discord, rendering or the answer engine.
"""

from bot.sources.errors import SourceError
from bot.sources.records import AuthorFigures, Record, SourceResult

__all__ = ["AuthorFigures", "Record", "SourceError", "SourceResult"]

ONLINE = ("orcid", "openalex", "arxiv", "dblp", "s2")  # the sources `ingest` fetches by an id, online
