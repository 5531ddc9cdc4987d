"""Errors say what happened: an outage is not bad credentials, a 5xx leaves a write in
doubt, and no secret the server echoes back reaches a message."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from fluent_gql import (
    AsyncFluentClient,
    FluentAuthError,
    FluentClient,
    FluentConfig,
    FluentEndpointNotFoundError,
    FluentGraphQLError,
    FluentHTTPServerError,
    FluentNotFoundError,
    FluentServerError,
    RetryPolicy,
)
from fluent_gql._retry import after_response
from fluent_gql.cli import main
from fluent_gql.emulator import Emulator, EmulatorServer, FaultPlan

FAST = RetryPolicy(max_retries=2, initial_delay=0.001, max_delay=0.005)


@pytest.fixture
def server() -> Iterator[EmulatorServer]:
    with EmulatorServer(Emulator()) as running:
        yield running


class Counter:
    """Counts the requests a client sends, by path."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.tokens: list[str] = []

    def __call__(self, request: httpx.Request) -> None:
        self.paths.append(request.url.path)

    def grab_token(self, response: httpx.Response) -> None:
        if response.url.path.endswith("/oauth/token") and response.is_success:
            response.read()
            self.tokens.append(json.loads(response.content)["access_token"])

    def count(self, suffix: str) -> int:
        return sum(path.endswith(suffix) for path in self.paths)


@contextmanager
def _client(
    server: EmulatorServer, counter: Counter, **config: str
) -> Iterator[FluentClient]:
    with httpx.Client(
        event_hooks={"request": [counter], "response": [counter.grab_token]}
    ) as http:
        settings = server.config().replace(**config)
        with FluentClient(settings, http_client=http, retry_policy=FAST) as client:
            yield client


def test_an_outage_at_the_token_endpoint_is_retried_and_not_called_bad_credentials(
    server: EmulatorServer,
) -> None:
    """HTTP 500/503 from /oauth/token: retried, then a server error, not bad auth."""
    server.emulator.set_faults(FaultPlan(seed=3, token_error_rate=1.0))
    counter = Counter()
    with _client(server, counter) as client, pytest.raises(FluentServerError) as caught:
        client.me()
    assert isinstance(caught.value, FluentHTTPServerError)
    assert not isinstance(caught.value, FluentAuthError)
    assert "not a problem with the credentials" in str(caught.value)
    assert "Check the username" not in str(caught.value)
    assert counter.count("/oauth/token") == FAST.max_retries + 1
    assert counter.count("/graphql") == 0


def test_a_token_endpoint_that_recovers_lets_the_call_through(
    server: EmulatorServer,
) -> None:
    """One failed token request is retried like a dropped connection: the call works."""
    server.emulator.set_faults(FaultPlan(seed=1, token_error_rate=0.5))
    counter = Counter()
    with _client(server, counter) as client:
        outcomes = []
        for _ in range(6):
            client._auth.invalidate()  # every call asks for a token
            try:
                me = client.me().me
                outcomes.append(me.username if me else None)
            except FluentServerError:
                outcomes.append(None)
    assert any(outcomes), outcomes
    assert counter.count("/oauth/token") > len(outcomes)  # some were retried


class _NotFluent(http.server.BaseHTTPRequestHandler):
    """A web server that is not Fluent: every path is 404."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        body = b"<html><body>404 Not Found</body></html>"
        self.send_response(404)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_a_base_url_that_is_not_fluent_is_reported_as_not_found_and_not_retried(
    server: EmulatorServer,
) -> None:
    """A 404 from /oauth/token names the URL and the base URL, not the password."""
    other = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _NotFluent)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    base_url = f"http://127.0.0.1:{other.server_address[1]}"
    counter = Counter()
    try:
        with (
            _client(server, counter, base_url=base_url) as client,
            pytest.raises(FluentNotFoundError) as caught,
        ):
            client.me()
    finally:
        other.shutdown()
        other.server_close()
    assert isinstance(caught.value, FluentEndpointNotFoundError)
    assert "check the base URL" in str(caught.value)
    assert f"{base_url}/oauth/token" in str(caught.value)
    assert counter.count("/oauth/token") == 1


def test_wrong_credentials_are_still_an_auth_error(server: EmulatorServer) -> None:
    """A refused password grant stays a FluentAuthError, sent once."""
    counter = Counter()
    with (
        _client(server, counter, password="not-the-password") as client,
        pytest.raises(FluentAuthError) as caught,
    ):
        client.me()
    assert "Check the username" in str(caught.value)
    assert counter.count("/oauth/token") == 1


@pytest.mark.anyio
async def test_the_async_client_reports_a_token_outage_the_same_way(
    server: EmulatorServer,
) -> None:
    """The async login path: a server error after the retries, never an auth error."""
    server.emulator.set_faults(FaultPlan(seed=3, token_error_rate=1.0))
    async with AsyncFluentClient(server.config(), retry_policy=FAST) as client:
        with pytest.raises(FluentHTTPServerError) as caught:
            await client.me()
        with pytest.raises(FluentHTTPServerError):
            await client.login()
    assert "not a problem with the credentials" in str(caught.value)


def test_the_cli_does_not_exit_with_the_credentials_status_on_a_token_outage(
    server: EmulatorServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`fluent-gql me` against a failing token endpoint: the HTTP status, not 4."""
    creds = server.emulator.credentials
    for name, value in {
        "FLUENT_BASE_URL": server.base_url,
        "FLUENT_USERNAME": creds.username,
        "FLUENT_PASSWORD": creds.password,
        "FLUENT_CLIENT_ID": creds.client_id,
        "FLUENT_CLIENT_SECRET": creds.client_secret,
        "FLUENT_MAX_RETRIES": "0",
    }.items():
        monkeypatch.setenv(name, value)
    server.emulator.set_faults(FaultPlan(seed=3, token_error_rate=1.0))
    code = main(["me"])
    err = capsys.readouterr().err
    assert code == 6, err
    assert "credentials" in err and "Check the username" not in err


@pytest.mark.parametrize("status", range(500, 600))
def test_every_5xx_leaves_a_mutation_in_doubt_and_is_retried_for_a_query(
    status: int,
) -> None:
    """Nobody can know whether a write that got a 5xx ran: maybe_applied, not resent."""
    request = httpx.Request("POST", "https://acme.example/graphql")
    response = httpx.Response(status, request=request, content=b"oops")
    write = after_response(response, 0, RetryPolicy(), is_mutation=True)
    read = after_response(response, 0, RetryPolicy(), is_mutation=False)
    assert (write.retry, write.maybe_applied) == (False, True)
    assert read.retry


def test_a_mutation_answered_with_a_5xx_is_not_resent_and_says_it_may_have_run(
    server: EmulatorServer,
) -> None:
    """Against the emulator's 500/502/503/504 pages: one send, maybe_applied."""
    counter = Counter()
    with _client(server, counter) as client:
        client.login()
        server.emulator.set_faults(FaultPlan(seed=2, server_error_rate=1.0))
        for i in range(4):
            with pytest.raises(FluentHTTPServerError) as caught:
                client.create_customer(email=f"doubt{i}@example.com", first_name="D")
            assert caught.value.maybe_applied
        assert counter.count("/graphql") == 4
        with pytest.raises(FluentHTTPServerError) as query_error:
            client.me()
    assert not query_error.value.maybe_applied
    assert counter.count("/graphql") == 4 + FAST.max_retries + 1


def test_a_secret_the_server_echoes_in_a_graphql_error_is_masked(
    server: EmulatorServer,
) -> None:
    """GraphQL error messages pass the same redaction as HTTP bodies."""
    counter = Counter()
    with _client(server, counter) as client:
        client.me()
        token = counter.tokens[-1]
        password = server.emulator.credentials.password
        for secret in (token, password, f"Bearer {token[::-1]}"):
            query = (
                f'query {{ orders(first: "{secret}") {{ edges {{ node {{ id }} }} }} }}'
            )
            with pytest.raises(FluentGraphQLError) as caught:
                client.graphql(query, validate=False)
            shown = str(caught.value) + repr(caught.value.errors)
            assert "cannot represent" in shown  # the server did echo the value
            assert secret.split()[-1] not in shown
            assert "***" in shown


def test_secrets_in_error_extensions_are_masked_too() -> None:
    """Unit edge case: an echo inside ``extensions`` is masked like the message."""

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return httpx.Response(
                200, json={"access_token": "tok-123456", "expires_in": 60}
            )
        body = {
            "errors": [
                {
                    "message": "bad header Bearer tok-123456",
                    "extensions": {"code": "C0101E", "echo": ["password=hunter22"]},
                }
            ]
        }
        return httpx.Response(200, json=body)

    config = FluentConfig(
        base_url="https://acme.sandbox.api.fluentretail.com",
        username="u",
        password="hunter22",
        client_id="c",
        client_secret="s3cr3t-value",
    )
    transport = httpx.MockTransport(handler)
    with (
        FluentClient(config, transport=transport) as client,
        pytest.raises(FluentGraphQLError) as caught,
    ):
        client.graphql("query { me { id } }")
    entry = caught.value.errors[0]
    assert "tok-123456" not in str(caught.value)
    assert entry.extensions["echo"] == ["password=***"]
    assert entry.code == "C0101E"
