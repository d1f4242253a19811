"""The Discord token: only from the environment or a secret file, never from YAML or logs."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from bot.errors import ConfigError

WHERE = (
    "set DISCORD_TOKEN to the bot token from the Discord developer portal, "
    "or DISCORD_TOKEN_FILE to a file that holds it"
)


def read_token(env: Mapping[str, str] | None = None) -> str:
    """The bot token from DISCORD_TOKEN or DISCORD_TOKEN_FILE; a one-line ConfigError otherwise."""
    env = os.environ if env is None else env
    token = env.get("DISCORD_TOKEN", "").strip()
    if token:
        return token
    file_name = env.get("DISCORD_TOKEN_FILE", "").strip()
    if not file_name:
        raise ConfigError(f"no Discord token: {WHERE}")
    path = Path(file_name)
    try:
        token = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise ConfigError(f"DISCORD_TOKEN_FILE={path}: file not found; {WHERE}") from None
    except (OSError, UnicodeDecodeError) as err:
        reason = getattr(err, "strerror", None) or "not UTF-8 text"
        raise ConfigError(f"DISCORD_TOKEN_FILE={path}: cannot read it ({reason})") from None
    if not token:
        raise ConfigError(f"DISCORD_TOKEN_FILE={path}: the file is empty; {WHERE}")
    return token
