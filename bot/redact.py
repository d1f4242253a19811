"""Keeping the Discord token, and anything shaped like one, out of logs and replies."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from bot.core.text import printable

REDACTED = "[redacted]"

# A Discord bot token: base64 user id, a timestamp part and an HMAC, joined by dots.
TOKEN_SHAPE = re.compile(r"\b[A-Za-z\d_-]{23,30}\.[A-Za-z\d_-]{5,8}\.[A-Za-z\d_-]{25,45}\b")
# "Authorization: Bot xxx" headers, as an HTTP library may log them.
AUTH_HEADER = re.compile(r"(?i)(authorization['\"]?\s*[:=]\s*['\"]?(?:bot|bearer)\s+)[^\s'\",}]+")


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` printable, with every known secret and every token-shaped string replaced by [redacted]."""
    text = printable(text)  # a log line must not drive the terminal that shows it either
    for secret in secrets:
        if secret and len(secret) >= 8:
            text = text.replace(secret, REDACTED)
    text = AUTH_HEADER.sub(lambda m: m.group(1) + REDACTED, text)
    return TOKEN_SHAPE.sub(REDACTED, text)


class RedactingFilter(logging.Filter):
    """A logging filter that redacts the message, its arguments and any traceback text."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets = tuple(s for s in secrets if s)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg = redact(message, self.secrets)
        record.args = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self.secrets)
        return True


def install(secrets: Iterable[str] = ()) -> RedactingFilter:
    """Put a redacting filter on every handler of the root logger (so child loggers are covered)."""
    flt = RedactingFilter(secrets)
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig()
    for handler in root.handlers:
        for old in [f for f in handler.filters if isinstance(f, RedactingFilter)]:
            handler.removeFilter(old)
        handler.addFilter(flt)
    return flt
