"""Counts over a corpus: papers per year and category, most frequent coauthors."""

from __future__ import annotations

from collections import Counter

from bot.core.models import Corpus
from bot.core.names import is_spelling_of, spellings_merged


def papers_per_year(corpus: Corpus) -> tuple[tuple[int, int], ...]:
    """(year, number of papers), newest year first."""
    counts = Counter(p.date.year for p in corpus.papers)
    return tuple(sorted(counts.items(), reverse=True))


def papers_per_category(corpus: Corpus) -> tuple[tuple[str, int], ...]:
    """(arXiv category, number of papers), most papers first."""
    counts = Counter(p.category for p in corpus.papers)
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def coauthor_counts(corpus: Corpus) -> tuple[tuple[str, int], ...]:
    """(coauthor, papers together), most frequent first, the lab's members left out."""
    spelled = Counter(a for p in corpus.papers for a in p.authors if not is_spelling_of(a, p.members))
    shown = spellings_merged(spelled)
    # One person however each paper spelled them; a paper counts once per person.
    counts = Counter(
        name for p in corpus.papers for name in {shown[a] for a in p.authors if a in shown}
    )
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def papers_per_year_by_member(corpus: Corpus) -> tuple[tuple[str, tuple[tuple[int, int], ...]], ...]:
    """(member, ((year, papers), ...) oldest year first) for each member with papers, in the corpus's
    order of members; a paper of two members counts for each."""
    out = []
    for member in corpus.members:
        counts = Counter(p.date.year for p in corpus.papers if member.name in p.members)
        if counts:
            out.append((member.name, tuple(sorted(counts.items()))))
    return tuple(out)
