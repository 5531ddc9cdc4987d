"""Fluent's OAuth 2.0 password grant as an ``httpx.Auth`` flow, for sync and async.

The flow logs in lazily, caches the token, renews it shortly before it expires
(with the refresh grant when Fluent issued a refresh token, falling back to the
password grant when that is refused: Fluent's refresh tokens are single-use), and
on a 401 from ``/graphql`` logs in again once and resends once. Concurrent callers
that find no valid token wait for one token request instead of each making one.

Token requests are yielded from the flow, so they travel through the same
``httpx`` client and transport as the API calls. authlib supplies the protocol
pieces (token request body, ``client_secret_post`` client authentication); its
httpx integration is not imported: it warns on import and never runs the password
grant again once its token expires.

What a failed token request means depends on how it failed: an OAuth ``error`` or
HTTP 400/401/403 is a refusal of the credentials (:class:`FluentAuthError`); a 404
is a wrong base URL, a 429 rate limiting and a 5xx an outage on Fluent's side
(the :class:`FluentHTTPError` classes), which the clients retry.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import AsyncGenerator, Callable, Generator
from dataclasses import dataclass, field
from typing import Any

import anyio
import httpx
from authlib.oauth2.auth import ClientAuth
from authlib.oauth2.rfc6749.parameters import prepare_token_request

from fluent_gql._config import FluentConfig
from fluent_gql._exceptions import (
    BODY_EXCERPT_CHARS,
    FluentAuthError,
    FluentError,
)
from fluent_gql._redact import redact
from fluent_gql._response import http_error

__all__ = ["FluentAuth", "TokenInfo"]

logger = logging.getLogger("fluent_gql.auth")

#: Renew this long before expiry at most (Fluent's tokens live about a day) ...
TOKEN_RENEWAL_MARGIN = 60.0
#: ... and at most this share of the token's life, so short-lived tokens still work.
TOKEN_RENEWAL_FRACTION = 0.1
#: Lifetime assumed when a token response has no ``expires_in`` (as Fluent's SDK does).
DEFAULT_TOKEN_LIFETIME = 3600.0

_FORM = "application/x-www-form-urlencoded"
#: Statuses with which the token endpoint refuses the credentials or the client.
REFUSAL_STATUSES = frozenset({400, 401, 403})
#: Statuses that say nothing about the credentials, whatever the body says: no
#: such URL, "later" (408, 429) and Fluent's own failures (5xx).
NOT_REFUSALS = frozenset({404, 408, 429, *range(500, 600)})


@dataclass(frozen=True)
class TokenInfo:
    """What Fluent said about the current login, without the token itself.

    Attributes:
        retailer_id: ``Retailer_id`` from the token response (as a string), if sent.
        user_id: ``User_id`` from the token response, sent for some account users.
        first_name: ``FirstName``, if sent.
        last_name: ``LastName``, if sent.
        roles: ``Roles``, as sent (possibly empty).
        scope: the granted scope.
        expires_in: the lifetime Fluent gave the token, in seconds.
        has_refresh_token: whether Fluent issued a refresh token.
        extra: any other keys of the token response (never tokens).
    """

    retailer_id: str | None = None
    user_id: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    roles: list[Any] = field(default_factory=list)
    scope: str | None = None
    expires_in: float | None = None
    has_refresh_token: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


_KNOWN = {
    "access_token",
    "refresh_token",
    "token_type",
    "expires_in",
    "scope",
    "Retailer_id",
    "User_id",
    "FirstName",
    "LastName",
    "Roles",
}


def _optional_str(value: object) -> str | None:
    return None if value is None or value == "" else str(value)


class _Token:
    """An access token and when to renew it. Its repr never shows the token."""

    __slots__ = ("access_token", "info", "refresh_token", "renew_at")

    def __init__(self, payload: dict[str, Any], now: float) -> None:
        self.access_token: str = payload["access_token"]
        self.refresh_token: str | None = _optional_str(payload.get("refresh_token"))
        lifetime = float(payload.get("expires_in") or DEFAULT_TOKEN_LIFETIME)
        margin = min(TOKEN_RENEWAL_MARGIN, lifetime * TOKEN_RENEWAL_FRACTION)
        self.renew_at = now + lifetime - margin
        roles = payload.get("Roles")
        self.info = TokenInfo(
            retailer_id=_optional_str(payload.get("Retailer_id")),
            user_id=_optional_str(payload.get("User_id")),
            first_name=_optional_str(payload.get("FirstName")),
            last_name=_optional_str(payload.get("LastName")),
            roles=list(roles) if isinstance(roles, list) else [],
            scope=_optional_str(payload.get("scope")),
            expires_in=lifetime,
            has_refresh_token=self.refresh_token is not None,
            extra={k: v for k, v in payload.items() if k not in _KNOWN},
        )

    def __repr__(self) -> str:
        return f"<Token renew_at={self.renew_at:.1f} info={self.info!r}>"


def token_error(
    response: httpx.Response, grant: str, secrets: tuple[str | None, ...]
) -> FluentError:
    """What a non-2xx answer from ``/oauth/token`` means: a :class:`FluentAuthError`
    when Fluent refused the credentials, else the :class:`FluentHTTPError` for the
    status (404: wrong base URL; 429: rate limited; 5xx: Fluent failed)."""
    error = description = None
    try:
        body = json.loads(response.content)
    except ValueError:
        body = None
    if isinstance(body, dict):
        error = _optional_str(body.get("error"))
        description = _optional_str(body.get("error_description"))
    status = response.status_code
    if status not in REFUSAL_STATUSES and (not error or status in NOT_REFUSALS):
        failure = http_error(response, body, scrub=lambda text: redact(text, secrets))
        hint = "check the base URL" if status == 404 else "try again later"
        failure.args = (
            f"Fluent's token endpoint did not issue a token (not a problem with the "
            f"credentials; {hint}): {failure}",
        )
        return failure
    detail = f"{error}: {description}" if error else f"HTTP {status}"
    if not error:
        excerpt = response.text[:BODY_EXCERPT_CHARS].strip()
        detail += f" ({excerpt})" if excerpt and body is not None else ""
    return FluentAuthError(
        redact(
            f"Fluent refused the {grant} grant: {detail}. Check the username, "
            "password, client id, client secret and base URL.",
            secrets,
        ),
        error=error,
        description=redact(description, secrets) if description else None,
        status_code=status,
    )


class _LoginFlow(httpx.Auth):
    """Drives only the token requests of a login through the client: httpx sends
    what the flow yields and hands back the answers. The request the flow is
    started with is never sent."""

    def __init__(self, auth: FluentAuth) -> None:
        self._auth = auth

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        yield from self._auth._renew()

    def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        return self._auth._async_renew()


class FluentAuth(httpx.Auth):
    """Authenticate requests to Fluent with the OAuth 2.0 password grant.

    One instance serves one client; it is safe to share between threads (sync) or
    tasks (async), but not between a sync and an async client at once.
    """

    requires_response_body = True

    def __init__(
        self, config: FluentConfig, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._config = config
        self._token_url = f"{config.base_url}/oauth/token"
        self._clock = clock
        self._token: _Token | None = None
        self._thread_lock = threading.Lock()
        self._task_lock = anyio.Lock()

    def __repr__(self) -> str:
        state = "logged in" if self._token else "not logged in"
        config = self._config
        return f"<FluentAuth {config.username!r} at {config.base_url} ({state})>"

    @property
    def token_info(self) -> TokenInfo | None:
        """What the last token response said (no secrets), or ``None`` before login."""
        return self._token.info if self._token else None

    def secrets(self) -> tuple[str | None, ...]:
        """Every secret this flow holds, for redaction (never for display)."""
        token = self._token
        return (
            self._config.password,
            self._config.client_secret,
            token.access_token if token else None,
            token.refresh_token if token else None,
        )

    def invalidate(self) -> None:
        """Forget the access token; the next request logs in again."""
        self._token = None

    # -- the protocol, free of I/O ------------------------------------------------

    def _token_request(self, grant_type: str, **params: str) -> httpx.Request:
        body = prepare_token_request(grant_type, **params)
        client = ClientAuth(
            self._config.client_id, self._config.client_secret, "client_secret_post"
        )
        _, headers, body = client.prepare("POST", self._token_url, {}, body)
        headers = {**headers, "Content-Type": _FORM, "Accept": "application/json"}
        return httpx.Request("POST", self._token_url, headers=headers, content=body)

    def _accept(self, response: httpx.Response, grant: str) -> None:
        if not response.is_success:
            raise token_error(response, grant, self.secrets())
        try:
            payload = json.loads(response.content)
            token = _Token(payload, self._clock())
        except (ValueError, TypeError, KeyError):
            raise FluentAuthError(
                f"Fluent's token endpoint answered HTTP {response.status_code} "
                "without an access token",
                status_code=response.status_code,
            ) from None
        self._token = token
        logger.debug(
            "logged in with the %s grant; token renews in %.1fs%s",
            grant,
            token.renew_at - self._clock(),
            ", refresh token issued" if token.refresh_token else "",
        )

    def _usable(self, stale: _Token | None) -> _Token | None:
        """The current token unless it is missing, known bad, or due for renewal."""
        token = self._token
        if token is None or token is stale or self._clock() >= token.renew_at:
            return None
        return token

    def _renew(self) -> Generator[httpx.Request, httpx.Response, _Token]:
        """Yield token requests until a token is held; return it. The protocol,
        free of I/O: the one place the token requests and their answers are
        handled. Raises :func:`token_error`'s error when a request fails."""
        old = self._token
        if old is not None and old.refresh_token:
            refresh = old.refresh_token
            old.refresh_token = None  # single-use, whatever the answer
            response = yield self._token_request("refresh_token", refresh_token=refresh)
            response.read()  # (an async answer is read before it is sent in)
            if response.is_success:
                self._accept(response, "refresh_token")
                assert self._token is not None
                return self._token
            logger.debug(
                "refresh grant refused (HTTP %s); using the password grant",
                response.status_code,
            )
        self._token = None
        response = yield self._token_request(
            "password",
            username=self._config.username,
            password=self._config.password,
            scope=self._config.scope,
        )
        response.read()
        self._accept(response, "password")
        assert self._token is not None
        return self._token

    async def _async_renew(self) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """:meth:`_renew` for async clients: each answer is read (awaited) before
        the protocol sees it. The token it ends with is ``self._token``."""
        steps = self._renew()
        request = next(steps)
        while True:
            response = yield request
            await response.aread()
            try:
                request = steps.send(response)
            except StopIteration:
                return

    @staticmethod
    def _authorized(request: httpx.Request, token: _Token) -> httpx.Request:
        request.headers["Authorization"] = f"Bearer {token.access_token}"
        return request

    # -- sync and async drivers: the same steps, each with its own lock -----------

    def _login_request(self) -> httpx.Request:
        # The request a login's flow starts with; only its token requests are sent.
        return httpx.Request("POST", self._token_url)

    def sync_login(self, client: httpx.Client) -> TokenInfo:
        """Make sure a valid token is held, sending token requests with ``client``."""
        with self._thread_lock:
            if self._usable(None) is None:
                client.send(self._login_request(), auth=_LoginFlow(self))
            assert self._token is not None
            return self._token.info

    async def async_login(self, client: httpx.AsyncClient) -> TokenInfo:
        """Async twin of :meth:`sync_login`."""
        async with self._task_lock:
            if self._usable(None) is None:
                await client.send(self._login_request(), auth=_LoginFlow(self))
            assert self._token is not None
            return self._token.info

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        """Send ``request`` with a valid token; on 401 log in again and resend once."""
        stale: _Token | None = None
        for attempt in (1, 2):
            # The lock is taken only to renew (checked again inside, so one
            # caller renews and the others wait for its token).
            token = self._usable(stale)
            if token is None:
                with self._thread_lock:
                    token = self._usable(stale)
                    if token is None:
                        token = yield from self._renew()
            response = yield self._authorized(request, token)
            if response.status_code != 401 or attempt == 2:
                return
            logger.debug("HTTP 401 from %s: logging in again once", request.url.path)
            stale = token

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """Async twin of :meth:`sync_auth_flow`."""
        stale: _Token | None = None
        for attempt in (1, 2):
            token = self._usable(stale)
            if token is None:
                async with self._task_lock:
                    token = self._usable(stale)
                    if token is None:
                        # Pass the token requests up to httpx and the answers
                        # back down (an async generator cannot ``yield from``).
                        renewal = self._async_renew()
                        token_request = await anext(renewal)
                        while True:
                            answer = yield token_request
                            try:
                                token_request = await renewal.asend(answer)
                            except StopAsyncIteration:
                                break
                        token = self._token
            assert token is not None
            response = yield self._authorized(request, token)
            if response.status_code != 401 or attempt == 2:
                return
            logger.debug("HTTP 401 from %s: logging in again once", request.url.path)
            stale = token
