"""The password grant against the emulator: lazy login, renewal, 401, single flight."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import anyio
import httpx
import pytest

from fluent_gql import AsyncFluentClient, FluentAuthError, FluentClient, FluentHTTPError
from fluent_gql.emulator import Emulator, EmulatorCredentials, EmulatorServer

pytestmark = pytest.mark.anyio


@pytest.fixture
def short_tokens() -> Iterator[EmulatorServer]:
    """An emulator whose tokens live two seconds."""
    emulator = Emulator(token_ttl=2.0)
    with EmulatorServer(emulator) as server:
        yield server
    emulator.close()


@pytest.fixture
def refreshing() -> Iterator[EmulatorServer]:
    """An emulator issuing single-use refresh tokens and two-second access tokens."""
    emulator = Emulator(token_ttl=2.0, refresh_tokens=True)
    with EmulatorServer(emulator) as server:
        yield server
    emulator.close()


def test_login_is_lazy_and_the_token_is_reused(fluent_emulator: EmulatorServer) -> None:
    """No token request before the first call; one for many calls."""
    with FluentClient(fluent_emulator.config()) as client:
        before = list(fluent_emulator.emulator.token_requests)
        for _ in range(3):
            client.me()

    assert before == []
    assert fluent_emulator.emulator.token_requests == ["password"]


def test_the_token_response_extras_are_exposed_without_the_token(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    """Retailer_id, names and roles are on token_info; no token value is."""
    info = fluent_client.token_info

    assert info is not None
    assert info.retailer_id == fluent_emulator.emulator.retailer_id
    assert info.first_name
    assert isinstance(info.roles, list)
    assert "access_token" not in repr(info)


def test_a_two_second_token_is_renewed_across_a_sleep(
    short_tokens: EmulatorServer,
) -> None:
    """The client renews before expiry, so the call after the sleep succeeds."""
    with FluentClient(short_tokens.config()) as client:
        client.me()
        time.sleep(2.1)
        me = client.me().me

    assert me is not None
    assert short_tokens.emulator.token_requests == ["password", "password"]


def test_a_revoked_token_takes_the_401_path_exactly_once(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    """After revocation: one re-login, one resend, and the call succeeds."""
    fluent_emulator.emulator.revoke_tokens()

    me = fluent_client.me().me

    assert me is not None
    assert fluent_emulator.emulator.token_requests == ["password", "password"]


def test_a_401_that_persists_after_the_relogin_is_raised_not_looped() -> None:
    """When even the fresh token is refused, the 401 is raised after one retry."""
    calls = {"token": 0, "graphql": 0}

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            calls["token"] += 1
            return httpx.Response(200, json={"access_token": "t", "expires_in": 60})
        calls["graphql"] += 1
        return httpx.Response(401, json={"error": "invalid_token"})

    client = FluentClient(
        base_url="https://acct.example.com",
        username="u",
        password="p",
        client_id="c",
        client_secret="s",
        transport=httpx.MockTransport(handler),
    )
    with client, pytest.raises(FluentHTTPError) as caught:
        client.me()

    assert caught.value.status_code == 401
    assert calls == {"token": 2, "graphql": 2}


def test_refresh_tokens_are_used_once_then_the_password_grant_takes_over(
    refreshing: EmulatorServer,
) -> None:
    """Renewal uses the refresh grant; a refused refresh falls back to the password."""
    emulator = refreshing.emulator
    with FluentClient(refreshing.config()) as client:
        client.me()
        time.sleep(2.1)
        client.me()  # renewed with the refresh token
        emulator.revoke_tokens()  # revokes access and refresh tokens alike
        client.me()  # 401 -> refresh refused -> password

    assert emulator.token_requests == [
        "password",
        "refresh_token",
        "refresh_token",
        "password",
    ]


def test_a_bad_password_is_an_auth_error_with_the_oauth_code(
    fluent_emulator: EmulatorServer,
) -> None:
    """Fluent's invalid_grant (HTTP 400) becomes FluentAuthError."""
    config = fluent_emulator.config().replace(password="wrong-password")

    with FluentClient(config) as client, pytest.raises(FluentAuthError) as caught:
        client.me()

    assert (caught.value.error, caught.value.status_code) == ("invalid_grant", 400)
    assert "wrong-password" not in str(caught.value)


def test_a_bad_client_secret_is_an_auth_error(fluent_emulator: EmulatorServer) -> None:
    """Fluent's invalid_client (HTTP 401) becomes FluentAuthError."""
    config = fluent_emulator.config().replace(client_secret="wrong-secret")

    with FluentClient(config) as client, pytest.raises(FluentAuthError) as caught:
        client.login()

    assert (caught.value.error, caught.value.status_code) == ("invalid_client", 401)


def test_fifty_threads_on_a_cold_client_make_one_token_request(
    fluent_emulator: EmulatorServer,
) -> None:
    """Single flight: concurrent sync callers share one login."""
    errors: list[BaseException] = []
    start = threading.Barrier(50)

    with FluentClient(fluent_emulator.config()) as client:

        def call() -> None:
            start.wait()
            try:
                client.me()
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=call) for _ in range(50)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

    assert errors == []
    assert fluent_emulator.emulator.token_requests == ["password"]


async def test_fifty_tasks_on_a_cold_async_client_make_one_token_request(
    fluent_emulator: EmulatorServer,
) -> None:
    """Single flight: concurrent async callers share one login."""
    results: list[str] = []

    async with AsyncFluentClient(fluent_emulator.config()) as client:

        async def call() -> None:
            me = (await client.me()).me
            assert me is not None
            results.append(me.username)

        async with anyio.create_task_group() as group:
            for _ in range(50):
                group.start_soon(call)

    assert len(results) == 50
    assert fluent_emulator.emulator.token_requests == ["password"]


async def test_the_async_client_renews_and_handles_401_like_the_sync_one(
    short_tokens: EmulatorServer,
) -> None:
    """Expiry renewal and the 401 re-login work the same when awaited."""
    async with AsyncFluentClient(short_tokens.config()) as client:
        await client.me()
        await anyio.sleep(2.1)
        await client.me()
        short_tokens.emulator.revoke_tokens()
        me = (await client.me()).me

    assert me is not None
    assert short_tokens.emulator.token_requests == ["password"] * 3


def test_custom_credentials_are_checked_by_the_emulator() -> None:
    """The emulator accepts exactly the credentials it was given."""
    creds = EmulatorCredentials(
        username="ops",
        password="pw-123456",
        client_id="ACME",
        client_secret="sec-123456",
    )
    emulator = Emulator(credentials=creds)
    with EmulatorServer(emulator) as server, FluentClient(server.config()) as client:
        info = client.login()

    emulator.close()
    assert info.retailer_id == emulator.retailer_id
