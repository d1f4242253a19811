"""Shared fixtures: the shipped configuration and an engine built from it once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import load_settings
from bot.core.engine import Engine
from bot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def settings() -> Settings:
    return load_settings(ROOT / "config" / "config.yaml", env={})


@pytest.fixture(scope="session")
def engine(settings: Settings) -> Engine:
    return Engine.from_settings(settings)
