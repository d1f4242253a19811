"""The token, and anything shaped like one, never reaches the log or a reply."""

from __future__ import annotations

import logging

import pytest

from bot.redact import REDACTED, install, redact

TOKEN = "MTA5ODc2NTQzMjEwOTg3NjU0.GaBcDe.abcdefghijklmnopqrstuvwxyz0123456789AB"


def test_token_shapes_and_auth_headers_are_redacted() -> None:
    text = f"login with {TOKEN} failed; headers={{'Authorization': 'Bot sekrit-value-123'}}"
    out = redact(text)
    assert TOKEN not in out and "sekrit-value-123" not in out
    assert out.count(REDACTED) == 2


def test_a_known_secret_is_redacted_whatever_its_shape() -> None:
    assert redact("token is plainsecretvalue!", ["plainsecretvalue"]) == f"token is {REDACTED}!"


def test_the_log_filter_redacts_messages_arguments_and_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    flt = install([TOKEN])
    logger = logging.getLogger("paperbot.test")
    caplog.handler.addFilter(flt)
    try:
        logger.error("connecting with %s", TOKEN)
        try:
            raise RuntimeError(f"rejected token {TOKEN}")
        except RuntimeError:
            logger.exception("failed")
    finally:
        caplog.handler.removeFilter(flt)
    assert TOKEN not in caplog.text
    assert REDACTED in caplog.text
    assert "RuntimeError" in caplog.text
