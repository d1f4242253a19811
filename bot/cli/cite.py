"""`cite`: a paper's BibTeX entry, by id, acronym or title, ready to paste."""

from __future__ import annotations

import argparse

from bot.app import load
from bot.cli.command import AddCommand
from bot.cli.output import named_paper, say
from bot.core.citation import bibtex


def register(add: AddCommand) -> None:
    p = add("cite", "print a paper's BibTeX entry", __doc__)
    p.add_argument("key", nargs="+", help="a paper's id, an acronym it goes by, or its title")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    _, engine = load(args.config)
    key = " ".join(args.key)
    paper = named_paper(engine, key)
    if paper is None:
        return 1
    say(bibtex(paper))
    return 0
