"""`stats`: papers per year (by member in a lab) and the most frequent coauthors, in words or as a PNG."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.app import load
from bot.cli.command import AddCommand
from bot.cli.output import say
from bot.errors import PaperbotError
from bot.render.chart import describe, stats_picture
from bot.render.terminal import Terminal


def register(add: AddCommand) -> None:
    p = add("stats", "papers per year and most frequent coauthors, in words or as a picture", __doc__)
    p.add_argument("member", nargs="*", help="a lab member (default: the whole lab)")
    p.add_argument("--png", type=Path, metavar="FILE", help="also draw the picture /stats shows, to FILE")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    _, engine = load(args.config)
    typed = " ".join(args.member)
    member = engine.match_member(typed) if typed else None
    if typed and member is None:
        say(f"No lab member matches {typed!r}.")
        return 1
    coauthors = engine.coauthor_counts(member)
    Terminal().block(describe(engine.corpus, coauthors, member))
    if args.png is not None:
        picture = stats_picture(engine.corpus, coauthors, member)
        try:
            args.png.write_bytes(picture.png)
        except OSError as err:
            raise PaperbotError(f"{args.png}: cannot write the picture: {err.strerror or err}") from None
        say(f"wrote {args.png} ({len(picture.png):,} bytes)", file=sys.stderr)
    return 0
