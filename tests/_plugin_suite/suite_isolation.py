"""The generated suite (copied as ``test_isolation.py``): tests that each first
assert a pristine account (:func:`suite_helpers.pristine`), then leave state
behind: data, tokens, token lifetimes, fault plans and their records, event
handlers, a stopped server, a closed emulator, emulators of their own."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

# In the run's folder the helpers are a top-level module; mypy checks them here.
if TYPE_CHECKING:
    from tests._plugin_suite.suite_helpers import (
        CREATE_CUSTOMER,
        DAY,
        ME,
        amake_order,
        bearer,
        http,
        keep_token,
        login_params,
        make_order,
        pristine,
        tls,
    )
else:
    from suite_helpers import (
        CREATE_CUSTOMER,
        DAY,
        ME,
        amake_order,
        bearer,
        http,
        keep_token,
        login_params,
        make_order,
        pristine,
        tls,
    )

from fluent_gql import AsyncFluentClient, FluentClient, FluentNoRulesetMatchedError
from fluent_gql.emulator import (
    Emulator,
    EmulatorEvent,
    EmulatorServer,
    FaultPlan,
)
from fluent_gql.pytest_plugin import EmulatorFactory, SyncClientFactory

SCHEMA_2022 = Path(os.environ["PLUGIN_SUITE_SCHEMA_2022"])
DB_FILE = Path(os.environ["PLUGIN_SUITE_DIR"]) / "kept.db"
#: A type only the 2022 schema has (2023 removed it), and one only 2023's has.
TYPES = (
    '{ old: __type(name: "VirtualView") { name }'
    ' new: __type(name: "UpdateCustomerInput") { name } }'
)


# -- Data ----------------------------------------------------------------------


def test_sync_client_creates_a_shop_and_an_order(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    """Data made through the sync client; row ids start again from 1."""
    pristine(fluent_emulator, logins=1)
    make_order(fluent_client, "HD-SYNC")

    customer = fluent_client.create_customer(email="b@example.com", first_name="B")
    assert customer.create_customer is not None
    assert customer.create_customer.id == "2"
    order = fluent_client.order_by_ref(ref="HD-SYNC")
    assert order is not None and order.status == "CREATED"
    assert fluent_emulator.emulator.customer_count() == 2


@pytest.mark.anyio
async def test_async_client_creates_an_order(
    async_fluent_client: AsyncFluentClient, fluent_emulator: EmulatorServer
) -> None:
    """Data made through the async client."""
    pristine(fluent_emulator, logins=1)
    await amake_order(async_fluent_client, "HD-ASYNC")

    assert fluent_emulator.emulator.customer_count() == 1
    assert [e.name for e in fluent_emulator.emulator.events][-1] == "CREATE"


def test_client_factory_creates_customers(
    fluent_client_factory: SyncClientFactory, fluent_emulator: EmulatorServer
) -> None:
    """Data made through a client of the factory."""
    client = fluent_client_factory(FluentClient)
    pristine(fluent_emulator, logins=1)

    for n in range(3):
        client.create_customer(email=f"f{n}@example.com", first_name="F")

    assert fluent_emulator.emulator.customer_count() == 3


def test_raw_graphql_creates_a_customer(fluent_emulator: EmulatorServer) -> None:
    """Data made over plain HTTP, without a client fixture."""
    token = pristine(fluent_emulator)
    customer = {
        "username": "raw@example.com",
        "primaryEmail": "raw@example.com",
        "firstName": "Raw",
        "lastName": "Http",
        "timezone": "UTC",
        "promotionOptIn": False,
        "retailer": {"id": fluent_emulator.emulator.retailer_id},
    }
    with http(fluent_emulator) as client:
        response = client.post(
            "/graphql",
            json={"query": CREATE_CUSTOMER, "variables": {"i": customer}},
            headers=bearer(token),
        )

    assert response.json() == {
        "data": {"createCustomer": {"id": "1", "ref": "raw@example.com"}}
    }
    assert fluent_emulator.emulator.customer_count() == 1


def test_set_status_changes_an_order(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    """A status set directly on the emulator."""
    pristine(fluent_emulator, logins=1)
    make_order(fluent_client, "HD-STATUS")

    fluent_emulator.emulator.set_status("ORDER", "SHIPPED", ref="HD-STATUS")

    order = fluent_client.order_by_ref(ref="HD-STATUS")
    assert order is not None and order.status == "SHIPPED"


def test_products_are_created(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    """Products made through the sync client."""
    pristine(fluent_emulator, logins=1)
    for ref in ("P-1", "P-2"):
        fluent_client.create_product(
            catalogue_ref=fluent_emulator.emulator.catalogue_ref,
            ref=ref,
            name=ref,
            gtin=ref,
            price_currency="AUD",
            price_value=1.0,
        )

    assert fluent_emulator.emulator.product_count() == 2


# -- Tokens --------------------------------------------------------------------


def test_revoke_tokens_refuses_this_tests_token(
    fluent_emulator: EmulatorServer,
) -> None:
    """Tokens revoked in the middle of a test."""
    token = pristine(fluent_emulator)

    fluent_emulator.emulator.revoke_tokens()

    with http(fluent_emulator) as client:
        response = client.post("/graphql", json={"query": ME}, headers=bearer(token))
    assert response.status_code == 401


def test_a_shorter_token_lifetime(fluent_emulator: EmulatorServer) -> None:
    """A token lifetime set in the middle of a test."""
    pristine(fluent_emulator)

    fluent_emulator.emulator.set_token_ttl(60)

    with http(fluent_emulator) as client:
        response = client.post("/oauth/token", data=login_params(fluent_emulator))
    assert response.json()["expires_in"] == 60


def test_more_tokens_are_left_for_the_others(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    """Several valid tokens left behind (each later test tries them)."""
    pristine(fluent_emulator, logins=1)
    with http(fluent_emulator) as client:
        for _ in range(2):
            response = client.post("/oauth/token", data=login_params(fluent_emulator))
            keep_token(response.json()["access_token"])

    assert fluent_emulator.emulator.token_requests == ["password"] * 4


# -- Fault plans ---------------------------------------------------------------


@pytest.mark.fluent_faults(server_error_rate=1.0, seed=3)
def test_marked_plan_fails_graphql(fluent_emulator: EmulatorServer) -> None:
    """A marker's plan is in force, and fills the fault records."""
    pristine(
        fluent_emulator,
        plan=FaultPlan(server_error_rate=1.0, seed=3),
        over_http=False,
    )
    with http(fluent_emulator) as client:
        token = client.post("/oauth/token", data=login_params(fluent_emulator))
        response = client.post(
            "/graphql", json={"query": ME}, headers=bearer(token.json()["access_token"])
        )

    assert response.status_code >= 500
    assert [kind for _, kind in fluent_emulator.emulator.fault_log] == ["server_error"]


@pytest.mark.fluent_faults(FaultPlan(rate_limit_rate=1.0, seed=1))
def test_marked_plan_object_rate_limits(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    """A marker's FaultPlan object is in force; the client's login got through."""
    pristine(
        fluent_emulator,
        logins=1,
        plan=FaultPlan(rate_limit_rate=1.0, seed=1),
        over_http=False,
    )
    with http(fluent_emulator) as client:
        token = client.post("/oauth/token", data=login_params(fluent_emulator))
        response = client.post(
            "/graphql", json={"query": ME}, headers=bearer(token.json()["access_token"])
        )

    assert response.status_code == 429
    assert fluent_emulator.emulator.faults_injected["rate_limit"] == 1


@pytest.mark.fluent_faults(token_error_rate=1.0, seed=2)
def test_marked_token_errors_spare_the_fixture_login(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    """Token errors apply after the client fixture logged in."""
    plan = FaultPlan(token_error_rate=1.0, seed=2)
    pristine(fluent_emulator, logins=1, plan=plan, over_http=False)

    with http(fluent_emulator) as client:
        response = client.post("/oauth/token", data=login_params(fluent_emulator))

    assert response.status_code in (500, 503)
    assert fluent_emulator.emulator.token_requests == ["password"]  # not handled
    assert fluent_emulator.emulator.faults_injected["token_error"] == 1


@pytest.mark.fluent_faults(latency=0.001, seed=5)
def test_marked_harmless_plan(fluent_emulator: EmulatorServer) -> None:
    """A plan that breaks nothing: the whole pristine check runs under it."""
    pristine(fluent_emulator, plan=FaultPlan(latency=0.001, seed=5))

    fluent_emulator.emulator.revoke_tokens()
    assert fluent_emulator.emulator.faults == FaultPlan(latency=0.001, seed=5)


def test_set_faults_in_the_test(fluent_emulator: EmulatorServer) -> None:
    """A plan set in the middle of a test, left in force."""
    token = pristine(fluent_emulator)

    fluent_emulator.emulator.set_faults(FaultPlan(server_error_rate=1.0, seed=9))

    with http(fluent_emulator) as client:
        response = client.post("/graphql", json={"query": ME}, headers=bearer(token))
    assert response.status_code >= 500
    assert fluent_emulator.emulator.faults_injected["server_error"] == 1


@pytest.mark.anyio
@pytest.mark.fluent_faults(graphql_rate_limit_rate=1.0, seed=4)
async def test_async_marked_plan(
    async_fluent_client: AsyncFluentClient, fluent_emulator: EmulatorServer
) -> None:
    """A marker's plan in force for an async test."""
    plan = FaultPlan(graphql_rate_limit_rate=1.0, seed=4)
    pristine(fluent_emulator, logins=1, plan=plan, over_http=False)

    async with httpx.AsyncClient(
        base_url=fluent_emulator.base_url, verify=tls()
    ) as client:
        token = await client.post("/oauth/token", data=login_params(fluent_emulator))
        response = await client.post(
            "/graphql", json={"query": ME}, headers=bearer(token.json()["access_token"])
        )

    assert response.json()["errors"]
    assert fluent_emulator.emulator.faults_injected["graphql_rate_limit"] == 1


# -- Event handlers ------------------------------------------------------------


def test_a_sync_handler_cancels_an_order(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    """A handler registered and left registered."""
    pristine(fluent_emulator, logins=1)
    emu = fluent_emulator.emulator
    emu.on_event(
        "IsoCancel", lambda e: emu.set_status("ORDER", "CANCELLED", ref=e.entity_ref)
    )
    make_order(fluent_client, "HD-CANCEL")

    result = fluent_client.send_event(
        name="IsoCancel", entity_type="ORDER", entity_ref="HD-CANCEL", mode="sync"
    )

    assert result.event_status == "COMPLETE"
    order = fluent_client.order_by_ref(ref="HD-CANCEL")
    assert order is not None and order.status == "CANCELLED"


@pytest.mark.anyio
async def test_an_async_handler(
    async_fluent_client: AsyncFluentClient, fluent_emulator: EmulatorServer
) -> None:
    """A handler registered by an async test, and its events."""
    pristine(fluent_emulator, logins=1)
    seen: list[EmulatorEvent] = []
    fluent_emulator.emulator.on_event("IsoPing", seen.append)

    await async_fluent_client.send_event(
        name="IsoPing", entity_type="LOCATION", entity_ref="L1"
    )

    assert [e.entity_ref for e in seen] == ["L1"]


def test_a_create_handler(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    """A handler of the platform's CREATE event; an event nobody handles."""
    pristine(fluent_emulator, logins=1)
    seen: list[EmulatorEvent] = []
    fluent_emulator.emulator.on_event("CREATE", seen.append)

    make_order(fluent_client, "HD-CREATE")

    assert [e.entity_ref for e in seen] == ["HD-CREATE"]
    with pytest.raises(FluentNoRulesetMatchedError):
        fluent_client.send_event(
            name="IsoNobody", entity_type="ORDER", entity_ref="HD-CREATE", mode="sync"
        )


# -- The shared server -----------------------------------------------------------


def test_the_shared_server_serves_the_bundled_schema(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    """The shared emulator serves the bundled schema (2023's types, no 2022-only
    ones)."""
    pristine(fluent_emulator, logins=1)

    types = fluent_client.graphql(TYPES)

    assert types == {"old": None, "new": {"name": "UpdateCustomerInput"}}


def test_robust_stop_the_shared_server(fluent_emulator: EmulatorServer) -> None:
    """The shared server stopped by a test: the next one gets a running one."""
    pristine(fluent_emulator)

    fluent_emulator.stop()

    assert not fluent_emulator.running


def test_robust_close_the_shared_emulator(fluent_emulator: EmulatorServer) -> None:
    """The shared emulator closed by a test: the next one gets a working one."""
    pristine(fluent_emulator)

    fluent_emulator.emulator.close()

    with pytest.raises(RuntimeError, match="closed"):
        fluent_emulator.emulator.reset()


# -- Emulators of the test's own -------------------------------------------------


@pytest.mark.fluent_emulator()
def test_own_emulator(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    """A test with an emulator of its own starts pristine too."""
    pristine(fluent_emulator, logins=1)

    make_order(fluent_client, "HD-OWN")

    assert fluent_emulator.emulator.customer_count() == 1


@pytest.mark.skipif(not SCHEMA_2022.is_file(), reason="no 2022 schema")
@pytest.mark.fluent_emulator(schema=SCHEMA_2022)
def test_own_emulator_of_the_2022_schema(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    """An emulator of its own serving the older account's schema."""
    pristine(fluent_emulator, logins=1)

    types = fluent_client.graphql(TYPES)

    assert types == {"old": {"name": "VirtualView"}, "new": None}


@pytest.mark.fluent_emulator(db_path=DB_FILE)
def test_own_emulator_keeps_its_data_in_the_file(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    """An emulator of its own with a database file: the data is in the file."""
    pristine(fluent_emulator, logins=1)

    fluent_client.create_customer(email="kept@example.com", first_name="Kept")

    with Emulator(db_path=DB_FILE) as reopened:
        assert reopened.customer_count() == 1
    with pytest.raises(RuntimeError, match="in-memory"):
        fluent_emulator.emulator.reset()


@pytest.mark.fluent_emulator(token_ttl=60)
@pytest.mark.fluent_faults(latency=0.001, seed=8)
def test_own_emulator_with_settings_and_a_marked_plan(
    fluent_emulator: EmulatorServer,
) -> None:
    """The marker's settings, and the fluent_faults plan, go to its emulator."""
    pristine(fluent_emulator, plan=FaultPlan(latency=0.001, seed=8), ttl=60)

    fluent_emulator.emulator.set_token_ttl(DAY * 2)


@pytest.fixture
def stopped_after() -> Iterator[list[EmulatorServer]]:
    """Servers that must be stopped once the test's other fixtures are done."""
    servers: list[EmulatorServer] = []
    yield servers
    assert servers
    assert not any(server.running for server in servers)


def test_emulator_factory_gives_servers_of_the_tests_own(
    stopped_after: list[EmulatorServer],
    fluent_emulator_factory: EmulatorFactory,
    fluent_emulator: EmulatorServer,
) -> None:
    """Extra servers, each with its own emulator, stopped after the test."""
    pristine(fluent_emulator)
    one = fluent_emulator_factory()
    two = fluent_emulator_factory(token_ttl=60)
    stopped_after += [one, two]

    urls = {one.base_url, two.base_url, fluent_emulator.base_url}
    assert len(urls) == 3
    assert pristine(one) and pristine(two, ttl=60)
    with FluentClient(one.config()) as client:
        client.create_customer(email="one@example.com", first_name="One")
    assert [s.emulator.customer_count() for s in (one, two, fluent_emulator)] == [
        1,
        0,
        0,
    ]
