"""Secrets never print: not in reprs, logs, exception messages or token info."""

from __future__ import annotations

import json
import logging
import time

import httpx
import pytest

from fluent_gql import FluentAuthError, FluentClient, FluentConfig
from fluent_gql.emulator import Emulator, EmulatorCredentials, EmulatorServer

PASSWORD = "pw-S3CRET-horse-battery"
CLIENT_SECRET = "cs-S3CRET-staple-42"


def test_secrets_and_tokens_appear_nowhere_in_a_debug_session(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Login, refresh, 401 re-login and an auth error leave no secret behind."""
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
    assert "DEBUG" in caplog.text or caplog.records  # and real log output
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
