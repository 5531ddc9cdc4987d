"""The ``/oauth/token`` endpoint's logic and the tokens it has issued.

Nothing here knows about HTTP: :meth:`TokenIssuer.handle` takes the request
parameters and returns a status code and a JSON body. Fluent's token server looks
like Spring Security OAuth2, and the replies copy its shape: UUID tokens, the user's
details merged into the success body, ``invalid_grant`` (400) for bad user
credentials and ``invalid_client`` (401) for bad client credentials.

Tokens live in memory only: restarting the emulator signs everybody out, even when
its data is kept in a file.
"""

from __future__ import annotations

import hmac
import math
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from fluent_gql.emulator._store import USERS, Record, Store

SCOPE = "api"
"""The only scope Fluent issues."""


@dataclass(frozen=True)
class EmulatorCredentials:
    """The emulated account's login: one API client and one user.

    The defaults are fake, test-only values; override them to test other values.

    Example:
        >>> creds = EmulatorCredentials(username="robot")
        >>> "password" in repr(creds)
        False
    """

    username: str = "admin"
    password: str = field(default="emulator-password", repr=False)
    client_id: str = "EMULATOR"
    client_secret: str = field(default="emulator-client-secret", repr=False)


@dataclass(frozen=True)
class TokenReply:
    """The status code and JSON body of one token endpoint response."""

    status: int
    body: dict[str, Any]


@dataclass(frozen=True)
class TokenCheck:
    """The outcome of checking an access token: a user id, or why it is refused."""

    user_id: int | None
    problem: str = ""


class TokenStore:
    """Access and refresh tokens issued so far, with their expiry.

    Expiry uses a monotonic clock, so a wall-clock change cannot revive a token.

    Args:
        ttl: Lifetime in seconds of access tokens issued from now on.
        clock: Seconds from a monotonic clock; replace it in tests.
    """

    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self._lock = threading.Lock()
        self._clock = clock
        self._ttl = _positive(ttl)
        self._lifetime: float | None = None
        self._access: dict[str, tuple[int, float]] = {}
        self._refresh: dict[str, int] = {}

    @property
    def ttl(self) -> float:
        """Lifetime in seconds of access tokens issued from now on."""
        return self._ttl

    @ttl.setter
    def ttl(self, seconds: float) -> None:
        self._ttl = _positive(seconds)

    @property
    def lifetime(self) -> float | None:
        """Seconds access tokens really live, if not :attr:`ttl` (a fault)."""
        return self._lifetime

    @lifetime.setter
    def lifetime(self, seconds: float | None) -> None:
        self._lifetime = None if seconds is None else _positive(seconds)

    def issue_access(self, user_id: int) -> str:
        """Issue an access token for a user, valid for :attr:`ttl` seconds.

        A token lives :attr:`lifetime` seconds instead when that is set, while
        token responses still announce :attr:`ttl`.
        """
        token = str(uuid.uuid4())
        lifetime = self._ttl if self._lifetime is None else self._lifetime
        with self._lock:
            self._access[token] = (user_id, self._clock() + lifetime)
        return token

    def issue_refresh(self, user_id: int) -> str:
        """Issue a single-use refresh token for a user (it does not expire)."""
        token = str(uuid.uuid4())
        with self._lock:
            self._refresh[token] = user_id
        return token

    def use_refresh(self, token: str) -> int | None:
        """Spend a refresh token; returns its user id, or ``None`` if unknown/used."""
        with self._lock:
            return self._refresh.pop(token, None)

    def check(self, token: str) -> TokenCheck:
        """Find the user of an access token, refusing unknown or expired tokens."""
        with self._lock:
            issued = self._access.get(token)
            if issued is None:
                return TokenCheck(None, "The access token is not valid")
            user_id, expires_at = issued
            if self._clock() >= expires_at:
                del self._access[token]
                return TokenCheck(None, "The access token has expired")
        return TokenCheck(user_id)

    def revoke_all(self) -> None:
        """Invalidate every access and refresh token issued so far."""
        with self._lock:
            self._access.clear()
            self._refresh.clear()


def _positive(seconds: float) -> float:
    if not 0 < seconds < math.inf:
        raise ValueError(
            f"a token lifetime must be positive and finite, got {seconds!r}"
        )
    return float(seconds)


def _error(status: int, error: str, description: str) -> TokenReply:
    return TokenReply(status, {"error": error, "error_description": description})


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


class TokenIssuer:
    """Answers token requests for the password and refresh-token grants.

    Args:
        credentials: The account's API client and user.
        tokens: Where issued tokens are kept.
        store: Where the user's details (name, retailer, roles) are read.
        refresh_tokens: Issue refresh tokens, as accounts with them enabled do.
    """

    def __init__(
        self,
        credentials: EmulatorCredentials,
        tokens: TokenStore,
        store: Store,
        *,
        refresh_tokens: bool,
    ) -> None:
        self._credentials = credentials
        self._tokens = tokens
        self._store = store
        self._refresh_tokens = refresh_tokens
        self.requests: list[str] = []
        """The ``grant_type`` of every request handled, in order ("" if missing)."""

    def handle(self, params: Mapping[str, str]) -> TokenReply:
        """Answer one token request given its merged form and query parameters."""
        grant_type = params.get("grant_type", "")
        self.requests.append(grant_type)
        grant_params = {
            "password": ("username", "password"),
            "refresh_token": ("refresh_token",),
        }.get(grant_type)
        required = ("grant_type", "client_id", "client_secret", *(grant_params or ()))
        for name in required:
            if not params.get(name):
                return _error(400, "invalid_request", f"Missing parameter: {name}")
        if grant_params is None:
            return _error(
                400, "unsupported_grant_type", f"Unsupported grant type: {grant_type}"
            )
        if not (
            _same(params["client_id"], self._credentials.client_id)
            and _same(params["client_secret"], self._credentials.client_secret)
        ):
            return _error(401, "invalid_client", "Bad client credentials")
        scope = params.get("scope") or SCOPE
        if scope != SCOPE:
            return _error(400, "invalid_scope", f"Invalid scope: {scope}")
        if grant_type == "password":
            return self._password_grant(params["username"], params["password"])
        return self._refresh_grant(params["refresh_token"])

    def _password_grant(self, username: str, password: str) -> TokenReply:
        user = None
        if _same(username, self._credentials.username) and _same(
            password, self._credentials.password
        ):
            user = self._store.find_one(USERS, {"username": username})
        if user is None:
            return _error(400, "invalid_grant", "Bad credentials")
        return self._grant(user)

    def _refresh_grant(self, refresh_token: str) -> TokenReply:
        user_id = self._tokens.use_refresh(refresh_token)
        user = None if user_id is None else self._store.find_one(USERS, {"id": user_id})
        if user is None:
            return _error(400, "invalid_grant", "Invalid refresh token")
        return self._grant(user)

    def _grant(self, user: Record) -> TokenReply:
        ttl = self._tokens.ttl
        body: dict[str, Any] = {
            "access_token": self._tokens.issue_access(user["id"]),
            "token_type": "bearer",
            # Fluent sends an integer; round up so a sub-second lifetime is not 0.
            "expires_in": math.ceil(ttl),
            "scope": SCOPE,
        }
        if self._refresh_tokens:
            body["refresh_token"] = self._tokens.issue_refresh(user["id"])
        if user["primaryRetailerId"] is not None:
            body["Retailer_id"] = user["primaryRetailerId"]
        body["FirstName"] = user["firstName"] or ""
        body["LastName"] = user["lastName"] or ""
        body["Roles"] = [grant["role"]["name"] for grant in user["roles"]]
        return TokenReply(200, body)
