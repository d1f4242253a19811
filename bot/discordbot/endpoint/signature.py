"""Discord signs every request to the endpoint with the application's Ed25519 key; unsigned ones are refused."""

from __future__ import annotations

from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey

SIGNATURE = "X-Signature-Ed25519"
TIMESTAMP = "X-Signature-Timestamp"


class Verifier:
    """Checks a request's signature against the application's public key (hex, from the developer portal)."""

    def __init__(self, public_key: str) -> None:
        self._key = VerifyKey(bytes.fromhex(public_key))

    def valid(self, signature: str | None, timestamp: str | None, body: bytes) -> bool:
        """Whether Discord signed `timestamp + body` (a missing or malformed header is not valid)."""
        if not signature or not timestamp:
            return False
        try:
            self._key.verify(timestamp.encode() + body, bytes.fromhex(signature))
        except (BadSignatureError, ValueError):
            return False
        return True
