"""Which papers the server has been told about: a small file in the data directory, kept across restarts.

The first time (no file yet), every paper the bot knows counts as announced: a lab's first ingest of
200 papers must not flood a channel. After that, a paper is new until it has been announced once.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path

from bot.core.models import Paper
from bot.errors import PaperbotError
from bot.ingest.writer import write_text

log = logging.getLogger(__name__)
FILE_NAME = "announced.json"


class Announcements:
    """The ids announced so far, read from and written to `folder / announced.json`."""

    def __init__(self, folder: Path | None) -> None:
        self.path = folder / FILE_NAME if folder is not None else None
        self.known: set[str] | None = self._read()

    def _read(self) -> set[str] | None:
        if self.path is None or not self.path.is_file():
            return None
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return {str(x) for x in data["announced"]}
        except (OSError, ValueError, KeyError, TypeError) as err:
            # A broken state file must not stop the bot; the worst outcome is one repeated card.
            log.warning("cannot read %s (%s): starting from the papers known now", self.path, err)
            return None

    def new(self, papers: Sequence[Paper]) -> list[Paper]:
        """Papers not announced yet, newest first; none the first time (they are all taken as known)."""
        if self.known is None:
            self.remember(papers)
            return []
        return [p for p in papers if p.id not in self.known and p.missing_since is None]

    def remember(self, papers: Sequence[Paper]) -> None:
        """Record papers as announced, in the file too (written whole, so never half)."""
        self.known = (self.known or set()) | {p.id for p in papers}
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_text(self.path, json.dumps({"announced": sorted(self.known)}, indent=1) + "\n")
        except (OSError, PaperbotError) as err:  # state is a courtesy: answering goes on
            log.warning("cannot write %s (%s): papers may be announced again after a restart", self.path, err)
