"""`ingest`: a researcher's papers from their sources (BibTeX, a profile, OpenAlex, arXiv...) into a corpus file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.cli.command import AddCommand
from bot.cli.output import say
from bot.sources import ONLINE


def _year(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a year such as 2026, got {text!r}") from None
    if not 1991 <= year <= 2100:
        raise argparse.ArgumentTypeError(f"expected a year from 1991 (arXiv's first) to 2100, got {year}")
    return year


def register(add: AddCommand) -> None:
    p = add("ingest", "write a corpus file from a researcher's sources", __doc__)
    p.add_argument(
        "sources", nargs="+", metavar="SOURCE",
        help="a .bib file, a profile .txt, a metadata .yaml, a saved .json (OpenAlex, Semantic Scholar, ORCID) or "
        f".xml (arXiv, DBLP), or online: {', '.join(k + ':ID' for k in ONLINE)} (arxiv:\"First Last\")",
    )  # fmt: skip
    p.add_argument("--researcher", default="", help='whose papers these are: "Full Name" (default: the profile\'s)')
    p.add_argument("--overrides", type=Path, metavar="FILE.yaml", help="aliases, papers to drop, fields to set")
    p.add_argument("--year", type=_year, help="the year a profile text was taken, for its dates without one")
    p.add_argument("--contact", default="", help="an e-mail for online sources' User-Agent (default: lab.contact)")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="OUT.yaml", help="the corpus file to write")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    # Imported here: the sources and their HTTP client are most of the command line's start-up.
    from bot.ingest.pipeline import ingest
    from bot.ingest.writer import write_text

    contact = args.contact
    if not contact and any(s.split(":")[0] in ONLINE for s in args.sources):
        from bot.config import load_settings

        contact = load_settings(args.config).lab.contact
    result = ingest(args.sources, args.researcher, args.output, overrides_path=args.overrides, year=args.year,
                    contact=contact)  # fmt: skip
    for line in result.report:
        say(line, file=sys.stderr)
    for warning in result.warnings:
        say(f"warning: {warning}", file=sys.stderr)
    write_text(args.output, result.text)
    say(f"wrote {len(result.papers)} papers of {result.profile.name} to {args.output}", file=sys.stderr)
    return 0
