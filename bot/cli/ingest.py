"""`ingest`: turn a researcher profile (and its bibliographic metadata) into a corpus YAML file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.cli.command import AddCommand
from bot.cli.output import say
from bot.core.ingest import METADATA_NAME, ingest, write_text


def _year(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a year such as 2026, got {text!r}") from None
    if not 1991 <= year <= 2100:
        raise argparse.ArgumentTypeError(f"expected a year from 1991 (arXiv's first) to 2100, got {year}")
    return year


def register(add: AddCommand) -> None:
    p = add("ingest", "write a corpus YAML file from a researcher profile", __doc__)
    p.add_argument("profile", type=Path, metavar="PROFILE.txt", help="the profile text copied from a profile page")
    p.add_argument(
        "--metadata",
        type=Path,
        metavar="META.yaml",
        help=f"bibliographic metadata merged by title (default: {METADATA_NAME} beside the profile, if present)",
    )
    p.add_argument(
        "--year",
        type=_year,
        help="the year the profile was taken, for dates without one (default: the profile file's modification year)",
    )
    p.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.yaml", help="the corpus file to write")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    result = ingest(args.profile, args.metadata, args.year, args.output.name)
    for warning in result.warnings:
        say(f"warning: {warning}", file=sys.stderr)
    write_text(args.output, result.text)
    say(
        f"wrote {len(result.corpus.papers)} papers to {args.output} ({result.with_metadata} with metadata)",
        file=sys.stderr,
    )
    return 0
