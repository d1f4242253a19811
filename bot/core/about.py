"""Who a researcher, or a lab, is as their papers tell it: "who is he?", "what does she work on?"."""

from __future__ import annotations

from collections.abc import Sequence

from bot.core.categories import category_name
from bot.core.models import Corpus
from bot.core.publications import counted
from bot.core.stats import papers_per_category, papers_per_year

FIELDS = 3  # arXiv categories named
COAUTHORS = 5  # coauthors named
TYPICAL = 3  # papers shown: the most typical of the work


def about_facts(
    corpus: Corpus, coauthors: Sequence[tuple[str, int]], kinds: Sequence[tuple[str, int]]
) -> tuple[tuple[str, str], ...]:
    """What the papers say of their authors, as label/value pairs: how many papers and of which years,
    of which kinds (`kinds`: how many of each, the commonest first), in which fields
    (where sources gave arXiv categories), and with whom most."""
    papers = len(corpus.papers)
    years = [year for year, _ in papers_per_year(corpus)]
    span = f"{years[-1]}–{years[0]}" if len(years) > 1 else f"{years[0]}" if years else ""
    facts = [("Papers here", f"{papers}, {span}" if span else str(papers))]
    if kinds:
        facts.append(("Published as", ", ".join(counted(k, n) for k, n in kinds)))
    fields = [(category_name(c), n) for c, n in papers_per_category(corpus) if c][:FIELDS]
    if fields:
        facts.append(("Fields", ", ".join(f"{name} ({n})" for name, n in fields)))
    if coauthors:
        facts.append(("Writes most with", ", ".join(f"{name} ({n})" for name, n in coauthors[:COAUTHORS])))
    return tuple(facts)
