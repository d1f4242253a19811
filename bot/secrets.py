"""The Discord token: only from the environment or a secret file, never from YAML or logs.

No message here ever shows the value of DISCORD_TOKEN or DISCORD_TOKEN_FILE: an admin who puts
the token itself in DISCORD_TOKEN_FILE by mistake must not see it printed back into a log.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from bot.errors import ConfigError
from bot.files import read_at_most

WHERE = (
    "set DISCORD_TOKEN to the bot token from the Discord developer portal, "
    "or DISCORD_TOKEN_FILE to a file that holds it"
)
MAX_TOKEN_FILE_BYTES = 4096  # a token is about 72 characters; anything this long is not a token file


def _one_line(text: str, name: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise ConfigError(f"{name}: the token is empty; {WHERE}")
    if len(lines) > 1:
        raise ConfigError(f"{name}: holds {len(lines)} lines; it must hold only the token, on one line")
    if any(ch.isspace() for ch in lines[0]):
        raise ConfigError(f"{name}: the token contains spaces; it must hold only the token")
    return lines[0]


def secret_values(env: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """What must never be printed: the token, and DISCORD_TOKEN_FILE's value (a token put there by mistake)."""
    env = os.environ if env is None else env
    return tuple(v.strip() for k in ("DISCORD_TOKEN", "DISCORD_TOKEN_FILE") if (v := env.get(k, "")).strip())


def read_token(env: Mapping[str, str] | None = None) -> str:
    """The bot token from DISCORD_TOKEN or DISCORD_TOKEN_FILE; a one-line ConfigError otherwise."""
    env = os.environ if env is None else env
    if env.get("DISCORD_TOKEN", "").strip():
        return _one_line(env["DISCORD_TOKEN"], "DISCORD_TOKEN")
    file_name = env.get("DISCORD_TOKEN_FILE", "").strip()
    if not file_name:
        raise ConfigError(f"no Discord token: {WHERE}")
    name = "DISCORD_TOKEN_FILE"
    try:
        with Path(file_name).open("rb") as stream:
            raw = read_at_most(stream, MAX_TOKEN_FILE_BYTES + 1)  # /dev/zero, or a log file named by mistake
    except FileNotFoundError:
        raise ConfigError(f"{name} names a file that does not exist; {WHERE}") from None
    except OSError as err:
        raise ConfigError(f"{name}: cannot read the file it names ({err.strerror})") from None
    if len(raw) > MAX_TOKEN_FILE_BYTES:
        raise ConfigError(f"{name}: the file is larger than 4 KB; it must hold only the token")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(f"{name}: the file is not UTF-8 text; it must hold only the token") from None
    if not text.strip():
        raise ConfigError(f"{name}: the file is empty; {WHERE}")
    return _one_line(text, name)
