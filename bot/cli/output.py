"""Everything the command line prints goes through `say`: printable text only, whatever a corpus holds."""

from __future__ import annotations

import sys
from typing import TextIO

from bot.core.text import printable


def say(text: str = "", end: str = "\n", file: TextIO | None = None) -> None:
    """Print `text` without control characters (a title with an escape sequence cannot reach the terminal)."""
    print(printable(text), end=end, file=file or sys.stdout, flush=True)
