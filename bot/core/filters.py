"""Which papers pass a list question's filters (member, coauthor, years, venue, kind, code, an
author's place...), found through position tables of the corpus rather than by testing every paper."""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache

from bot.core.intents import Query, QuestionReader
from bot.core.models import Paper
from bot.core.names import is_spelling_of
from bot.core.organisations import organisation_name
from bot.core.publications import KINDS, is_kind, within
from bot.core.text import fold
from bot.core.venues import venues_at


def _positions(papers: Sequence[Paper], keys: Callable[[Paper], Iterable[str]]) -> dict[str, array[int]]:
    """Each key's papers, by position in corpus order (newest first): 4 bytes a position, where
    tuples of Python ints took 5 MB for 50,000 papers' members, organisations and venues."""
    out: dict[str, array[int]] = {}
    for i, paper in enumerate(papers):
        for key in keys(paper):
            out.setdefault(key, array("i")).append(i)
    return out


class Filters:
    """The papers a list question's filters keep, newest first, for one corpus read by `reader`."""

    def __init__(self, papers: Sequence[Paper], reader: QuestionReader) -> None:
        self.papers = papers
        self.reader = reader
        self.positions = {p.id: i for i, p in enumerate(papers)}
        # Ascending: the corpus runs newest first. Two bytes a paper, not a Python int.
        self._minus_years = array("h", (-p.date.year for p in papers))
        self.by_member = _positions(papers, lambda p: p.members)
        self._by_organisation = _positions(papers, lambda p: (fold(p.organisation),))
        self._by_venue = _positions(papers, lambda p: (p.venue or "",))
        self._with_code = tuple(i for i, p in enumerate(papers) if p.code)
        self._by_coauthor = lru_cache(maxsize=256)(self._coauthor_positions)
        self._of_kind = lru_cache(maxsize=len(KINDS))(self._kind_positions)  # "his journal articles"
        self._placed_at = lru_cache(maxsize=64)(self._place_positions)  # "his first-author papers"
        self.venues_at = lru_cache(maxsize=256)(lambda asked: venues_at(self._by_venue, asked))

    def candidates(self, query: Query) -> Sequence[Paper]:
        """The papers a list question can name, newest first: narrowed through the smallest of the
        indexes its filters have (coauthor, member, papers in view, organisation, venue, code, years)
        before each paper is checked, so a list from 50,000 papers does not test every one of them."""
        papers = self.papers
        narrowed: list[Sequence[int]] = []
        if query.coauthor:
            narrowed.append(self._by_coauthor(query.coauthor))
        if query.member:
            narrowed.append(self.by_member.get(query.member, ()))
        if query.among is not None:
            narrowed.append(sorted(self.positions[i] for i in query.among if i in self.positions))
        if query.organisation:
            narrowed.append(self._by_organisation.get(fold(query.organisation), ()))
        if query.venue:  # "NeurIPS" is "NeurIPS 2022" and "NeurIPS 2023"; "NIME" is its proceedings
            narrowed.append(sorted(i for v in self.venues_at(query.venue) for i in self._by_venue[v]))
        if query.code:
            narrowed.append(self._with_code)
        if query.publication:
            narrowed.append(self._of_kind(query.publication))
        if query.position:
            narrowed.append(self._placed_at(query.position, query.coauthor, query.member))
        if query.years and not query.venue:  # a venue's own year may differ from the date
            low, high = query.years
            # Newest first: the years run down, so search their negatives.
            narrowed.append(range(bisect_left(self._minus_years, -high), bisect_right(self._minus_years, -low)))
        if not narrowed:
            return papers
        smallest = min(narrowed, key=len)
        return [papers[i] for i in smallest]

    @staticmethod
    def checks_each(query: Query) -> bool:
        """Whether each candidate paper must be checked against the query's filters (years alone are
        answered exactly by their slice of the corpus: nothing is left to check per paper)."""
        return any((query.coauthor, query.member, query.members, query.among is not None, query.organisation,
                    query.venue, query.code, query.years and query.venue, query.publication, query.also,
                    query.position))  # fmt: skip

    def passing(self, query: Query) -> list[Paper]:
        """The papers that pass every filter of `query`, newest first."""
        candidates = self.candidates(query)
        return [p for p in candidates if self.passes(p, query)] if self.checks_each(query) else list(candidates)

    def allowed(self, query: Query) -> list[int] | None:
        """The positions of the papers that pass every filter of `query`, newest first; None when it
        has no filter, so a search takes the whole index (listing 50,000 positions took 34 ms)."""
        return [self.positions[p.id] for p in self.passing(query)] if query.filtered or query.also else None

    def passes(self, paper: Paper, query: Query) -> bool:
        """Whether `paper` passes every filter of `query`."""
        # Sources spell one coauthor several ways ("Benjamin F. Grewe", "Benjamin F Grewe").
        if query.coauthor and not self.reader.people.wrote(query.coauthor, paper):
            return False
        if not all(self.reader.people.wrote(person, paper) for person in query.also):
            return False
        if query.member and query.member not in paper.members:
            return False
        if not all(self.reader.people.on_paper(member, paper) for member in query.members):
            return False
        if query.among is not None and paper.id not in query.among:
            return False
        if query.years:
            low, high = query.years
            year = paper.date.year
            if query.venue and paper.venue:
                year = int(m.group()) if (m := re.search(r"\d{4}", paper.venue)) else year
            if not low <= year <= high:
                return False
        if query.organisation and fold(paper.organisation) != fold(query.organisation):
            return False
        if query.venue and paper.venue not in self.venues_at(query.venue):
            return False
        if query.publication and not is_kind(paper, query.publication):
            return False
        if query.position and not self.placed(paper, query.position, query.coauthor, query.member):
            return False
        return not (query.code and not paper.code)

    def placed(self, paper: Paper, position: str, coauthor: str | None, member: str | None) -> bool:
        """Whether the coauthor, else the member, else any member, is the paper's first (or last)
        author. A list of authors cut short ("et al.") has no known last author."""
        if position == "last" and paper.authors_truncated:
            return False
        author = paper.authors[0 if position == "first" else -1]
        if coauthor:
            return self.reader.people.spellings.get(author) == coauthor
        return is_spelling_of(author, (member,) if member else paper.members)

    def kind(self, paper: Paper) -> str | None:
        """The paper's kind of publication, as the reader read it: "journal", "workshop"..."""
        return self.reader.paper_kinds[self.positions[paper.id]]

    def member_positions(self, member: str | None) -> Sequence[int]:
        """The positions of one member's papers, or of all of them, newest first."""
        return self.by_member.get(member, array("i")) if member else range(len(self.papers))

    def _kind_positions(self, key: str) -> tuple[int, ...]:
        return tuple(i for i, kind in enumerate(self.reader.paper_kinds) if within(kind, key))

    def _coauthor_positions(self, name: str) -> tuple[int, ...]:
        return tuple(i for i, p in enumerate(self.papers) if self.reader.people.wrote(name, p))

    def _place_positions(self, position: str, coauthor: str | None, member: str | None) -> tuple[int, ...]:
        """The positions of the papers `placed` keeps, in corpus order."""
        return tuple(i for i, p in enumerate(self.papers) if self.placed(p, position, coauthor, member))


def describe(query: Query) -> str:
    """What a list question asks for, as words after "papers", each after a space: " by Reed from
    2021 at CHI"; empty when it asks for all of them."""
    parts = []
    if query.member:
        parts.append(f"by {query.member}")
    if query.members or query.coauthor:
        people = (*query.members, *((query.coauthor, *query.also) if query.coauthor else ()))
        parts.append("with " + " and ".join(people))
    if query.years:
        low, high = query.years
        if low == high:
            parts.append(f"from {low}")
        elif high >= 9999:
            parts.append(f"since {low}")
        elif low <= 0:
            parts.append(f"before {high + 1}")
        else:
            parts.append(f"from {low} to {high}")
    if query.organisation:
        parts.append(f"with {organisation_name(query.organisation)}")
    if query.venue:
        parts.append(f"at {query.venue}")
    if query.code:
        parts.append("with code")
    if query.position:
        who = query.coauthor or query.member
        parts.append(f"with {who} as {query.position} author" if who else f"as {query.position} author")
    if query.among is not None:
        parts.append("among those")
    return "".join(f" {part}" for part in parts)
