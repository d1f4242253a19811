"""`papers`: the list of papers, newest first, optionally filtered."""

from __future__ import annotations

import argparse

from bot.app import load
from bot.cli.command import AddCommand
from bot.cli.output import say
from bot.core.publications import KINDS
from bot.render.terminal import Terminal


def register(add: AddCommand) -> None:
    p = add("papers", "list the papers, newest first", __doc__)
    p.add_argument("--year", type=int, help="only papers of this year")
    p.add_argument("--coauthor", help="only papers with this coauthor (part of the name is enough)")
    p.add_argument("--topic", help="only papers about this topic")
    p.add_argument("--member", help="only this lab member's papers (part of the name is enough)")
    p.add_argument("--kind", choices=sorted(KINDS), help="only papers of this kind: journal articles, preprints...")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    _, engine = load(args.config)
    papers = engine.list_papers(year=args.year, coauthor=args.coauthor, topic=args.topic, member=args.member,
                                kind=args.kind)  # fmt: skip
    if not papers:
        say("No paper matches these filters.")
        return 1
    Terminal().papers(papers)
    return 0
