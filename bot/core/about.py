"""Who a researcher, or a lab, is as their papers tell it: "who is he?", "what does she work on?"."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from bot.core.categories import category_name
from bot.core.models import Corpus, Paper
from bot.core.publications import counted
from bot.core.stats import papers_per_category, papers_per_year

FIELDS = 3  # arXiv categories named
COAUTHORS = 5  # coauthors named
TYPICAL = 3  # papers shown: the most typical of the work
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
