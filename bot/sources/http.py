"""The one HTTP client every online source uses: retries, timeouts, a size cap and clear errors.

Built on urllib3: a PoolManager, and a Retry that retries 429 and 5xx answers and timeouts with
exponential backoff, waits as long as a Retry-After header asks (up to a cap), and stops after a
total number of retries. Every failure becomes a SourceError naming the source and the URL; a
response body never goes into a message (it may be an HTML error page, or anything at all).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any, Self
from urllib.parse import urlencode

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    MaxRetryError,
    NewConnectionError,
    ReadTimeoutError,
    ResponseError,
)
from urllib3.response import BaseHTTPResponse
from urllib3.util import Retry, Timeout

from bot import __version__
from bot.sources.errors import SourceError

RETRY_STATUSES = (429, 500, 502, 503, 504)
MAX_BYTES = 50 * 1024 * 1024
_CHUNK = 64 * 1024


class _Retry(Retry):
    """urllib3's Retry, with the wait a server asks for through Retry-After capped."""

    retry_after_cap: float = 120.0

    def new(self, **kw: Any) -> Self:
        # urllib3 makes a new Retry after each attempt from its own constructor arguments only.
        fresh = super().new(**kw)
        fresh.retry_after_cap = self.retry_after_cap
        return fresh

    def get_retry_after(self, response: BaseHTTPResponse) -> float | None:
        seconds = super().get_retry_after(response)
        return None if seconds is None else min(seconds, self.retry_after_cap)


class HttpClient:
    """GETs with retries, timeouts and a size cap; `contact` (an e-mail) goes into the User-Agent."""

    def __init__(
        self,
        contact: str,
        *,
        connect_timeout: float = 10.0,
        read_timeout: float = 60.0,
        retries: int = 5,
        backoff_factor: float = 1.0,
        backoff_max: float = 60.0,
        retry_after_cap: float = 120.0,
        max_bytes: int = MAX_BYTES,
    ) -> None:
        contact = contact.strip()
        # The contact goes into a header: a line break in it would start a header of its own.
        if not contact or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in contact):
            raise SourceError("HTTP client: the contact must be a non-empty e-mail address on one line")
        self.user_agent = f"paperbot/{__version__} (mailto:{contact})"
        self.max_bytes = max_bytes
        self.retries = retries
        retry = _Retry(
            total=retries,
            backoff_factor=backoff_factor,
            backoff_max=backoff_max,
            status_forcelist=RETRY_STATUSES,
            allowed_methods=frozenset({"GET"}),
            respect_retry_after_header=True,
            raise_on_status=True,
        )
        retry.retry_after_cap = retry_after_cap
        self._headers = {"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"}
        self._pool = urllib3.PoolManager(retries=retry, timeout=Timeout(connect=connect_timeout, read=read_timeout))

    def get(
        self,
        url: str,
        *,
        source: str,
        params: Mapping[str, str | int] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> bytes:
        """The body of a successful GET of `url` with `params`; SourceError on any failure."""
        url = _with(url, params)
        try:
            # Headers given to a request replace the pool's defaults in urllib3, so they are merged here.
            merged = {**self._headers, **(headers or {})}
            response = self._pool.request("GET", url, headers=merged, preload_content=False)
        except MaxRetryError as err:
            reason = _reason(err.reason)
            raise SourceError(f"{source}: {reason}, gave up after {self.retries} retries, for {url}") from err
        except HTTPError as err:
            raise SourceError(f"{source}: {_reason(err)} for {url}") from err
        try:
            if response.status >= 400:
                raise SourceError(f"{source}: HTTP {response.status} from {url}")
            return self._read_capped(response, source, url)
        finally:
            response.release_conn()

    def get_json(
        self,
        url: str,
        *,
        source: str,
        params: Mapping[str, str | int] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        """The parsed JSON body of a GET; SourceError if it is not JSON."""
        body = self.get(url, source=source, params=params, headers={"Accept": "application/json", **(headers or {})})
        try:
            return json.loads(body)
        except (ValueError, RecursionError) as err:
            raise SourceError(f"{source}: the response from {_with(url, params)} is not valid JSON") from err

    def get_xml(
        self,
        url: str,
        *,
        source: str,
        params: Mapping[str, str | int] | None = None,
    ) -> ET.Element:
        """The parsed XML body of a GET; SourceError if it is not XML."""
        return parse_xml(self.get(url, source=source, params=params), source, _with(url, params))

    def _read_capped(self, response: BaseHTTPResponse, source: str, url: str) -> bytes:
        length = response.headers.get("Content-Length")
        if length and length.isdigit() and int(length) > self.max_bytes:
            raise SourceError(f"{source}: the response from {url} is larger than {self.max_bytes} bytes")
        chunks: list[bytes] = []
        size = 0
        try:
            # Counted after decompression, so a small gzip bomb stops here too.
            for chunk in response.stream(_CHUNK):
                size += len(chunk)
                if size > self.max_bytes:
                    raise SourceError(f"{source}: the response from {url} is larger than {self.max_bytes} bytes")
                chunks.append(chunk)
        except HTTPError as err:
            raise SourceError(f"{source}: {_reason(err)} while reading {url}") from err
        return b"".join(chunks)

    def close(self) -> None:
        """Close pooled connections."""
        self._pool.clear()


def parse_xml(body: bytes, source: str, where: str) -> ET.Element:
    """The root of an XML document; SourceError naming `where` if it is not XML."""
    # ElementTree resolves no external entities, and the expat bundled with Python 3.11+ limits
    # entity expansion, so a hostile document cannot reach the network or blow up memory.
    try:
        return ET.fromstring(body)
    except ET.ParseError as err:
        raise SourceError(f"{source}: {where} is not valid XML (line {err.position[0]})") from err


def _with(url: str, params: Mapping[str, str | int] | None) -> str:
    """`url` with `params` as its query string: the URL an error message names."""
    return f"{url}{'&' if '?' in url else '?'}{urlencode(params)}" if params else url


def _reason(err: BaseException | None) -> str:
    """What went wrong, in words, without anything the server sent."""
    if isinstance(err, ResponseError):
        return str(err)  # urllib3's own words: "too many 503 error responses"
    if isinstance(err, ConnectTimeoutError):
        return "timed out connecting"
    if isinstance(err, ReadTimeoutError):
        return "timed out waiting for the response"
    if isinstance(err, NewConnectionError):
        return "cannot connect"
    return f"request failed ({type(err).__name__})"
