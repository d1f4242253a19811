"""Start-up shared by every front end: settings, logging and the engine, loaded once."""

from __future__ import annotations

import logging
from pathlib import Path

from bot.config import load_settings
from bot.core.engine import Engine
from bot.redact import install as install_redaction
from bot.secrets import secret_values
from bot.settings import Settings


def configure_logging(level: str) -> None:
    """One line per record on stderr, at the configured level, with the token redacted."""
    logging.basicConfig(
        level=getattr(logging, level, logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    install_redaction(secret_values())


def load(config: Path | None = None) -> tuple[Settings, Engine]:
    """Validated settings and an engine built from them; errors are `PaperbotError`s."""
    settings = load_settings(config)
    configure_logging(settings.log_level)
    return settings, build_engine(settings)


def build_engine(settings: Settings) -> Engine:
    """The engine `settings` describe; with `retrieval.semantic`, ordering its papers by meaning too
    (the semantic extra, imported only then: the bot never needs it otherwise)."""
    if not settings.retrieval.semantic:
        return Engine.from_settings(settings)
    from bot.semantic.ordering import orders

    return Engine.from_settings(settings, orders(settings))
