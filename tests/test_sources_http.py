"""The shared HTTP client meets servers that are slow, busy, broken or too generous, on 127.0.0.1."""

from __future__ import annotations

import time

import pytest

from bot import __version__
from bot.sources import SourceError
from bot.sources.http import HttpClient
from tests.sources_server import Reply, Request, fast_client, serve


def test_user_agent_names_paperbot_and_the_labs_contact() -> None:
    with serve(lambda request: Reply(b'{"ok": true}')) as server:
        assert fast_client().get_json(f"{server.url}/x", source="test") == {"ok": True}
    headers = server.requests[0].headers
    assert headers["user-agent"] == f"paperbot/{__version__} (mailto:lab-admin@example.org)"
    assert headers["accept"] == "application/json"


def test_a_contact_that_could_forge_a_header_is_refused() -> None:
    with pytest.raises(SourceError, match="contact"):
        HttpClient("me@example.org\r\nX-Evil: 1")
    with pytest.raises(SourceError, match="contact"):
        HttpClient("  ")


def test_a_429_with_retry_after_is_waited_out_then_retried() -> None:
    answers = iter([Reply(b"slow down", status=429, headers={"Retry-After": "1"}), Reply(b'{"n": 1}')])
    with serve(lambda request: next(answers)) as server:
        started = time.monotonic()
        # The server asks for 1 s; the client honours it up to its cap (0.2 s here, to keep the test fast).
        assert fast_client(retry_after_cap=0.2).get_json(f"{server.url}/works", source="openalex:A1") == {"n": 1}
        waited = time.monotonic() - started
    assert len(server.requests) == 2
    assert 0.2 <= waited < 1.0


def test_a_server_that_stays_503_ends_in_an_error_naming_the_source_and_url() -> None:
    page = b"<html>secret maintenance page</html>"
    with serve(lambda request: Reply(page, status=503)) as server, pytest.raises(SourceError) as caught:
        fast_client(retries=2).get(f"{server.url}/works", source="openalex:A1", params={"cursor": "*"})
    message = str(caught.value)
    assert message.startswith("openalex:A1: too many 503 error responses, gave up after 2 retries")
    assert f"{server.url}/works?cursor=%2A" in message
    assert "secret" not in message  # never the body
    assert len(server.requests) == 3  # the first try and two retries


def test_a_server_that_never_answers_in_time_ends_in_a_timeout_error() -> None:
    with serve(lambda request: Reply(b"{}", delay=0.5)) as server:
        started = time.monotonic()
        with pytest.raises(SourceError, match=r"s2:1: timed out waiting for the response, gave up after 1 retries"):
            fast_client(read_timeout=0.1, retries=1).get(f"{server.url}/papers", source="s2:1")
        assert time.monotonic() - started < 2.0


def test_a_404_is_not_retried_and_says_what_was_asked() -> None:
    expected = r"^dblp:x/Nobody: HTTP 404 from http://127\.0\.0\.1:\d+/pid/x/Nobody\.xml$"
    not_found = Reply(b"no such author", status=404)
    with serve(lambda request: not_found) as server, pytest.raises(SourceError, match=expected):
        fast_client().get_xml(f"{server.url}/pid/x/Nobody.xml", source="dblp:x/Nobody")
    assert len(server.requests) == 1


def test_a_body_that_is_not_what_was_promised_is_a_clear_error() -> None:
    with serve(lambda request: Reply(b"<html>oops")) as server:
        with pytest.raises(SourceError, match=r"orcid:x: the response from .*/works is not valid JSON"):
            fast_client().get_json(f"{server.url}/works", source="orcid:x")
        with pytest.raises(SourceError, match=r"arxiv:x: .* is not valid XML"):
            fast_client().get_xml(f"{server.url}/query", source="arxiv:x", params={"q": "<"})


def test_a_response_over_the_size_cap_is_refused() -> None:
    big = b"x" * 5000

    def route(request: Request) -> Reply:
        return Reply(big)

    with serve(route) as server:
        client = HttpClient("lab@example.org", max_bytes=1000, retries=0)
        with pytest.raises(SourceError, match="larger than 1000 bytes"):
            client.get(f"{server.url}/huge", source="test")
