"""The one error a source raises: a file or a service that cannot be read at all."""

from __future__ import annotations

from bot.errors import PaperbotError


class SourceError(PaperbotError):
    """A source cannot be read: the message names the file or the service and URL, never a body."""
