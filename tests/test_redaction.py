"""Secrets never print: not in reprs, logs, exception messages or token info."""

from __future__ import annotations

import json
import logging
import time

import httpx
import pytest

from fluent_gql import (
    FluentAuthError,
    FluentClient,
    FluentConfig,
    FluentError,
    RetryPolicy,
)
from fluent_gql.emulator import (
    Emulator,
    EmulatorCredentials,
    EmulatorServer,
    FaultPlan,
)

PASSWORD = "pw-S3CRET-horse-battery"
CLIENT_SECRET = "cs-S3CRET-staple-42"


def test_secrets_and_tokens_appear_nowhere_in_a_debug_session(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Login, refresh, 401 re-login, retries and errors leave no secret behind."""
    caplog.set_level(logging.DEBUG)
    creds = EmulatorCredentials(
        username="ops", password=PASSWORD, client_id="ACME", client_secret=CLIENT_SECRET
    )
    emulator = Emulator(credentials=creds, token_ttl=1.0, refresh_tokens=True)
    tokens: list[str] = []

    def grab(response: httpx.Response) -> None:
        if response.url.path == "/oauth/token" and response.is_success:
            response.read()
            payload = json.loads(response.content)
            tokens.extend([payload["access_token"], payload.get("refresh_token", "")])

    seen: list[str] = []
    with EmulatorServer(emulator) as server:
        http = httpx.Client(event_hooks={"response": [grab]})
        client = FluentClient(server.config(), http_client=http)
        client.me()
        time.sleep(1.1)
        client.me()  # refresh grant
        emulator.revoke_tokens()
        client.me()  # 401 -> refused refresh -> password grant
        # Retries (5xx, 429, dropped connections) and their final errors.
        emulator.set_faults(
            FaultPlan(
                seed=5,
                server_error_rate=0.3,
                rate_limit_rate=0.2,
                retry_after=0.01,
                drop_before_rate=0.2,
            )
        )
        fast = client.with_options(
            retry_policy=RetryPolicy(max_retries=2, initial_delay=0.001, max_delay=0.01)
        )
        for i in range(12):
            try:
                fast.me()
                fast.create_customer(email=f"r{i}@example.com", first_name="R")
            except FluentError as exc:
                seen += [str(exc), repr(exc), getattr(exc, "body_excerpt", "")]
        emulator.set_faults(None)
        with pytest.raises(FluentError) as graphql_error:
            client.graphql("query { customer(ref: 1) { id } }", validate=False)
        seen += [str(graphql_error.value), repr(graphql_error.value)]
        seen += [repr(client), str(client), repr(client.config), str(client.config)]
        seen += [repr(client.token_info), repr(client._auth)]
        bad = FluentConfig.from_env(
            {
                "FLUENT_BASE_URL": server.base_url,
                "FLUENT_USERNAME": "ops",
                "FLUENT_PASSWORD": PASSWORD + "x",
                "FLUENT_CLIENT_ID": "ACME",
                "FLUENT_CLIENT_SECRET": CLIENT_SECRET,
            }
        )
        with FluentClient(bad) as wrong, pytest.raises(FluentAuthError) as caught:
            wrong.me()
        seen += [str(caught.value), repr(caught.value), repr(bad)]
        http.close()
    emulator.close()
    seen.append(caplog.text)
    everything = "\n".join(seen)

    assert len([t for t in tokens if t]) >= 4  # the test did see real tokens
    assert "retrying" in caplog.text  # and real retries were logged
    for secret in [PASSWORD, CLIENT_SECRET, *filter(None, tokens)]:
        assert secret not in everything


def test_config_errors_name_the_setting_but_not_its_value_for_secrets() -> None:
    """A blank password is reported by name; a given secret is never echoed."""
    with pytest.raises(Exception) as caught:
        FluentConfig(
            base_url="https://acct.example.com/graphql",
            username="u",
            password=PASSWORD,
            client_id="c",
            client_secret=CLIENT_SECRET,
        )

    assert "base_url" in str(caught.value)
    assert PASSWORD not in str(caught.value) and CLIENT_SECRET not in str(caught.value)
