"""A reload shared by the processes of one bot: whoever reloads or refreshes says so in a file, the others follow."""

from __future__ import annotations

import os
import uuid
from pathlib import Path


class ReloadSignal:
    """A file whose content changes at every reload; each process notices the changes it did not make."""

    POLL_SECONDS = 1.0

    def __init__(self, path: Path) -> None:
        self.path = path
        self._seen = self._read()

    def _read(self) -> str:
        try:
            return self.path.read_text(encoding="ascii")
        except OSError:
            return ""

    def bump(self) -> None:
        """Tell the other processes: a fresh token, written whole (replace), so no reader sees half of one."""
        token = uuid.uuid4().hex
        scratch = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        scratch.write_text(token, encoding="ascii")
        os.replace(scratch, self.path)
        self._seen = token

    def changed(self) -> bool:
        """Whether another process bumped since this one last looked."""
        now = self._read()
        if now == self._seen:
            return False
        self._seen = now
        return True
