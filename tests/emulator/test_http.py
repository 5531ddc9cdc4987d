"""The /graphql endpoint over HTTP: bearer checks, bodies, routes and status codes."""

from __future__ import annotations

import json
import sqlite3
import time
from typing import Any

import httpx
import pytest

from fluent_gql import FluentClient
from fluent_gql.emulator import Emulator, EmulatorServer

from .support import Api, StartServer

ME = "{ me { username } }"


def test_the_bearer_scheme_is_case_insensitive(api: Api) -> None:
    """``bearer``, ``Bearer`` and ``BEARER`` all work, as PRISM sends lower case."""
    statuses = [
        api.http.post(
            "/graphql",
            json={"query": ME},
            headers={"Authorization": f"{scheme} {api.access_token}"},
        ).status_code
        for scheme in ("bearer", "Bearer", "BEARER")
    ]

    assert statuses == [200, 200, 200]


@pytest.mark.parametrize(
    ("headers", "description"),
    [
        ({}, "A bearer token is required"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "A bearer token is required"),
        ({"Authorization": "Bearer"}, "A bearer token is required"),
        ({"Authorization": "Bearer not-a-token"}, "The access token is not valid"),
    ],
)
def test_requests_without_a_valid_token_get_401(
    api: Api, headers: dict[str, str], description: str
) -> None:
    """Missing, foreign-scheme, empty and unknown tokens are all invalid_token."""
    response = api.http.post("/graphql", json={"query": ME}, headers=headers)

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    assert response.json() == {
        "error": "invalid_token",
        "error_description": description,
    }


def test_a_401_never_contains_the_token(api: Api) -> None:
    """The refused token value is not echoed back."""
    response = api.post(ME, token="secret-looking-token-value")

    assert response.status_code == 401
    assert "secret-looking-token-value" not in response.text


def test_authentication_is_checked_before_the_body(api: Api) -> None:
    """A malformed body without a token is a 401, not a 400."""
    response = api.http.post("/graphql", content=b"{not json")

    assert response.status_code == 401


def _raw(api: Api, content: bytes) -> httpx.Response:
    return api.http.post(
        "/graphql",
        content=content,
        headers={
            "Authorization": f"Bearer {api.access_token}",
            "Content-Type": "application/json",
        },
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "The request body is not JSON"),
        (b"\xff\xfe", "The request body is not JSON"),
        (b'{"query": NaN}', "The request body is not JSON"),
        (b"[1, 2]", "The request body must be a JSON object"),
        (b'"query"', "The request body must be a JSON object"),
        (b"{}", "The request body needs a 'query' string"),
        (b'{"query": 5}', "The request body needs a 'query' string"),
        (b'{"query": "{ me { id } }", "variables": [1]}', "'variables' must be"),
        (b'{"query": "{ me { id } }", "operationName": 1}', "'operationName' must"),
    ],
)
def test_malformed_bodies_are_400_with_a_graphql_error(
    api: Api, content: bytes, message: str
) -> None:
    """Bodies that are not GraphQL requests get 400 and an ``errors`` list."""
    response = _raw(api, content)
    body = response.json()

    assert response.status_code == 400
    assert list(body) == ["errors"]
    assert body["errors"][0]["message"].startswith(message)


def test_deeply_nested_json_is_a_400_not_a_crash(api: Api) -> None:
    """A body nested beyond the JSON parser's recursion limit is still a 400."""
    response = _raw(api, b"[" * 100_000 + b"]" * 100_000)

    assert response.status_code == 400


def test_bodies_over_two_megabytes_are_refused_with_413(api: Api) -> None:
    """Fluent's documented request size limit."""
    query = "{ me { id } }" + " " * (2 * 1024 * 1024)

    response = api.post(query)

    assert response.status_code == 413


def test_null_variables_and_operation_name_are_allowed(api: Api) -> None:
    """Explicit nulls are the same as leaving the keys out."""
    body = b'{"query": "{ me { username } }", "variables": null, "operationName": null}'

    response = _raw(api, body)

    assert response.json() == {"data": {"me": {"username": "admin"}}}


def test_the_operation_name_picks_one_of_several_operations(api: Api) -> None:
    """operationName selects which operation in the document runs."""
    document = "query A { me { username } } query B { me { type } }"

    response = api.http.post(
        "/graphql",
        json={"query": document, "operationName": "B"},
        headers={"Authorization": f"Bearer {api.access_token}"},
    )

    assert response.json() == {"data": {"me": {"type": "ADMIN"}}}


@pytest.mark.parametrize(
    ("query", "variables", "message"),
    [
        ("{ me { id ", None, "Syntax Error"),
        ("{ nope }", None, "Cannot query field 'nope' on type 'Query'."),
        ("query Q { me { id } } query R { me { id } }", None, "Must provide operation"),
        (
            "query Q($id: ID!) { customerById(id: $id) { id } }",
            {},
            "Variable '$id' of required type 'ID!' was not provided.",
        ),
    ],
)
def test_request_errors_are_200_with_errors_and_no_data(
    api: Api, query: str, variables: dict[str, Any] | None, message: str
) -> None:
    """Syntax, validation and variable errors: HTTP 200, ``errors`` only."""
    body = api.execute(query, variables)

    assert "data" not in body
    assert body["errors"][0]["message"].startswith(message)


def test_field_errors_keep_data_with_nulls_and_a_path(api: Api) -> None:
    """A failing field is null in ``data``; its sibling still resolves."""
    body = api.execute("{ me { username } customers(first: 0) { edges { cursor } } }")

    assert body["data"] == {"me": {"username": "admin"}, "customers": None}
    assert body["errors"] == [
        {
            "message": "'first' must be between 1 and 5000, got 0",
            "locations": [{"line": 1, "column": 19}],
            "path": ["customers"],
            "extensions": {"code": "C0142E"},
        }
    ]


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_only_post_is_allowed(api: Api, method: str) -> None:
    """Other methods get 405 with an Allow header, on both endpoints."""
    responses = [
        api.http.request(method, path) for path in ("/graphql", "/oauth/token")
    ]

    assert [r.status_code for r in responses] == [405, 405]
    assert all(r.headers["allow"] == "POST" for r in responses)


def test_unknown_paths_are_404(api: Api) -> None:
    """Only /oauth/token and /graphql exist."""
    response = api.http.post("/graphql/")

    assert response.status_code == 404


def test_internal_failures_are_s9999e_not_500(start_server: StartServer) -> None:
    """With its database closed under it the emulator answers 200 S9999E, no trace."""
    api = start_server()
    api.login()
    api.emulator.close()

    response = api.post(ME)

    assert response.status_code == 200
    assert response.json() == {
        "errors": [
            {
                "message": "Internal error in the fluent-gql emulator",
                "locations": [{"line": 1, "column": 3}],
                "path": ["me"],
                "extensions": {"code": "S9999E"},
            }
        ],
        "data": {"me": None},
    }


def test_internal_failures_are_logged(
    start_server: StartServer, caplog: pytest.LogCaptureFixture
) -> None:
    """The hidden cause of an S9999E goes to the fluent_gql.emulator logger."""
    api = start_server()
    api.login()
    api.emulator.close()

    with caplog.at_level("ERROR", logger="fluent_gql.emulator"):
        api.post(ME)
    causes = [
        record.exc_info[1]
        for record in caplog.records
        if record.name == "fluent_gql.emulator" and record.exc_info
    ]

    assert len(causes) == 1
    assert isinstance(causes[0], sqlite3.ProgrammingError)


def test_an_internal_token_endpoint_failure_is_a_json_500(
    start_server: StartServer,
) -> None:
    """The token endpoint answers OAuth's server_error rather than a bare 500 page."""
    api = start_server()
    api.emulator.close()

    response = api.token()

    assert response.status_code == 500
    assert response.json()["error"] == "server_error"


def test_responses_are_compact_utf8_json(api: Api) -> None:
    """Responses are application/json; non-ASCII text survives the round trip."""
    customer = api.create_customer(firstName="Zoë", lastName="Ångström")

    response = api.post(
        "query($u: String!) { customer(ref: $u) { firstName lastName } }",
        {"u": customer["username"]},
    )

    assert response.headers["content-type"] == "application/json"
    assert json.loads(response.content.decode("utf-8"))["data"]["customer"] == {
        "firstName": "Zoë",
        "lastName": "Ångström",
    }


def test_loopback_responses_do_not_stall_on_nagle(api: Api) -> None:
    """Sequential calls take far less than the 40 ms Nagle/delayed-ACK stall."""
    api.post(ME)
    timings = []
    for _ in range(15):
        started = time.perf_counter()
        api.post(ME)
        timings.append(time.perf_counter() - started)

    assert sorted(timings)[len(timings) // 2] < 0.03


def test_the_server_binds_the_requested_port_and_reports_it() -> None:
    """base_url names the bound port; port 0 picks a free one."""
    with Emulator() as emulator:
        with EmulatorServer(emulator) as server:
            port = int(server.base_url.rsplit(":", 1)[1])
        with EmulatorServer(emulator, port=port) as again:
            url = again.base_url
            status = httpx.post(f"{url}/graphql").status_code

    assert url == f"http://127.0.0.1:{port}"
    assert status == 401


def test_a_stopped_server_refuses_connections_and_has_no_url() -> None:
    """After stop() the port is closed and base_url raises."""
    with Emulator() as emulator:
        server = EmulatorServer(emulator)
        server.start()
        url = server.base_url
        server.stop()

        with pytest.raises(httpx.ConnectError):
            httpx.post(f"{url}/graphql")
        with pytest.raises(RuntimeError, match="not running"):
            _ = server.base_url


def test_a_server_cannot_be_started_twice() -> None:
    """start() on a running server raises instead of leaking a thread."""
    with (
        Emulator() as emulator,
        EmulatorServer(emulator) as server,
        pytest.raises(RuntimeError, match="already running"),
    ):
        server.start()


def test_the_server_can_be_restarted_after_stopping() -> None:
    """stop() then start() serves again (on a new free port)."""
    with Emulator() as emulator:
        server = EmulatorServer(emulator)
        server.start()
        server.stop()
        server.start()
        try:
            status = httpx.post(f"{server.base_url}/graphql").status_code
        finally:
            server.stop()

    assert status == 401


def test_config_points_a_client_at_the_server(api: Api) -> None:
    """EmulatorServer.config() carries the URL and credentials, no retailer id."""
    config = api.server.config()
    creds = api.emulator.credentials

    assert config.base_url == api.server.base_url
    assert (config.username, config.password) == (creds.username, creds.password)
    assert (config.client_id, config.client_secret) == (
        creds.client_id,
        creds.client_secret,
    )
    assert config.retailer_id is None


def test_a_server_bound_to_every_address_names_a_url_the_client_takes() -> None:
    """EmulatorServer(host="0.0.0.0") names its loopback URL: the client accepts it."""
    with EmulatorServer(Emulator(), host="0.0.0.0") as server:
        assert server.base_url.startswith("http://127.0.0.1:")
        with FluentClient(server.config()) as client:
            me = client.me().me
    assert me is not None and me.username == server.emulator.credentials.username
