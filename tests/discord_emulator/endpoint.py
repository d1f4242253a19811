"""Discord's side of an Interactions Endpoint URL: interactions POSTed to the bot, signed with Ed25519.

With an endpoint URL saved in the developer portal, Discord sends each interaction to it instead
of the gateway (https://discord.com/developers/docs/interactions/overview#setting-up-an-endpoint):
a POST whose `X-Signature-Ed25519` header signs `X-Signature-Timestamp + body` with the
application's key. The app must answer 401 to a bad signature, and within 3 s either with an
interaction response (200, JSON), which is the callback, or with 202 and no body after it sent the
callback over REST (receiving-and-responding#interaction-callback). Saving the URL sends a PING,
which must be answered `{"type": 1}`, and the same PING badly signed, which must be refused.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any

import aiohttp
from nacl.signing import SigningKey

USER_AGENT = "Discord-Interactions/1.0 (+https://discord.com)"
RESPONSE_WINDOW = 3.0  # seconds Discord waits for the initial response
PING = 1
INTERACTION_RESPONSES = {4, 5, 6, 7, 8, 9}  # message, deferred, update, deferred update, choices, modal
STARTING = (aiohttp.ClientConnectionError, TimeoutError)  # a server still coming up


class EndpointRefused(AssertionError):
    """The developer portal would not save the URL: the endpoint failed Discord's checks."""


@dataclass(frozen=True)
class Answer:
    """The endpoint's HTTP response to one POST (status 0: none, for the reason in `failure`)."""

    status: int
    content_type: str = ""
    body: bytes = b""
    failure: str = ""

    def described(self) -> str:
        """The answer as a person reads it in a failure message."""
        if not self.status:
            return self.failure
        text = self.body[:200].decode("utf-8", "replace")
        return f"{self.status} {self.content_type or '(no Content-Type)'} {text!r}"

    def json(self) -> Any:
        """The body as JSON when it is declared and parses as JSON, else None."""
        if self.content_type != "application/json":
            return None
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def judged(self) -> tuple[dict[str, Any] | None, str | None]:
        """How Discord takes this answer to an interaction: (the interaction response, None) for
        an inline callback, (None, None) for a 202 that says the callback went over REST, or
        (None, the problem) when the member is shown "This interaction failed"."""
        if not self.status:
            return None, self.failure
        if self.status == 202:
            return (None, None) if not self.body else (None, f"202 must have no body, got {self.described()}")
        if self.status == 401:
            return None, "a validly signed interaction was refused with 401 (is the signature checked right?)"
        if self.status != 200:
            return None, f"answered {self.described()}"
        if self.content_type.startswith("multipart/"):
            return None, ("a multipart (file) response inline: this emulator takes files only with the "
                          "REST callback, answered 202")  # fmt: skip
        response = self.json()
        if not isinstance(response, dict) or response.get("type") not in INTERACTION_RESPONSES:
            return None, f"not an interaction response (type {sorted(INTERACTION_RESPONSES)}): {self.described()}"
        return response, None


class InteractionsEndpoint:
    """The application's signing key and, once saved, the URL interactions are POSTed to: all at
    once from one client session with no connection limit, each POST a task of its own."""

    def __init__(self) -> None:
        self.signing_key = SigningKey.generate()
        self.url: str | None = None
        self._session: aiohttp.ClientSession | None = None
        self._posts: set[asyncio.Task[None]] = set()

    @property
    def public_key(self) -> str:
        """The application's public key, hex, as the developer portal shows it."""
        return bytes(self.signing_key.verify_key).hex()

    def headers(self, body: bytes, key: SigningKey | None = None) -> dict[str, str]:
        """The headers of a POST of `body`, signed by `key` (by default the application's)."""
        timestamp = str(int(time.time()))
        signature = (key or self.signing_key).sign(timestamp.encode() + body).signature.hex()
        return {"Content-Type": "application/json", "User-Agent": USER_AGENT,
                "X-Signature-Ed25519": signature, "X-Signature-Timestamp": timestamp}  # fmt: skip

    async def save(self, url: str, within: float = 30.0) -> None:
        """What saving the URL in the developer portal does: a signed PING must get `{"type": 1}`
        (retried for `within` seconds while nothing answers: the bot may still be starting), and
        the same PING badly signed must get 401. Raises EndpointRefused, saying which check failed."""
        body = json.dumps({"id": "0", "application_id": "0", "type": PING, "version": 1}).encode()
        deadline = time.monotonic() + within
        while True:
            try:
                answer = await self.send(url, body)
                break
            except STARTING as e:
                if time.monotonic() > deadline:
                    raise EndpointRefused(f"{url}: nothing answered the PING within {within:g} s ({e!r})") from e
                await asyncio.sleep(0.1)
        if answer.status != 200 or not isinstance(pong := answer.json(), dict) or pong.get("type") != PING:
            raise EndpointRefused(f"{url} answered the PING with {answer.described()}; Discord wants 200, "
                                  'Content-Type application/json, {"type": 1}')  # fmt: skip
        forged = await self.send(url, body, SigningKey.generate())
        if forged.status != 401:
            raise EndpointRefused(f"{url} answered a PING with an invalid signature with {forged.described()}; "
                                  "Discord wants 401")  # fmt: skip
        self.url = url

    async def send(self, url: str, body: bytes, key: SigningKey | None = None) -> Answer:
        """POST `body`, signed, and read the answer within 3 s (else TimeoutError; connection
        errors are raised too)."""
        if self._session is None:
            self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
        timeout = aiohttp.ClientTimeout(total=RESPONSE_WINDOW)
        async with self._session.post(url, data=body, headers=self.headers(body, key), timeout=timeout) as r:
            return Answer(r.status, r.content_type if "Content-Type" in r.headers else "", await r.read())

    async def answer(self, payload: dict[str, Any]) -> Answer:
        """POST an interaction to the saved URL; what came back (status 0: no response within 3 s
        or no connection, which Discord's member sees alike)."""
        assert self.url is not None, "no endpoint URL saved"
        try:
            return await self.send(self.url, json.dumps(payload).encode())
        except TimeoutError:
            return Answer(0, failure=f"no response within {RESPONSE_WINDOW:g} s")
        except aiohttp.ClientError as e:
            return Answer(0, failure=f"no response: {e!r}")

    def start(self, post: Coroutine[Any, Any, None]) -> None:
        """Run a POST (and what follows its answer) as a task of its own: the caller does not wait."""
        task = asyncio.create_task(post)
        self._posts.add(task)
        task.add_done_callback(self._posts.discard)

    async def settled(self) -> None:
        """Wait until every POST started so far has its answer (or has failed)."""
        if self._posts:
            await asyncio.wait(set(self._posts))

    async def close(self) -> None:
        """Abandon the POSTs still waiting and close the client session."""
        for task in list(self._posts):
            task.cancel()
        await asyncio.gather(*self._posts, return_exceptions=True)
        if self._session is not None:
            await self._session.close()
            self._session = None
