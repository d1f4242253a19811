"""Saved responses read from disk, size-capped, with errors that name the file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot import files
from bot.sources.errors import SourceError

MAX_BYTES = 50 * 1024 * 1024


def read_bytes(path: str | Path, what: str) -> bytes:
    """The bytes of a saved `what` response (e.g. "OpenAlex JSON"), at most MAX_BYTES."""
    return files.read_bytes(Path(path), f"a saved {what} response", SourceError, MAX_BYTES)


def read_json(path: str | Path, what: str) -> Any:
    """The parsed JSON of a saved `what` response; SourceError naming the file if it is not JSON."""
    data = read_bytes(path, what)
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as err:
        raise SourceError(f"{path}: not valid JSON, so not a saved {what} response") from err
