"""Plain data that crosses every boundary: papers, the profile, hits and answers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True)
class Paper:
    """One paper of the corpus, as validated from YAML."""

    id: str
    title: str
    date: dt.date
    category: str  # arXiv name, e.g. "cs.LG"
    organisation: str  # may be empty
    authors: tuple[str, ...]
    authors_truncated: bool  # the list ends in "et al." in the source
    abstract: str
    url: str
    pdf: str | None = None
    code: str | None = None
    venue: str | None = None
    arxiv: str | None = None

    @property
    def year(self) -> int:
        return self.date.year


@dataclass(frozen=True)
class Profile:
    """The researcher the corpus is about, with the figures of the profile page."""

    name: str
    category: str = ""  # main arXiv category, e.g. "cs.LG"
    h_index: int | None = None
    paper_count: int | None = None
    citations: int | None = None
    novelty: int | None = None  # percent
    ai_score: int | None = None
    taken: dt.date | None = None  # when the profile was read, where known
    year: int | None = None  # the year the profile was taken: dates without a year belong to it


@dataclass(frozen=True)
class Corpus:
    """A validated corpus: one profile and its papers, newest first."""

    profile: Profile
    papers: tuple[Paper, ...]
    sources: tuple[str, ...] = ()  # files it was loaded from

    def by_id(self, paper_id: str) -> Paper | None:
        """The paper with this id, if any."""
        for paper in self.papers:
            if paper.id == paper_id:
                return paper
        return None


class Intent(StrEnum):
    """What kind of question was asked; decides how the answer was found."""

    TOPIC = "topic"  # free-text retrieval over titles and abstracts
    PAPER = "paper"  # one paper named by id, title or acronym
    COAUTHOR = "coauthor"  # papers written with someone
    COAUTHORS = "coauthors"  # most frequent coauthors
    YEAR = "year"  # papers of a year or a span of years
    NEWEST = "newest"
    OLDEST = "oldest"
    ORGANISATION = "organisation"
    VENUE = "venue"
    CODE = "code"  # papers with code available
    PROFILE = "profile"  # h-index, citations, number of papers...
    LIST = "list"  # all papers
    HELP = "help"
    NONE = "none"  # nothing relevant: the answer says so


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
    text: str = ""  # the full plain-text reply
    took_ms: float = 0.0
    owner: str = field(default="", compare=False)  # the profile's name, to mark in author lists

    @property
    def found(self) -> bool:
        """True when the answer has papers or facts, not just an apology."""
        return bool(self.hits or self.facts)
