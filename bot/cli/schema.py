"""`schema`: the JSON Schema of a corpus file, for editors that check YAML as it is typed (docs/corpus.md)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.cli.command import AddCommand
from bot.cli.output import say
from bot.core.schema import json_schema
from bot.errors import PaperbotError


def schema_text() -> str:
    """The JSON Schema as the command prints it (docs/corpus.schema.json is this, with a final newline)."""
    return json.dumps(json_schema(), indent=2)


def register(add: AddCommand) -> None:
    p = add("schema", "print the JSON Schema of a corpus file", __doc__)
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write it to FILE instead of printing it")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    text = schema_text()
    if args.output is None:
        say(text)
        return 0
    try:
        args.output.write_text(text + "\n", encoding="utf-8")
    except OSError as err:
        raise PaperbotError(f"{args.output}: cannot write the schema: {err.strerror or err}") from None
    say(f"wrote the corpus JSON Schema to {args.output}", file=sys.stderr)
    return 0
