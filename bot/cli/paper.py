"""`paper`: one paper's full card, found by id, acronym or title."""

from __future__ import annotations

import argparse

from bot.app import load
from bot.cli.command import AddCommand
from bot.cli.output import named_paper
from bot.render.terminal import Terminal


def register(add: AddCommand) -> None:
    p = add("paper", "show one paper in full", __doc__)
    p.add_argument("key", nargs="+", help="a paper's id, an acronym it goes by, or its title")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    _, engine = load(args.config)
    key = " ".join(args.key)
    paper = named_paper(engine, key)
    if paper is None:
        return 1
    names = engine.acronyms.get(paper, ())
    Terminal().paper(paper, engine.related(paper), names)
    return 0
