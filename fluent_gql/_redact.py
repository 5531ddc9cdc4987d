"""Remove secrets from text before it reaches an exception message or a log line.

Two layers: the exact values a client knows to be secret (its password, client
secret and current tokens), and patterns that look like credentials whatever their
value (``"access_token": "..."``, ``Bearer ...``, ``password=...`` in a URL or form).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["MASK", "redact"]

MASK = "***"

#: Secrets shorter than this are not searched for: masking "a" everywhere would
#: destroy the text and reveal the secret's length and positions anyway.
MIN_SECRET_LENGTH = 4

_SECRET_KEYS = r"access_token|refresh_token|client_secret|password|id_token"
_PATTERNS = (
    # JSON: "access_token": "value"
    (
        re.compile(rf'("(?:{_SECRET_KEYS})"\s*:\s*)"[^"]*"', re.IGNORECASE),
        rf'\1"{MASK}"',
    ),
    # Query strings and form bodies: password=value
    (re.compile(rf"\b((?:{_SECRET_KEYS})=)[^&\s\"']*", re.IGNORECASE), rf"\1{MASK}"),
    # Authorization headers: Bearer value
    (re.compile(r"\b(Bearer\s+)[^\s\"',]+", re.IGNORECASE), rf"\1{MASK}"),
)


def redact(text: str, secrets: Iterable[str | None] = ()) -> str:
    """Return ``text`` with known secret values and credential-like patterns masked."""
    for secret in secrets:
        if secret and len(secret) >= MIN_SECRET_LENGTH and secret in text:
            text = text.replace(secret, MASK)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text
