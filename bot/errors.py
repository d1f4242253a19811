"""Errors a user can act on: each names the file, the place in it, and what was expected."""

from __future__ import annotations


class PaperbotError(Exception):
    """Base of every error the bot reports as a message rather than a traceback."""


class ConfigError(PaperbotError):
    """The configuration file, an environment override or the token is wrong."""


class CorpusError(PaperbotError):
    """A corpus file (or a profile being ingested) is wrong."""
