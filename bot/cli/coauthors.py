"""`coauthors`: the most frequent coauthors, or the papers shared with one of them."""

from __future__ import annotations

import argparse

from bot.app import load
from bot.cli.command import AddCommand
from bot.cli.output import say
from bot.render.terminal import Terminal


def register(add: AddCommand) -> None:
    p = add("coauthors", "most frequent coauthors, or papers with one", __doc__)
    p.add_argument("name", nargs="*", help="a coauthor's name or part of it")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    _, engine = load(args.config)
    terminal = Terminal()
    if not args.name:
        terminal.counts(engine.coauthor_counts())
        return 0
    typed = " ".join(args.name)
    person = engine.match_coauthor(typed)
    if person is None:
        say(f"No coauthor matches {typed!r}.")
        return 1
    papers = engine.list_papers(coauthor=person)
    say(f"{len(papers)} paper{'s' * (len(papers) != 1)} with {person}:")
    terminal.papers(papers)
    return 0
