"""The fault plan: each fault over real HTTP with plain httpx, seeds, validation."""

from __future__ import annotations

import contextlib
import logging
import math
import time
from typing import Any

import httpx
import pytest

from fluent_gql.emulator import Emulator, EmulatorServer, FaultPlan, main
from fluent_gql.emulator._drop import ConnectionDroppedError

from .support import CREATE_CUSTOMER, Api, StartServer, customer_input

ME = "{ me { username } }"


def _faulty(start_server: StartServer, **settings: Any) -> Api:
    """A logged-in private server that then misbehaves as ``settings`` say."""
    api = start_server()
    api.login()
    api.emulator.set_faults(FaultPlan(**settings))
    return api


def _create_customer(api: Api) -> tuple[str, httpx.Response]:
    variables = {"input": customer_input()}
    return variables["input"]["username"], api.post(CREATE_CUSTOMER, variables)


def _stored(api: Api, username: str) -> bool:
    api.emulator.set_faults(None)
    body = api.execute(
        "query($r: String!) { customer(ref: $r) { id } }", {"r": username}
    )
    return body["data"]["customer"] is not None


def _loud_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.levelno >= logging.WARNING]


# -- The plan ---------------------------------------------------------------------

_RATES = [
    "server_error_rate",
    "rate_limit_rate",
    "graphql_rate_limit_rate",
    "drop_before_rate",
    "drop_after_rate",
    "malformed_rate",
    "revoke_rate",
    "stall_rate",
    "token_error_rate",
]


@pytest.mark.parametrize("name", _RATES)
@pytest.mark.parametrize("value", [-0.01, 1.01, math.nan, math.inf, True, "0.1"])
def test_every_rate_must_be_a_probability(name: str, value: object) -> None:
    """Rates outside [0, 1], NaN, booleans and strings name the field."""
    with pytest.raises(ValueError, match=f"^{name} must be between 0 and 1") as caught:
        FaultPlan(**{name: value})  # type: ignore[arg-type]

    assert repr(value) in str(caught.value)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"latency": -1.0}, "latency must be zero or more, and finite"),
        ({"latency": math.inf}, "latency must be zero or more, and finite"),
        ({"retry_after": -0.5}, "retry_after must be zero or more, and finite"),
        ({"token_lifetime": 0.0}, "token_lifetime must be positive and finite"),
        ({"token_lifetime": math.nan}, "token_lifetime must be positive and finite"),
        ({"seed": 1.5}, "seed must be an integer"),
        ({"seed": False}, "seed must be an integer"),
    ],
)
def test_durations_and_the_seed_are_validated(
    settings: dict[str, Any], message: str
) -> None:
    """Negative or infinite durations, a zero lifetime and a float seed are refused."""
    with pytest.raises(ValueError, match=message):
        FaultPlan(**settings)


def test_the_graphql_rates_may_add_up_to_one_but_no_more() -> None:
    """A request gets one fault at most; token errors are counted apart."""
    eighths: dict[str, Any] = {name: 1 / 8 for name in _RATES[:-1]}
    full = FaultPlan(**eighths, token_error_rate=1.0)

    with pytest.raises(
        ValueError, match=r"add up to 1\.2; .* must add up to 1 at most$"
    ):
        FaultPlan(server_error_rate=0.7, malformed_rate=0.5)
    assert math.isclose(sum(rate for _, rate in full.graphql_rates()), 1.0)


def test_a_plan_reads_back_its_own_text_form() -> None:
    """str() lists the settings that differ from the defaults, parse() reads them."""
    plan = FaultPlan(seed=7, latency=0.25, drop_after_rate=0.1, token_lifetime=2)

    assert str(plan) == "seed=7,latency=0.25,drop_after_rate=0.1,token_lifetime=2.0"
    assert FaultPlan.parse(str(plan)) == plan
    assert FaultPlan.parse(" ") == FaultPlan()
    assert str(FaultPlan()) == ""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("bogus_rate=0.1", "unknown fault setting 'bogus_rate'; known: seed, "),
        ("latency", "expected NAME=VALUE in the fault plan, got 'latency'"),
        ("latency=fast", "fault setting 'latency' needs a number, got 'fast'"),
        ("seed=1.5", "fault setting 'seed' needs an integer, got '1.5'"),
        ("seed=1,seed=2", "fault setting 'seed' is given twice"),
        ("malformed_rate=2", "malformed_rate must be between 0 and 1, got 2.0"),
    ],
)
def test_parsing_names_the_bad_setting(text: str, message: str) -> None:
    """Unknown names, missing values, non-numbers and repeats are ValueErrors."""
    with pytest.raises(ValueError) as caught:
        FaultPlan.parse(text)

    assert str(caught.value).startswith(message)


# -- Each fault over HTTP ------------------------------------------------------------


def test_latency_delays_every_request(start_server: StartServer) -> None:
    """Token and GraphQL requests both wait ``latency`` seconds first."""
    api = _faulty(start_server, latency=0.15)

    started = time.perf_counter()
    token = api.token()
    me = api.post(ME)
    elapsed = time.perf_counter() - started

    assert (token.status_code, me.status_code) == (200, 200)
    assert elapsed >= 0.3
    assert sum(api.emulator.faults_injected.values()) == 0


def test_server_errors_look_like_a_load_balancer_and_change_nothing(
    start_server: StartServer,
) -> None:
    """500/502/503/504 with HTML or JSON pages; the mutation is not executed."""
    api = _faulty(start_server, server_error_rate=1.0, seed=5)
    before = api.emulator.customer_count()

    responses = [_create_customer(api)[1] for _ in range(24)]
    kinds = {r.headers["content-type"].split(";")[0] for r in responses}

    assert {r.status_code for r in responses} == {500, 502, 503, 504}
    assert kinds == {"text/html", "application/json"}
    assert any("<center><h1>502 Bad Gateway</h1></center>" in r.text for r in responses)
    assert api.emulator.customer_count() == before
    assert api.emulator.faults_injected == {"server_error": 24}


@pytest.mark.parametrize(("retry_after", "header"), [(0.05, "0.05"), (2.0, "2")])
def test_rate_limits_are_429_with_retry_after(
    start_server: StartServer, retry_after: float, header: str
) -> None:
    """HTTP 429 with ``Retry-After`` in seconds and a C0011E error; not executed."""
    api = _faulty(start_server, rate_limit_rate=1.0, retry_after=retry_after)
    before = api.emulator.customer_count()

    _, response = _create_customer(api)

    assert response.status_code == 429
    assert response.headers["retry-after"] == header
    assert response.json()["errors"][0]["extensions"] == {"code": "C0011E"}
    assert api.emulator.customer_count() == before


def test_graphql_rate_limits_are_200_with_c0011e(start_server: StartServer) -> None:
    """Fluent's own rate-limit error: HTTP 200, an error with code C0011E, no data."""
    api = _faulty(start_server, graphql_rate_limit_rate=1.0)
    before = api.emulator.customer_count()

    _, response = _create_customer(api)
    body = response.json()

    assert response.status_code == 200
    assert list(body) == ["errors"]
    assert body["errors"][0]["extensions"]["code"] == "C0011E"
    assert api.emulator.customer_count() == before


_DROPS = [("drop_before", False), ("drop_after", True)]


@pytest.mark.parametrize(("kind", "applied"), _DROPS)
def test_a_dropped_connection_is_a_transport_error_for_a_sync_client(
    start_server: StartServer,
    caplog: pytest.LogCaptureFixture,
    kind: str,
    applied: bool,
) -> None:
    """No HTTP answer at all; only drop_after stores the customer; nothing logged."""
    api = _faulty(start_server, **{f"{kind}_rate": 1.0})

    variables = {"input": customer_input()}

    with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
        api.post(CREATE_CUSTOMER, variables)

    assert api.emulator.faults_injected == {kind: 1}
    assert _stored(api, variables["input"]["username"]) is applied
    assert _loud_records(caplog) == []


@pytest.mark.anyio
@pytest.mark.parametrize(("kind", "applied"), _DROPS)
async def test_a_dropped_connection_is_a_transport_error_for_an_async_client(
    start_server: StartServer,
    caplog: pytest.LogCaptureFixture,
    kind: str,
    applied: bool,
) -> None:
    """The same for httpx.AsyncClient: RemoteProtocolError, never a status code."""
    api = _faulty(start_server, **{f"{kind}_rate": 1.0})
    variables = {"input": customer_input()}
    headers = {"Authorization": f"Bearer {api.access_token}"}

    async with httpx.AsyncClient(base_url=api.server.base_url) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            await client.post(
                "/graphql",
                json={"query": CREATE_CUSTOMER, "variables": variables},
                headers=headers,
            )

    assert _stored(api, variables["input"]["username"]) is applied
    assert _loud_records(caplog) == []


def test_malformed_answers_are_200_with_a_broken_body_after_executing(
    start_server: StartServer,
) -> None:
    """Truncated JSON or a cut-off HTML page, and the mutation did happen."""
    api = _faulty(start_server, malformed_rate=1.0, seed=2)
    created = [_create_customer(api) for _ in range(8)]
    kinds = {r.headers["content-type"].split(";")[0] for _, r in created}
    parse_errors = 0
    for _, response in created:
        try:
            response.json()
        except ValueError:
            parse_errors += 1

    assert {r.status_code for _, r in created} == {200}
    assert kinds == {"text/html", "application/json"}
    assert parse_errors == 8
    assert all(_stored(api, username) for username, _ in created)


def test_a_stalled_answer_times_the_client_out_after_executing(
    start_server: StartServer,
) -> None:
    """The mutation is applied; its answer comes too late for a short timeout."""
    api = _faulty(start_server, stall_rate=1.0, stall=1.0)
    new = customer_input()
    start = time.perf_counter()
    with pytest.raises(httpx.ReadTimeout):
        api.http.post(
            "/graphql",
            json={"query": CREATE_CUSTOMER, "variables": {"input": new}},
            headers={"Authorization": f"Bearer {api.access_token}"},
            timeout=0.2,
        )
    username = new["username"]

    assert time.perf_counter() - start < 0.9
    assert api.emulator.faults_injected["stall"] == 1
    assert _stored(api, username)


def test_revocation_turns_the_request_into_a_401_for_good(
    start_server: StartServer,
) -> None:
    """All tokens are revoked first: this request and later ones with it get 401."""
    api = _faulty(start_server, revoke_rate=1.0)

    revoked = api.post(ME)
    api.emulator.set_faults(None)
    later = api.post(ME)

    assert revoked.status_code == 401
    assert later.status_code == 401
    assert api.emulator.faults_injected == {"revoke": 1}


def test_tokens_expire_early_while_expires_in_keeps_the_ttl(
    start_server: StartServer,
) -> None:
    """``token_lifetime`` shortens real lifetimes, not what the token reply says."""
    api = start_server(token_ttl=3600.0, faults=FaultPlan(token_lifetime=0.2))

    reply = api.token().json()
    api.access_token = reply["access_token"]
    fresh = api.post(ME)
    time.sleep(0.3)
    stale = api.post(ME)

    assert reply["expires_in"] == 3600
    assert fresh.status_code == 200
    assert stale.status_code == 401
    assert stale.json()["error_description"] == "The access token has expired"


def test_token_errors_are_5xx_from_the_token_endpoint_only(
    start_server: StartServer,
) -> None:
    """The token endpoint answers 500 or 503; /graphql requests are untouched."""
    api = _faulty(start_server, token_error_rate=1.0, seed=1)

    replies = [api.token() for _ in range(12)]
    me = api.post(ME)

    assert {r.status_code for r in replies} == {500, 503}
    assert "access_token" not in "".join(r.text for r in replies)
    assert me.status_code == 200
    assert api.emulator.faults_injected == {"token_error": 12}
    assert api.emulator.token_requests == ["password"]


# -- Determinism and the record ---------------------------------------------------

_MIXED = FaultPlan(
    seed=11,
    server_error_rate=0.1,
    rate_limit_rate=0.1,
    graphql_rate_limit_rate=0.1,
    drop_before_rate=0.1,
    malformed_rate=0.1,
    token_error_rate=0.3,
)


def _run(api: Api, plan: FaultPlan) -> list[tuple[int, str]]:
    api.emulator.set_faults(plan)
    api.emulator.fault_log.clear()
    for number in range(40):
        with contextlib.suppress(httpx.TransportError):
            api.token() if number % 4 == 0 else api.post(ME)
    return list(api.emulator.fault_log)


def test_the_same_seed_gives_the_same_faults_in_the_same_places(
    start_server: StartServer,
) -> None:
    """Sequential runs repeat exactly; another seed gives another sequence."""
    first, second = start_server(), start_server()
    first.login()
    second.login()

    run = _run(first, _MIXED)
    again = _run(second, _MIXED)
    restarted = _run(first, _MIXED)
    other = _run(second, FaultPlan(**{**vars(_MIXED), "seed": 12}))

    assert len(run) >= 10
    assert {kind for _, kind in run} >= {"server_error", "token_error", "drop_before"}
    assert [kind for _, kind in again] == [kind for _, kind in run]
    assert [kind for _, kind in restarted] == [kind for _, kind in run]
    assert [number - run[0][0] for number, _ in again] == [
        number - run[0][0] for number, _ in run
    ]
    assert other != again


def test_the_record_counts_every_injected_fault(start_server: StartServer) -> None:
    """faults_injected and fault_log agree, and rates hold in aggregate."""
    api = _faulty(start_server, server_error_rate=0.25, seed=4)

    statuses = [api.post(ME).status_code for _ in range(200)]
    injected = api.emulator.faults_injected["server_error"]

    assert injected == sum(status >= 500 for status in statuses)
    assert [kind for _, kind in api.emulator.fault_log] == ["server_error"] * injected
    assert 30 <= injected <= 70


def test_no_plan_and_a_cleared_plan_inject_nothing(start_server: StartServer) -> None:
    """``set_faults(None)`` stops the faults; requests are still numbered."""
    api = _faulty(start_server, server_error_rate=1.0)
    api.post(ME)
    api.emulator.set_faults(None)

    statuses = [api.post(ME).status_code for _ in range(5)]

    assert statuses == [200] * 5
    assert api.emulator.faults is None
    assert api.emulator.fault_log == [(2, "server_error")]


def test_set_faults_refuses_anything_but_a_plan() -> None:
    """A dict is not silently accepted as a plan."""
    with Emulator() as emulator, pytest.raises(TypeError, match="FaultPlan or None"):
        emulator.set_faults({"server_error_rate": 0.1})  # type: ignore[arg-type]


@pytest.mark.anyio
async def test_other_asgi_servers_get_a_head_without_its_body() -> None:
    """Without uvicorn's transport the drop falls back to an aborted response."""
    with Emulator(faults=FaultPlan(drop_before_rate=1.0)) as emulator:
        transport = httpx.ASGITransport(app=emulator.app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://t"
        ) as client:
            with pytest.raises(ConnectionDroppedError):
                await client.post("/graphql", json={"query": ME})


# -- pytest fixtures ----------------------------------------------------------------


@pytest.mark.fluent_faults(server_error_rate=1.0, seed=3)
def test_the_marker_gives_the_fixture_emulator_its_plan(
    fluent_emulator: EmulatorServer, fluent_faults: FaultPlan | None
) -> None:
    """``@pytest.mark.fluent_faults(**settings)`` reaches ``fluent_emulator``."""
    response = httpx.post(f"{fluent_emulator.base_url}/graphql", json={"query": ME})

    assert fluent_faults == FaultPlan(server_error_rate=1.0, seed=3)
    assert fluent_emulator.emulator.faults == fluent_faults
    assert response.status_code >= 500


@pytest.mark.fluent_faults(FaultPlan(token_error_rate=1.0))
def test_fixture_clients_log_in_before_token_errors_start(
    fluent_client: object, fluent_emulator: EmulatorServer
) -> None:
    """The fixture's login succeeded; later token requests meet the plan."""
    creds = fluent_emulator.emulator.credentials
    response = httpx.post(
        f"{fluent_emulator.base_url}/oauth/token",
        data={
            "grant_type": "password",
            "username": creds.username,
            "password": creds.password,
            "client_id": creds.client_id,
            "client_secret": creds.client_secret,
        },
    )

    assert fluent_emulator.emulator.token_requests == ["password"]
    assert response.status_code in {500, 503}
    assert fluent_emulator.emulator.faults == FaultPlan(token_error_rate=1.0)


def test_without_a_marker_the_fixture_emulator_behaves(
    fluent_faults: FaultPlan | None, fluent_emulator: EmulatorServer
) -> None:
    """No marker, no plan."""
    assert fluent_faults is None
    assert fluent_emulator.emulator.faults is None


@pytest.mark.parametrize(
    ("mark", "message"),
    [
        (pytest.mark.fluent_faults(bogus=1), "unexpected keyword argument 'bogus'"),
        (pytest.mark.fluent_faults(latency=-1), "latency must be zero or more"),
        (pytest.mark.fluent_faults({"seed": 1}), "takes one FaultPlan"),
    ],
)
def test_a_bad_marker_is_a_usage_error(
    mark: pytest.MarkDecorator, message: str
) -> None:
    """The marker's problem is reported as the test's setup error, named."""
    from fluent_gql.pytest_plugin import _plan_from_marker

    with pytest.raises(pytest.UsageError, match=message):
        _plan_from_marker(mark.mark)


# -- Command line -------------------------------------------------------------------


def test_the_cli_refuses_a_bad_fault_plan_and_names_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """argparse exits 2 with the setting's name and the known ones."""
    with pytest.raises(SystemExit) as caught:
        main(["--port", "0", "--faults", "server_error_rate=0.1,bogus=1"])
    err = capsys.readouterr().err

    assert caught.value.code == 2
    assert "argument --faults: unknown fault setting 'bogus'" in err
    assert "server_error_rate" in err
