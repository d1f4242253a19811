"""Who a researcher, or a lab, is as their papers tell it: "who is he?", "what does she work on?",
"who is in the lab?", where they publish, how many papers a year."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from bot.core.categories import category_name
from bot.core.models import Corpus, Paper
from bot.core.publications import counted, counts
from bot.core.stats import papers_per_category, papers_per_year
from bot.core.text import listed
from bot.core.venues import series, shown_series

FIELDS = 3  # arXiv categories named
COAUTHORS = 5  # coauthors named
TYPICAL = 3  # papers shown: the most typical of the work
MAX_VENUES = 10  # venues listed one by one for "where does she publish?"; the rest are counted (a phone's screen)
MEMBERS_LISTED = 12  # members named one by one in a lab's facts; the rest are counted (a phone's screen)
PAIRS_LISTED = 3  # groups of members who share papers, named in a lab's facts


def about_facts(
    corpus: Corpus, coauthors: Sequence[tuple[str, int]], kinds: Sequence[tuple[str, int]]
) -> tuple[tuple[str, str], ...]:
    """What the papers say of their authors, as label/value pairs: how many papers and of which years,
    of which kinds (`kinds`: how many of each, the commonest first), in which fields
    (where sources gave arXiv categories), and with whom most."""
    facts = [("Papers here", _papers_and_years(corpus))]
    if kinds:
        facts.append(("Published as", ", ".join(counted(k, n) for k, n in kinds)))
    fields = [(category_name(c), n) for c, n in papers_per_category(corpus) if c][:FIELDS]
    if fields:
        facts.append(("Fields", ", ".join(f"{name} ({n})" for name, n in fields)))
    if coauthors:
        facts.append(("Writes most with", ", ".join(f"{name} ({n})" for name, n in coauthors[:COAUTHORS])))
    return tuple(facts)


def member_facts(corpus: Corpus) -> tuple[tuple[str, str], ...]:
    """A lab's members, most papers first, each with how many papers and of which years; then how
    many papers two or more of them share (each counted once in the lab's total)."""
    members = [(m.name, corpus.of_member(m.name)) for m in corpus.members]
    ranked = sorted(((name, own) for name, own in members if own.papers), key=lambda kv: (-len(kv[1].papers), kv[0]))
    facts = [(name, _papers_and_years(own, named=True)) for name, own in ranked[:MEMBERS_LISTED]]
    if rest := ranked[MEMBERS_LISTED:]:
        facts.append((f"{len(rest)} other members", counted(None, sum(len(own.papers) for _, own in rest))))
    # Which members write together, as far as their papers show: "2 papers, Meulemans and Henning".
    together = Counter(p.members for p in corpus.papers if len(p.members) > 1)
    if together:
        pairs = "; ".join(f"{' and '.join(names)} ({n})" for names, n in together.most_common(PAIRS_LISTED))
        facts.append(("Shared", f"{counted(None, sum(together.values()))}, each counted once: {pairs}"))
    return tuple(facts)


def _papers_and_years(corpus: Corpus, named: bool = False) -> str:
    """How many papers and of which years: "15, 2020–2026", or `named` "15 papers, 2020–2026"."""
    years = [year for year, _ in papers_per_year(corpus)]
    span = f"{years[-1]}–{years[0]}" if len(years) > 1 else f"{years[0]}" if years else ""
    papers = counted(None, len(corpus.papers)) if named else str(len(corpus.papers))
    return f"{papers}, {span}" if span else papers


def by_members(counts: Counter[str]) -> str:
    """Papers by member, most first, by surname: "Reed 13, McGlinn 4"."""
    return ", ".join(f"{name.split()[-1]} {n}" for name, n in counts.most_common())


def per_year_facts(
    papers: Sequence[Paper], by_member: bool = False
) -> tuple[tuple[tuple[str, str], ...], tuple[int, int]]:
    """Each year's number of papers, newest year first, and the busiest year with its count (the
    newest of equals); `by_member`: each year's papers by member too, most first."""
    years: dict[int, list[Paper]] = {}
    for paper in papers:
        years.setdefault(paper.date.year, []).append(paper)
    facts = []
    for year, of_year in sorted(years.items(), reverse=True):
        value = counted(None, len(of_year))
        if by_member:
            value += f" ({by_members(Counter(m for p in of_year for m in p.members))})"
        facts.append((str(year), value))
    busiest = max(years.items(), key=lambda kv: (len(kv[1]), kv[0]))
    return tuple(facts), (busiest[0], len(busiest[1]))


def venue_facts(
    papers: Sequence[Paper], kinds: Sequence[str | None], by_member: bool = False
) -> tuple[tuple[str, str], ...]:
    """Where `papers` appeared (`kinds`: each one's kind of publication), a row per venue with how
    many and which years, most papers first; then how many other venues and papers without one.
    `by_member`: whose papers each venue's are."""
    years: dict[str, list[int]] = {}
    members: dict[str, Counter[str]] = {}
    of_kinds: dict[str, list[str | None]] = {}
    # One row per venue however its papers name it: "ICLR 2021" and BibTeX's "International
    # Conference on Learning Representations" are ICLR; NeurIPS' workshops are NeurIPS', as the row
    # says ("1 conference paper and 2 workshop papers").
    shown = shown_series(series(p.venue)[0] for p in papers if p.venue)
    for paper, kind in zip(papers, kinds, strict=True):
        if paper.venue:
            name, year = series(paper.venue)
            years.setdefault(shown[name], []).append(year or paper.date.year)
            members.setdefault(shown[name], Counter()).update(paper.members)
            of_kinds.setdefault(shown[name], []).append(kind)
    ranked = sorted(years.items(), key=lambda kv: (-len(kv[1]), kv[0].casefold()))
    facts = []
    for name, ys in ranked[:MAX_VENUES]:
        kind_counts = counts(of_kinds[name])
        split = f"; {listed([counted(k, n) for k, n in kind_counts])}" if len(kind_counts) > 1 else ""
        value = f"{counted(None, len(ys))} ({', '.join(map(str, sorted(set(ys))))}{split})"
        facts.append((name, value + (f": {by_members(members[name])}" if by_member else "")))
    if rest := ranked[MAX_VENUES:]:
        facts.append((f"{len(rest)} other venues", counted(None, sum(len(ys) for _, ys in rest))))
    if unrecorded := len(papers) - sum(len(ys) for ys in years.values()):
        facts.append(("No venue recorded", f"{counted(None, unrecorded)} (preprints, or venues their sources omit)"))
    return tuple(facts)
