"""The terminal's view of answers and papers, drawn with rich: bold and underline rather than `**` and
`__`, wrapped to the window, titles that are links where the terminal supports them.

Plain text, 80 columns wide, when the output is not a terminal (a pipe, a file, a test) or NO_COLOR is
set. Whatever a corpus holds, control characters never reach the terminal: every text from it goes
through `printable` before rich sees it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from typing import TextIO

from rich.console import Console
from rich.style import Style
from rich.text import Text

from bot.core.models import Answer, Hit, Intent, Paper
from bot.core.organisations import organisation_name
from bot.core.text import printable
from bot.render.parts import Mark, link_line, paper_meta, shown_authors
from bot.settings import ReplySettings

PLAIN_WIDTH = 80
INDENT = "   "
MEMBER = Style(bold=True)
ASKED = Style(underline=True)
MARKS = {Mark.MEMBER: MEMBER, Mark.ASKED: ASKED, Mark.PLAIN: Style()}


def styled(stream: TextIO, environ: Mapping[str, str]) -> bool:
    """Whether to draw with styles and links: on a terminal, unless NO_COLOR asks for plain text."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not environ.get("NO_COLOR")


class Terminal:
    """Prints answers, papers and lists to one stream, styled or plain."""

    def __init__(self, stream: TextIO | None = None, environ: Mapping[str, str] | None = None,
                 width: int | None = None) -> None:  # fmt: skip
        stream = stream or sys.stdout
        self.styled = styled(stream, os.environ if environ is None else environ)
        self.console = Console(
            file=stream, width=width or (None if self.styled else PLAIN_WIDTH), force_terminal=self.styled,
            color_system="auto" if self.styled else None, highlight=False, markup=False, emoji=False,
            soft_wrap=False,
        )  # fmt: skip

    # -- building blocks ---------------------------------------------------------------------

    def block(self, text: Text | str, first: str = "", rest: str | None = None) -> None:
        """`text` wrapped to the width, its first line after `first`, the others after `rest`."""
        body = text if isinstance(text, Text) else Text(printable(text))
        rest = first if rest is None else rest
        room = max(20, self.console.width - max(len(first), len(rest)))
        for paragraph in body.split("\n", allow_blank=True):
            if not paragraph.plain.strip():
                self.console.print()
                continue
            for i, line in enumerate(paragraph.wrap(self.console, room)):
                line.rstrip()
                self.console.print(Text(first if i == 0 else rest) + line, overflow="ignore", crop=False)
            first = rest

    def line(self, text: Text | str = "") -> None:
        self.block(text)

    def title(self, paper: Paper, prefix: str = "") -> Text:
        """A paper's title, bold, a link to where to read it."""
        return Text(prefix) + Text(printable(paper.title), style=Style(bold=True, link=paper.link))

    def authors(self, paper: Paper, most: int, asked: str | None = None) -> Text:
        """Members in bold, the asked coauthor underlined, "et al." for the rest."""
        authors = shown_authors(paper, most, asked)
        text = Text()
        for i, (name, mark) in enumerate(authors.shown):
            if i:
                text.append(", ")
            text.append(printable(name), style=MARKS[mark])
        if authors.hidden or authors.truncated:
            text.append(" et al.")
        return text

    # -- what the commands print -------------------------------------------------------------

    def answer(self, answer: Answer, reply: ReplySettings) -> None:
        """The whole reply: headline, figures, papers, suggestions."""
        self.block(Text(printable(answer.headline), style="bold"))
        if answer.facts:
            self.line()
            for label, value in answer.facts:
                self.block(Text(printable(label) + ": ", style="bold") + Text(printable(value)), "- ", "  ")
        if answer.intent is Intent.CLARIFY:  # numbered, as a follow-up may name them ("the second one")
            self.line()
            for n, hit in enumerate(answer.hits, 1):
                self.block(self.title(hit.paper) + Text(f" ({hit.paper.year})"), f"{n}. ".ljust(len(INDENT)), INDENT)
        else:
            for n, hit in enumerate(answer.hits, 1):
                if reply.style != "compact":
                    self.line()
                self.hit(n, hit, reply, answer.coauthor)
        if answer.bibtex:  # unwrapped, to paste as it is
            self.line()
            self.console.print(Text(printable(answer.bibtex)), soft_wrap=True)
        if answer.suggestions:
            self.line()
            self.line("You can ask, for example:")
            for suggestion in answer.suggestions:
                self.block(suggestion, "- ", "  ")
        self.line()

    def hit(self, n: int, hit: Hit, reply: ReplySettings, asked: str | None = None) -> None:
        paper = hit.paper
        number = f"{n}. ".ljust(len(INDENT))
        if reply.style == "compact":
            self.block(self.title(paper) + Text(f" ({paper.year}): {paper.link}"), number, INDENT)
            return
        self.block(self.title(paper), number, INDENT)
        self.block(paper_meta(paper), INDENT)
        self.block(self.authors(paper, reply.max_authors, asked), INDENT)
        self.block(link_line(paper), INDENT)
        if hit.summary:
            self.block(hit.summary, INDENT)

    def paper(self, paper: Paper, related: Sequence[Hit] = (), names: Sequence[str] = ()) -> None:
        """One paper in full: every field, the whole abstract, and the papers nearest to it."""
        known = Text(f"  ({printable(', '.join(names))})") if names else Text()
        self.block(self.title(paper) + known)
        self.block(paper_meta(paper))
        self.block(self.authors(paper, len(paper.authors) or 1))
        if paper.organisation:
            self.block(f"Organisation: {organisation_name(paper.organisation)}")
        self.block(f"Link: {paper.link}")
        if paper.pdf:
            self.block(f"PDF: {paper.pdf}")
        if paper.code:
            self.block(f"Code: {paper.code}")
        self.line()
        self.block(paper.abstract)
        if related:
            self.line()
            self.line(Text("Related papers:", style="bold"))
            for hit in related:
                self.block(self.title(hit.paper) + Text(f" ({hit.paper.year}): {hit.paper.link}"), "- ", "  ")

    def papers(self, papers: Sequence[Paper]) -> None:
        """One paper a line (wrapped under its title): date, title, id."""
        for paper in papers:
            date = f"{paper.date_iso:<10}  "
            self.block(self.title(paper) + Text(f"  [{printable(paper.id)}]"), date, " " * len(date))

    def counts(self, counts: Sequence[tuple[str, int]]) -> None:
        """Names with how many papers each, most first."""
        for name, count in counts:
            self.block(printable(name), f"{count:3d}  ", " " * 5)
