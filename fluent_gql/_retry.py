"""When to try a request again, and how long to wait first. Pure: no I/O.

The policy, in the order it is checked:

1. Nothing is retried once ``max_retries`` retries have been made.
2. A failure while connecting (the request provably never reached Fluent) is
   retried, for queries and mutations alike.
3. Rate limiting (HTTP 429, Fluent's ``C0011E``) is retried for both: the request
   was refused before it ran. ``Retry-After`` is honoured up to a cap.
4. Any other transport failure or timeout, HTTP 408, any 5xx (500 included: a
   server that failed part-way may have written), and a malformed 200 answer (cut
   short, or not JSON) are retried for queries. For a mutation they are
   ambiguous: it may have been applied, so it is not resent (unless the caller
   said the write is idempotent) and the error carries ``maybe_applied = True``.
5. Everything else (400, 401 after the one re-login, 403, 404, 413, GraphQL errors
   including validation and server-side ``S`` codes, which are settings errors in
   Fluent's catalogue) is final.

A token request (``/oauth/token``) is always safe to repeat: it is retried after a
transport failure, 408, 429 or any 5xx; a refusal of the credentials is final.

Waits grow exponentially with full jitter: a uniform draw between zero and
``min(max_delay, initial_delay * 2**attempt)`` (AWS's "full jitter"), so clients
that failed together do not retry together.
"""

from __future__ import annotations

import email.utils
import math
import random
import time
from dataclasses import dataclass

import httpx

from fluent_gql._constants import RATE_LIMIT_CODE

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "Decision",
    "RetryPolicy",
    "retryable_status",
]

#: Two retries ride out a dropped connection or a proxy's 502 (the common cases)
#: without hiding an outage: with the default delays a call gives up within ~3 s.
DEFAULT_MAX_RETRIES = 2
#: The first wait is drawn from [0, 0.5 s]; each retry doubles the ceiling ...
DEFAULT_INITIAL_DELAY = 0.5
#: ... up to this ceiling.
DEFAULT_MAX_DELAY = 8.0
#: A server's Retry-After is honoured up to this many seconds; longer is capped.
DEFAULT_MAX_RETRY_AFTER = 60.0

#: Statuses below 500 that mean "try again later" for a request that is safe to
#: repeat; every 5xx does too (:func:`retryable_status`).
RETRYABLE_STATUSES = frozenset({408, 429})
#: Statuses that prove the request was refused before it ran.
NOT_APPLIED_STATUSES = frozenset({429})


def retryable_status(status: int) -> bool:
    """True for a status after which a request that is safe to repeat is retried."""
    return status in RETRYABLE_STATUSES or 500 <= status <= 599


@dataclass(frozen=True)
class RetryPolicy:
    """How a client retries. Change it with ``client.with_options(...)``.

    Args:
        max_retries: retries after the first attempt (0 disables retrying).
        initial_delay: ceiling of the first backoff draw, in seconds.
        max_delay: largest backoff ceiling, in seconds.
        max_retry_after: largest ``Retry-After`` honoured, in seconds.
        retry_mutations: treat mutations like queries (only for idempotent writes).
    """

    max_retries: int = DEFAULT_MAX_RETRIES
    initial_delay: float = DEFAULT_INITIAL_DELAY
    max_delay: float = DEFAULT_MAX_DELAY
    max_retry_after: float = DEFAULT_MAX_RETRY_AFTER
    retry_mutations: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.max_retries, bool) or not isinstance(self.max_retries, int):
            raise TypeError(
                "max_retries must be an int (0 disables retries; there is no 'forever')"
            )
        if self.max_retries < 0:
            raise ValueError(f"max_retries must be 0 or more, got {self.max_retries}")
        for name in ("initial_delay", "max_delay", "max_retry_after"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or value < 0 or math.isnan(value):
                raise ValueError(
                    f"{name} must be a number of seconds >= 0, got {value!r}"
                )


@dataclass(frozen=True)
class Decision:
    """What to do after one attempt."""

    retry: bool
    reason: str
    delay: float = 0.0
    #: For a final failure of a mutation: the write may have happened.
    maybe_applied: bool = False


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when is None:
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if math.isnan(seconds) or math.isinf(seconds):
        return None
    return max(0.0, seconds)


def backoff(
    attempt: int,
    policy: RetryPolicy,
    retry_after: float | None = None,
    rng: random.Random | None = None,
) -> float:
    """Seconds to wait before retry number ``attempt + 1`` (``attempt`` from 0)."""
    if retry_after is not None:
        return min(retry_after, policy.max_retry_after)
    ceiling = min(policy.max_delay, policy.initial_delay * 2.0**attempt)
    return (rng or random).uniform(0.0, ceiling)


def _connect_failure(exc: httpx.RequestError) -> bool:
    # The request was never written: no connection, or no pool slot for one.
    return isinstance(
        exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout
    )


def after_exception(
    exc: httpx.RequestError, attempt: int, policy: RetryPolicy, is_mutation: bool
) -> Decision:
    """Decide after a transport failure (``attempt`` counts from 0)."""
    reason = type(exc).__name__
    safe = _connect_failure(exc)
    if not isinstance(exc, httpx.TransportError):
        return Decision(False, reason)  # e.g. too many redirects, decoding: final
    if is_mutation and not safe and not policy.retry_mutations:
        return Decision(False, reason, maybe_applied=True)
    if attempt >= policy.max_retries:
        return Decision(False, reason, maybe_applied=is_mutation and not safe)
    return Decision(True, reason, backoff(attempt, policy))


def after_response(
    response: httpx.Response, attempt: int, policy: RetryPolicy, is_mutation: bool
) -> Decision:
    """Decide after an HTTP response arrived (the body is already read)."""
    status = response.status_code
    if status == 200:
        body = response.content.strip()
        if not (body.startswith(b"{") and body.endswith(b"}")):
            # Cut short or not JSON (a proxy's page): the server did answer, so a
            # mutation may have been applied.
            reason, safe = "a malformed HTTP 200 body", False
        elif not _rate_limited(body, response):
            return Decision(False, "ok")
        else:
            reason, safe = f"GraphQL {RATE_LIMIT_CODE}", True
    elif retryable_status(status):
        reason, safe = f"HTTP {status}", status in NOT_APPLIED_STATUSES
    else:
        return Decision(False, f"HTTP {status}")
    ambiguous = is_mutation and not safe and not policy.retry_mutations
    if ambiguous or attempt >= policy.max_retries:
        return Decision(False, reason, maybe_applied=is_mutation and not safe)
    retry_after = parse_retry_after(response.headers.get("retry-after"))
    return Decision(True, reason, backoff(attempt, policy, retry_after))


def _rate_limited(body: bytes, response: httpx.Response) -> bool:
    # Cheap test first: only a body that mentions the code is parsed.
    return RATE_LIMIT_CODE[:5].encode() in body and _has_rate_limit_error(response)


def _has_rate_limit_error(response: httpx.Response) -> bool:
    from fluent_gql._exceptions import fluent_code

    try:
        errors = response.json().get("errors") or []
    except (ValueError, AttributeError):
        return False
    return any(
        isinstance(e, dict)
        and (fluent_code(str(e.get("message", "")), e.get("extensions")) or "")[:5]
        == RATE_LIMIT_CODE[:5]
        for e in errors
    )
