"""The stats picture: papers per year (by member in a lab) and the most frequent coauthors, as a PNG.

Drawn with matplotlib's Agg backend, which needs no screen and no global state (no pyplot); matplotlib
is imported on the first picture only, so nothing else pays for it. Every picture comes with the same
figures in words, for screen readers and for anyone who cannot see it.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from bot.core.models import Corpus
from bot.core.stats import papers_per_year, papers_per_year_by_member
from bot.core.text import cut

TOP_COAUTHORS = 10
NAME = 24  # a coauthor's name beside its bar: the margin is fixed
COLOURS = ("#5865F2", "#E67E22", "#2E8B57", "#C0392B", "#8E44AD", "#17A2B8", "#7F8C8D", "#D4AC0D")


@dataclass(frozen=True)
class Picture:
    """A PNG and what it shows, in words (its alt text)."""

    png: bytes
    description: str


def _by_year(counts: tuple[tuple[int, int], ...]) -> str:
    return ", ".join(f"{year}: {n}" for year, n in sorted(counts))


Series = tuple[tuple[str, tuple[tuple[int, int], ...]], ...]  # (name, ((year, papers), ...)) per bar colour


def _series(corpus: Corpus, member: str | None) -> tuple[str, Corpus, Series]:
    """Whose figures these are, their papers, and papers per year: one series per member in a lab."""
    if member is not None:
        corpus = corpus.of_member(member)
        return member, corpus, ((member, tuple(sorted(papers_per_year(corpus)))),)
    members = papers_per_year_by_member(corpus)
    if len(members) > 1:
        return corpus.name, corpus, members
    return corpus.name, corpus, ((corpus.name, tuple(sorted(papers_per_year(corpus)))),)


def describe(corpus: Corpus, coauthors: tuple[tuple[str, int], ...], member: str | None = None) -> str:
    """The picture's figures in words: papers per year (per member in a lab), the top coauthors."""
    name, corpus, series = _series(corpus, member)
    total = len(corpus.papers)
    parts = [f"Bar charts of the {total} paper{'s' * (total != 1)} of {name}."]
    if len(series) > 1:
        parts.append("Papers per year, by member: " + "; ".join(f"{m}: {_by_year(c)}" for m, c in series) + ".")
    else:
        parts.append(f"Papers per year: {_by_year(series[0][1])}.")
    top = coauthors[:TOP_COAUTHORS]
    if top:
        parts.append("Most frequent coauthors: " + ", ".join(f"{n} ({c})" for n, c in top) + ".")
    else:
        parts.append("No coauthors.")
    return " ".join(parts)


def stats_picture(corpus: Corpus, coauthors: tuple[tuple[str, int], ...], member: str | None = None) -> Picture:
    """Papers per year and the most frequent `coauthors` of a lab, or of one `member`."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    name, _, members = _series(corpus, member)
    years = sorted({y for _, counts in members for y, _ in counts})
    span = list(range(years[0], years[-1] + 1)) if years else []
    top = coauthors[:TOP_COAUTHORS]

    # Fixed margins, not a layout engine: constrained layout measures every label and doubles the time.
    figure = Figure(figsize=(10, 4.5), dpi=100)
    FigureCanvasAgg(figure)
    grid = {"left": 0.05, "right": 0.96, "bottom": 0.13, "top": 0.86, "wspace": 0.42, "width_ratios": (1.1, 1)}
    per_year, people = figure.subplots(1, 2, gridspec_kw=grid)
    width = 0.8 / max(1, len(members))
    for i, (name, counts) in enumerate(members):
        by_year = dict(counts)
        offsets = [y - 0.4 + width * (i + 0.5) for y in span]
        per_year.bar(offsets, [by_year.get(y, 0) for y in span], width=width, label=name,
                     color=COLOURS[i % len(COLOURS)])  # fmt: skip
    per_year.set_title("Papers per year")
    per_year.set_xticks(span, [str(y) for y in span], rotation=45 if len(span) > 8 else 0)
    per_year.yaxis.get_major_locator().set_params(integer=True)
    if len(members) > 1:
        per_year.legend(frameon=False, fontsize="small")
    names = [cut(n, NAME) for n, _ in reversed(top)]
    bars = people.barh(names, [c for _, c in reversed(top)], color=COLOURS[0])
    people.bar_label(bars, padding=2)
    people.set_title("Most frequent coauthors" if top else "No coauthors")
    people.xaxis.get_major_locator().set_params(integer=True)
    for axes in (per_year, people):
        axes.spines[["top", "right"]].set_visible(False)
    figure.suptitle(name, fontweight="bold")
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a name in a script the font lacks is drawn as boxes, not an error
        figure.savefig(out, format="png")
    return Picture(out.getvalue(), describe(corpus, coauthors, member))
