"""Errors a user can act on: each names the file, the place in it, and what was expected.

A message may quote what a file holds ("got 'x'"), which helps the admin at the terminal. The same
message must not show a file's content to Discord members (a /reload error is read by anyone with
Manage Server, and a config may point at any file). So content goes into messages through `quoted`,
which marks it; `str(err)` shows it, cut to a readable length, and `err.public` leaves it out.
"""

from __future__ import annotations

import re
import reprlib

# Private-use characters around quoted content. `quoted` removes them from the content itself, so
# a file cannot forge a marker.
_OPEN, _CLOSE = "\ue000", "\ue001"
_MARKED = re.compile(f"{_OPEN}[^{_CLOSE}]*{_CLOSE}")
QUOTE_LIMIT = 200  # characters of quoted content shown at most, whatever the value's size

# reprlib stops early on deep or long values: repr() of a YAML alias bomb's expansion is gigabytes.
_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxlist, _REPR.maxdict = 3, 8, 8
_REPR.maxstring = _REPR.maxother = QUOTE_LIMIT


def marked(text: str, limit: int = QUOTE_LIMIT) -> str:
    """Text read from a file, shown as it is (a key's name), at most `limit` characters, marked as content."""
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return _OPEN + text.replace(_OPEN, "").replace(_CLOSE, "") + _CLOSE


def quoted(value: object, limit: int = QUOTE_LIMIT) -> str:
    """`value` as a message shows it: a repr (for text: the text in quotes), at most `limit` characters."""
    return marked(_REPR.repr(value), limit)


def got(value: object) -> str:
    """What a wrong value was, for "expected X, got Y": its kind for containers, else the quoted value."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return quoted(value)


def shown(message: str) -> str:
    """A message with its quoted content visible (markers removed)."""
    return message.replace(_OPEN, "").replace(_CLOSE, "")


def without_quotes(message: str) -> str:
    """A message with its quoted content left out: the file, the place and the expectation stay."""
    return _MARKED.sub("…", message)


class PaperbotError(Exception):
    """Base of every error the bot reports as a message rather than a traceback."""

    def __str__(self) -> str:
        return shown(str(self.args[0])) if self.args else ""

    @property
    def public(self) -> str:
        """The message without anything read from a file: safe to show to Discord members."""
        return shown(without_quotes(str(self.args[0]))) if self.args else ""


class ConfigError(PaperbotError):
    """The configuration file, an environment override or the token is wrong."""


class CorpusError(PaperbotError):
    """A corpus file (or a profile being ingested) is wrong."""
