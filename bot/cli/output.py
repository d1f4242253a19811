"""Everything the command line prints goes through `say`: printable text only, whatever a corpus holds."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, TextIO

from bot.core.text import printable

if TYPE_CHECKING:  # every command imports this module; only some build an engine
    from bot.core.engine import Engine
    from bot.core.models import Paper


def named_paper(engine: Engine, key: str) -> Paper | None:
    """The paper `key` names (id, acronym or title), or None once the terminal has been told."""
    paper = engine.find_paper(key)
    if paper is None:
        say(f"No paper matches {key!r}. `python -m bot papers` lists them all.")
    return paper


def say(text: str = "", end: str = "\n", file: TextIO | None = None) -> None:
    """Print `text` without control characters (a title with an escape sequence cannot reach the terminal)."""
    print(printable(text), end=end, file=file or sys.stdout, flush=True)
