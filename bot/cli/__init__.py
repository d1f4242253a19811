"""The command line: `python -m bot COMMAND ...`. Each command lives in a module of its own."""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from bot import __version__
from bot.cli.output import say
from bot.errors import PaperbotError
from bot.redact import redact
from bot.secrets import secret_values

# Module name under bot.cli for each command, in the order `--help` lists them.
COMMANDS: tuple[str, ...] = (
    "ask",
    "chat",
    "papers",
    "paper",
    "cite",
    "coauthors",
    "stats",
    "check",
    "ingest",
    "update",
    "schema",
    "bench",
    "run",
    "health",
    "sync",
)
CONFIG_HELP = "config file (default: $BOT_CONFIG or config/config.yaml, with config/local.yaml over it)"


def build_parser() -> argparse.ArgumentParser:
    """The parser with one sub-command per module of `COMMANDS`; `--config` goes before or after the command."""
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    parser.add_argument("--version", action="version", version=f"paperbot {__version__}")
    parser.add_argument("--config", type=Path, default=None, help=CONFIG_HELP)
    # The same option on every command; SUPPRESS keeps an absent one from undoing the one given first.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", type=Path, default=argparse.SUPPRESS, help=CONFIG_HELP)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add(name: str, help: str, description: str | None) -> argparse.ArgumentParser:
        return sub.add_parser(name, parents=[common], help=help, description=description)

    for name in COMMANDS:
        importlib.import_module(f"bot.cli.{name}").register(add)
    return parser


def fail(message: str) -> None:
    """Print one error line on stderr: printable, with the token and anything shaped like one redacted."""
    say(f"error: {redact(message, secret_values())}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; a `PaperbotError` is printed as one line, never as a traceback."""
    args = build_parser().parse_args(argv)
    try:
        code: int = args.handler(args)
    except PaperbotError as err:
        fail(str(err))
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`... | head`): not an error, and nothing more to print.
        sys.stderr.close()
        return 0
    except Exception:  # a bug: the traceback helps, but it must not carry the token
        say(redact(traceback.format_exc(), secret_values()), file=sys.stderr, end="")
        return 1
    return code
