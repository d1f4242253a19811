"""Plain records of papers as one source gives them, with every text field made printable."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bot.core.text import printable

# Zero-width spaces and stray byte-order marks, which sources leave inside words and names.
_ZERO_WIDTH = dict.fromkeys([0x200B, 0xFEFF])
_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")
# Publishers' markup in titles and abstracts ("CO<sub>2</sub>", "<jats:p>", "&micro;g"), which BibTeX
# exports and web APIs pass on. A tag starts with a letter right after "<": "p < 0.05" is not one.
_BLOCK_TAG = re.compile(r"</?(p|br|div|jats:p|jats:sec)\b[^<>]*>", re.IGNORECASE)
_INLINE_TAG = re.compile(
    r"</?(sub|sup|i|b|em|strong|u|span|a|font|small|tt|jats:[a-z-]+|mml:[a-z-]+|math|scp)\b[^<>]*>", re.IGNORECASE
)
_ENTITY = re.compile(r"&(#\d+|#x[0-9a-f]+|[a-z][a-z0-9]*);", re.IGNORECASE)
_CODE_HOSTS = frozenset({"github.com", "gitlab.com", "bitbucket.org", "codeberg.org"})


def on_code_host(url: str) -> bool:
    """Whether a URL is on a site that hosts code repositories (GitHub, GitLab...)."""
    return urlsplit(url).netloc.lower().removeprefix("www.") in _CODE_HOSTS


def without_markup(text: str) -> str:
    """Text without HTML or JATS tags and with its entities decoded: "CO<sub>2</sub> in 10&nbsp;&micro;m"
    -> "CO2 in 10 µm"; a block tag ("</p><p>") starts a paragraph."""
    if "<" not in text and "&" not in text:
        return text
    text = _INLINE_TAG.sub("", _BLOCK_TAG.sub("\n\n", text))
    return _ENTITY.sub(lambda m: html.unescape(m.group()), text)


def clean(text: str | None) -> str:
    """One printable line: control characters removed, whitespace collapsed to single spaces."""
    if not text:
        return ""
    return " ".join(printable(unicodedata.normalize("NFC", text)).translate(_ZERO_WIDTH).split())


def clean_paragraphs(text: str | None) -> str:
    """Printable text whose paragraphs (blank-line separated) stay apart; each paragraph one line."""
    if not text:
        return ""
    text = printable(unicodedata.normalize("NFC", text)).translate(_ZERO_WIDTH)
    paragraphs = (clean(p) for p in _PARAGRAPH.split(text.strip()))
    return "\n\n".join(p for p in paragraphs if p)


def optional(text: str | None) -> str | None:
    """`clean(text)`, or None where nothing printable is left."""
    return clean(text) or None


@dataclass(frozen=True)
class Record:
    """One paper as one source gives it. Text is printable; identifiers are bare (see the fields)."""

    title: str
    source: str  # where it came from: "bibtex:henning.bib", "openalex:A5023888391"
    authors: tuple[str, ...] = ()  # display form "First Last", decoded to Unicode
    authors_truncated: bool = False  # the source listed only some authors ("and others")
    year: int | None = None
    month: int | None = None
    day: int | None = None
    abstract: str = ""
    venue: str | None = None  # journal, booktitle or container
    doi: str | None = None  # bare and lower-case: 10.1038/s41586-021-03819-2
    arxiv: str | None = None  # bare, without version: 2207.01332 or math/0601001
    url: str | None = None
    pdf: str | None = None
    code: str | None = None
    category: str | None = None  # arXiv primary category (cs.LG) where known
    kind: str | None = None  # BibTeX entry type or the source's nearest: article, inproceedings, misc...
    selected: bool = False  # al-folio's `selected = {true}`
    key: str | None = None  # the source's own id: BibTeX key, OpenAlex W-id, S2 paperId...
    organisation: str | None = None  # an organisation the source names for the paper
    note: str | None = None  # where the source itself says its facts come from (kept as a comment)

    def __post_init__(self) -> None:
        # A frozen dataclass still lets __post_init__ set fields through object.__setattr__; cleaning
        # here means no source can hand out a record with a terminal escape in it.
        set_ = object.__setattr__
        set_(self, "title", clean(without_markup(self.title)))
        set_(self, "authors", tuple(a for a in (clean(a) for a in self.authors) if a))
        set_(self, "abstract", clean_paragraphs(without_markup(self.abstract)))
        for name in ("venue", "doi", "arxiv", "url", "pdf", "code", "category", "kind", "key", "organisation", "note"):
            set_(self, name, optional(getattr(self, name)))
        set_(self, "source", clean(self.source))


@dataclass(frozen=True)
class AuthorFigures:
    """What a source says about the researcher as a whole, where it says it."""

    source: str
    name: str | None = None
    h_index: int | None = None
    citations: int | None = None
    works_count: int | None = None
    category: str | None = None  # the researcher's main arXiv category, where a source gives one
    novelty: int | None = None  # figures only some profile pages report
    ai_score: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", optional(self.name))
        object.__setattr__(self, "source", clean(self.source))


@dataclass(frozen=True)
class SourceResult:
    """Everything one read of one source gave: its records, figures, and what went wrong on the way."""

    source: str
    records: tuple[Record, ...] = ()
    figures: AuthorFigures | None = None
    warnings: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "warnings", tuple(clean(w) for w in self.warnings))
        object.__setattr__(self, "source", clean(self.source))
