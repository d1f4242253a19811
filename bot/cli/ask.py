"""`ask`: answer one question, or one per line from standard input with `-`."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from bot.app import load
from bot.cli.command import AddCommand
from bot.cli.output import say
from bot.core.conversation import Conversation
from bot.core.followups import converse
from bot.render.json import answer_to_dict
from bot.render.terminal import Terminal


def register(add: AddCommand) -> None:
    p = add("ask", "answer a question", __doc__)
    p.add_argument("question", nargs="+", help="the question, or - to read one question per line from stdin")
    p.add_argument("--json", action="store_true", help="print one JSON object per answer")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    settings, engine = load(args.config)
    if args.question == ["-"]:
        questions: Any = (line.rstrip("\n") for line in sys.stdin)
    else:
        questions = [" ".join(args.question)]
    terminal = Terminal()
    for question in questions:
        # Read as a first question on Discord is ("cite COCOA" gives its BibTeX); each one on its own.
        answer = converse(engine, question, Conversation()).answer
        if args.json:
            say(json.dumps(answer_to_dict(answer, settings.reply), ensure_ascii=False))
        else:
            terminal.answer(answer, settings.reply)
    return 0
