"""The error the semantic extra reports: a missing extra, or a model folder it cannot read."""

from __future__ import annotations

from bot.errors import PaperbotError


class SemanticError(PaperbotError):
    """The semantic extra is missing, or its model files are not what it expects."""
