"""Plain data that crosses every boundary: papers, the lab's members, hits and answers."""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any
from urllib.parse import quote_plus

DATE_PRECISIONS = ("year", "month", "day")
# Paper fields whose text repeats across papers (an author's name on each of their papers): kept as
# one shared string each, which at 50,000 papers saves about 30 MB.
SHARED_FIELDS = frozenset(
    {"authors", "members", "category", "organisation", "venue", "kind", "date_precision", "sources"}
)


def interned(value: Any) -> Any:
    """The value with its strings interned, at any depth of tuples: one string for every copy."""
    if isinstance(value, str):
        return sys.intern(value)
    if isinstance(value, tuple):
        return tuple(interned(v) for v in value)
    return value


@dataclass(frozen=True, slots=True)  # slots: a 50,000-paper corpus is 40 MB smaller without a dict each
class Paper:
    """One paper of the corpus, as validated from YAML (docs/corpus.md describes every field)."""

    id: str
    title: str
    date: dt.date  # for sorting; only its first `date_precision` parts are known
    authors: tuple[str, ...]
    abstract: str = ""  # empty when no source gave one (the paper is found by its title)
    date_precision: str = "day"  # "year", "month" or "day"
    category: str = ""  # arXiv name, e.g. "cs.LG"
    organisation: str = ""
    authors_truncated: bool = False  # the list ends in "et al." in the source
    url: str | None = None
    pdf: str | None = None
    code: str | None = None
    venue: str | None = None
    arxiv: str | None = None
    doi: str | None = None
    kind: str | None = None  # BibTeX entry type: article, inproceedings...
    sources: tuple[tuple[str, str], ...] = ()  # (field, source that gave it)
    missing_since: dt.date | None = None  # the day `update` last found it in no source (kept until pruned)
    members: tuple[str, ...] = ()  # lab members among the authors: found at load time, not stored

    @property
    def year(self) -> int:
        return self.date.year

    @property
    def link(self) -> str:
        """Where to read it: its URL, else its DOI or arXiv page, else a title search."""
        if self.url:
            return self.url
        if self.doi:
            return f"https://doi.org/{self.doi}"
        if self.arxiv:
            return f"https://arxiv.org/abs/{self.arxiv}"
        return f"https://scholar.google.com/scholar?q={quote_plus(self.title)}"

    @property
    def date_iso(self) -> str:
        """The date as precisely as it is known, in ISO form: "2023-06-29", "2023-06" or "2023"."""
        return self.date.isoformat()[: {"year": 4, "month": 7}.get(self.date_precision, 10)]

    @property
    def date_text(self) -> str:
        """The date as precisely as it is known: "29 Jun 2023", "Jun 2023" or "2023"."""
        if self.date_precision == "year":
            return str(self.date.year)
        if self.date_precision == "month":
            return f"{self.date:%b %Y}"
        return f"{self.date.day} {self.date:%b %Y}"


@dataclass(frozen=True)
class Profile:
    """A researcher whose papers the corpus holds, with the figures a source reported."""

    name: str
    category: str = ""  # main arXiv category, e.g. "cs.LG"
    h_index: int | None = None
    paper_count: int | None = None
    citations: int | None = None
    novelty: int | None = None  # percent
    ai_score: int | None = None
    taken: dt.date | None = None  # when the profile was read, where known
    year: int | None = None  # the year the profile was taken: dates without a year belong to it
    aliases: tuple[str, ...] = ()  # other spellings of the name in author lists
    figures_source: str = ""  # where the figures were read, e.g. "profile page", "openalex:A123"

    def doubtful_figures(self, papers: int | None = None) -> tuple[str, ...]:
        """Why the reported figures cannot all be true, if they cannot (an h-index needs h papers
        with h citations each: h <= papers, and h * h <= citations)."""
        doubts: list[str] = []
        h = self.h_index
        if h is None:
            return ()
        if self.citations is not None and h * h > self.citations:
            doubts.append(f"an h-index of {h} needs at least {h * h:,} citations, not {self.citations:,}")
        count = self.paper_count if self.paper_count is not None else papers
        if count is not None and h > count:
            doubts.append(f"an h-index of {h} needs at least {h} papers, not {count}")
        return tuple(doubts)


@dataclass(frozen=True)
class Corpus:
    """A validated corpus: the lab's members (one per corpus file) and their papers, newest first."""

    members: tuple[Profile, ...]
    papers: tuple[Paper, ...]
    sources: tuple[str, ...] = ()  # files it was loaded from
    lab: str = ""  # the lab's name (config lab.name), if any

    @property
    def name(self) -> str:
        """Whose papers these are, for texts: the lab's name, or its one member's, or "the lab"."""
        if self.lab:
            return self.lab
        return self.members[0].name if len(self.members) == 1 else "the lab"

    def by_id(self, paper_id: str) -> Paper | None:
        """The paper with this id, if any."""
        for paper in self.papers:
            if paper.id == paper_id:
                return paper
        return None

    def member(self, name: str) -> Profile | None:
        """The member of this name, if any."""
        return next((m for m in self.members if m.name == name), None)

    def of_member(self, name: str) -> Corpus:
        """The same corpus with only this member's papers."""
        return replace(self, papers=tuple(p for p in self.papers if name in p.members))


class Intent(StrEnum):
    """What kind of question was asked; decides how the answer was found."""

    TOPIC = "topic"  # free-text retrieval over titles and abstracts
    PAPER = "paper"  # one paper named by id, title or acronym
    COAUTHOR = "coauthor"  # papers written with someone
    MEMBER = "member"  # papers of one lab member (on a topic, or all)
    WHO = "who"  # which members work on a topic
    COAUTHORS = "coauthors"  # most frequent coauthors
    VENUES = "venues"  # where the papers appeared, most papers first
    YEARS = "years"  # how many papers each year, the busiest named
    YEAR = "year"  # papers of a year or a span of years
    NEWEST = "newest"
    OLDEST = "oldest"
    ORGANISATION = "organisation"
    VENUE = "venue"
    CODE = "code"  # papers with code available
    PROFILE = "profile"  # h-index, citations, number of papers...
    ABOUT = "about"  # who a member (or the lab) is: their papers in figures, coauthors, typical papers
    LIST = "list"  # all papers
    HELP = "help"
    NONE = "none"  # nothing relevant: the answer says so
    RELATED = "related"  # papers like the one (or ones) a follow-up points at: "more like this"
    FACT = "fact"  # a follow-up about one paper: its authors, venue, code, citation...
    CLARIFY = "clarify"  # a follow-up with nothing clear to refer to: "which paper do you mean?"


@dataclass(frozen=True)
class Hit:
    """A paper that answers the question, with its score and a query-focused summary."""

    paper: Paper
    score: float
    summary: str


@dataclass(frozen=True)
class Answer:
    """The engine's reply to one question: any front end renders it."""

    question: str
    intent: Intent
    headline: str  # one line that leads the reply ("3 papers with Nicolas Zucchet:")
    hits: tuple[Hit, ...] = ()
    facts: tuple[tuple[str, str], ...] = ()  # label/value pairs (profile figures, coauthor counts)
    suggestions: tuple[str, ...] = ()  # example questions, when nothing matched
    took_ms: float = 0.0
    coauthor: str | None = None  # the coauthor the question named, to mark in author lists
    about: Paper | None = None  # the paper a FACT answer's facts are about
    bibtex: str = ""  # a citation to paste, verbatim ("cite it")
    tentative: bool = False  # the best paper holds little of the question: the closest, not a match

    @property
    def found(self) -> bool:
        """True when the answer has papers or facts, not just an apology."""
        return bool(self.hits or self.facts or self.bibtex)
