"""The command line: `python -m bot COMMAND ...`. Each command lives in a module of its own."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.errors import PaperbotError

# Module name under bot.cli for each command, in the order `--help` lists them.
COMMANDS: tuple[str, ...] = (
    "ask",
    "chat",
    "papers",
    "paper",
    "coauthors",
    "check",
    "ingest",
    "bench",
    "run",
    "sync",
)


def build_parser() -> argparse.ArgumentParser:
    """The parser with one sub-command per module of `COMMANDS`."""
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    parser.add_argument(
        "--config", type=Path, default=None, help="config file (default: $BOT_CONFIG or config/config.yaml)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        importlib.import_module(f"bot.cli.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; a `PaperbotError` is printed as one line, never as a traceback."""
    args = build_parser().parse_args(argv)
    try:
        code: int = args.handler(args)
    except PaperbotError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`... | head`): not an error, and nothing more to print.
        sys.stderr.close()
        return 0
    return code
