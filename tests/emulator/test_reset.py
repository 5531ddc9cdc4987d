"""``Emulator.reset()`` over real HTTP, and the store copy it is made from.

A reset puts an in-memory emulator back as it started: the seeded data (row ids
restart), no valid token, the fault plan and token lifetime it was made with, no
event handler and empty records. A request that arrived before the reset keeps
the state it arrived in until it ends.
"""

from __future__ import annotations

import doctest
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from fluent_gql._tls import ssl_context
from fluent_gql.emulator import Emulator, EmulatorEvent, FaultPlan
from fluent_gql.emulator._account import AccountState
from fluent_gql.emulator._seed import seed
from fluent_gql.emulator._store import (
    CATALOGUES,
    CUSTOMERS,
    INVENTORY_CATALOGUES,
    LOCATIONS,
    RETAILERS,
    USERS,
    Store,
    Table,
    now,
)

from .entities import create_location, create_order
from .support import CREATE_CUSTOMER, Api, StartServer, customer_input

ME = "{ me { username } }"
EVENT = "/api/v4.1/event"
LATENCY = 0.5
"""How long a request is held, so that a reset happens while it waits."""

GONE = """
query Gone($customer: String!, $location: String, $order: String, $sku: String!) {
  customer(ref: $customer) { id }
  location(ref: $location) { id }
  order(ref: $order) { id }
  standardProduct(ref: $sku, catalogue: {ref: "PC:MASTER:1"}) { id }
}
"""
SEEDED = """
{
  retailerById(id: "1") { id ref }
  location(ref: "EMULATOR-WAREHOUSE") { id }
  productCatalogue(ref: "PC:MASTER:1") { ref }
  inventoryCatalogue(ref: "DEFAULT:1") { ref }
  me { username }
}
"""
ORDER_STATUS = "query($r: String) { order(ref: $r) { id status } }"


def _logged_in(start_server: StartServer, **kwargs: Any) -> Api:
    api = start_server(**kwargs)
    api.login()
    return api


def _create_all(api: Api) -> dict[str, Any]:
    """Create an order (with its customer and product) and a location."""
    order = create_order(api)
    return {"order": order, "location": create_location(api)}


def _state(emulator: Emulator) -> AccountState:
    # Private, on purpose: the state a request arriving now is bound to.
    return emulator._accounts.current


def _wait_until_arrived(state: AccountState, requests: int = 1) -> None:
    """Wait until ``requests`` requests are bound to ``state`` (held by latency)."""
    deadline = time.monotonic() + 5.0
    while state._requests < requests:
        assert time.monotonic() < deadline, "the request never arrived"
        time.sleep(0.005)


@pytest.fixture
def in_background() -> Iterator[Callable[..., Future[httpx.Response]]]:
    """``in_background(api, method, path, **httpx kwargs)``: one request sent
    from another thread, on its own plain httpx client."""
    pool = ThreadPoolExecutor(max_workers=2)
    clients: list[httpx.Client] = []

    def send(api: Api, method: str, path: str, **kwargs: Any) -> Future[httpx.Response]:
        client = httpx.Client(
            base_url=api.server.base_url, timeout=30.0, verify=ssl_context(None)
        )
        clients.append(client)
        return pool.submit(client.request, method, path, **kwargs)

    yield send
    pool.shutdown(wait=True)
    for client in clients:
        client.close()


# -- Data ------------------------------------------------------------------------------


def test_reset_keeps_only_the_seeded_data_and_restarts_row_ids(
    start_server: StartServer,
) -> None:
    """Customers, products, orders and locations made before are gone; the
    retailer, location, catalogues and admin user are there; and what is made
    next gets the ids the first entities made after start got."""
    api = _logged_in(start_server)
    emulator = api.emulator
    before = _create_all(api)
    order = before["order"]
    product_ref = order["items"]["edges"][0]["node"]["product"]["ref"]
    seeded = api.data(SEEDED)

    emulator.reset()
    api.login()
    gone = api.data(
        GONE,
        {
            "customer": order["customer"]["username"],
            "location": before["location"]["ref"],
            "order": order["ref"],
            "sku": product_ref,
        },
    )
    counts = (emulator.customer_count(), emulator.product_count())
    seeded_after = api.data(SEEDED)
    after = _create_all(api)

    assert gone == {
        "customer": None,
        "location": None,
        "order": None,
        "standardProduct": None,
    }
    assert counts == (0, 0)
    assert seeded_after == seeded
    assert seeded_after["retailerById"] == {"id": "1", "ref": "EMULATOR-RETAILER"}
    assert seeded_after["productCatalogue"] == {"ref": "PC:MASTER:1"}
    assert seeded_after["me"] == {"username": emulator.credentials.username}
    assert (
        after["order"]["customer"]["id"],
        after["order"]["id"],
        after["location"]["id"],
    ) == (
        before["order"]["customer"]["id"],
        before["order"]["id"],
        before["location"]["id"],
    )
    assert (
        after["order"]["items"]["edges"][0]["node"]["id"]
        == (before["order"]["items"]["edges"][0]["node"]["id"])
    )


# -- Tokens ----------------------------------------------------------------------------


def test_reset_invalidates_access_and_refresh_tokens(
    start_server: StartServer,
) -> None:
    """Tokens issued before are refused after (401, invalid_grant); a new
    login works."""
    api = start_server(refresh_tokens=True)
    issued = api.token().json()
    creds = api.emulator.credentials
    works_before = api.post(ME, token=issued["access_token"]).status_code

    api.emulator.reset()
    access = api.post(ME, token=issued["access_token"])
    refresh = api.http.post(
        "/oauth/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": issued["refresh_token"],
            "client_id": creds.client_id,
            "client_secret": creds.client_secret,
        },
    )
    api.login()

    assert works_before == 200
    assert access.status_code == 401
    assert access.json()["error"] == "invalid_token"
    assert refresh.status_code == 400
    assert refresh.json()["error"] == "invalid_grant"
    assert api.data(ME) == {"me": {"username": creds.username}}
    assert api.emulator.token_requests == ["refresh_token", "password"]


# -- Faults and token lifetime ---------------------------------------------------------


def _statuses(api: Api, count: int) -> list[int]:
    return [api.post(ME).status_code for _ in range(count)]


def test_reset_restores_the_constructors_fault_plan_and_its_sequence(
    start_server: StartServer,
) -> None:
    """After ``set_faults(None)`` and a reset the plan is back, and the same
    requests meet the same faults, numbered from 1 again."""
    plan = FaultPlan(server_error_rate=0.5, seed=3)
    api = _logged_in(start_server, faults=plan)
    first = _statuses(api, 12)
    first_log = list(api.emulator.fault_log)

    api.emulator.set_faults(None)
    api.emulator.reset()
    restored = api.emulator.faults
    api.login()
    again = _statuses(api, 12)

    assert restored == plan
    assert again == first
    assert api.emulator.fault_log == first_log
    assert 2 <= len(first_log) <= 10  # a mix: the sequence is what is compared
    assert first_log[0][0] > 1  # request 1 was the login, not a fault


def test_reset_drops_a_plan_set_after_start(start_server: StartServer) -> None:
    """An emulator made without faults behaves again after a reset."""
    api = _logged_in(start_server)
    api.emulator.set_faults(FaultPlan(server_error_rate=1.0))
    refused = api.post(ME).status_code

    api.emulator.reset()
    api.login()

    assert refused >= 500
    assert api.emulator.faults is None
    assert _statuses(api, 3) == [200] * 3


def test_reset_restores_the_constructors_token_lifetime(
    start_server: StartServer,
) -> None:
    """``set_token_ttl`` lasts until a reset; then tokens live as the constructor
    said."""
    api = start_server(token_ttl=60)
    api.emulator.set_token_ttl(5)
    shortened = api.token().json()["expires_in"]

    api.emulator.reset()

    assert shortened == 5
    assert api.token().json()["expires_in"] == 60


# -- Handlers and records --------------------------------------------------------------


def test_reset_forgets_handlers_and_empties_the_records(
    start_server: StartServer,
) -> None:
    """Events, token requests, injected faults and the fault log start empty;
    a handler registered before is not called; request numbers restart."""
    api = _logged_in(start_server)
    emulator = api.emulator
    called: list[EmulatorEvent] = []
    emulator.on_event("Ping", called.append)
    create_order(api)
    ping = {"name": "Ping", "entityType": "ORDER"}
    headers = {"Authorization": f"Bearer {api.access_token}"}
    pinged = api.http.post(f"{EVENT}/sync", json=ping, headers=headers)
    emulator.set_faults(FaultPlan(server_error_rate=1.0))
    api.post(ME)
    before = (
        len(emulator.events),
        list(emulator.token_requests),
        dict(emulator.faults_injected),
        len(emulator.fault_log),
    )

    emulator.reset()
    records = (
        list(emulator.events),
        list(emulator.token_requests),
        Counter(emulator.faults_injected),
        list(emulator.fault_log),
    )
    api.login()
    headers = {"Authorization": f"Bearer {api.access_token}"}
    unmatched = api.http.post(f"{EVENT}/sync", json=ping, headers=headers)
    emulator.set_faults(FaultPlan(server_error_rate=1.0))
    api.post(ME)

    assert pinged.status_code == 200
    assert before == (2, ["password"], {"server_error": 1}, 1)
    assert records == ([], [], Counter(), [])
    assert unmatched.status_code == 404
    assert len(called) == 1
    assert [(e.name, e.status) for e in emulator.events] == [("Ping", "NO_MATCH")]
    # Request 1: the login; 2: the event; 3: the faulted query.
    assert emulator.fault_log == [(3, "server_error")]


# -- What cannot be reset --------------------------------------------------------------


def test_reset_refuses_a_database_file_and_keeps_its_data(
    start_server: StartServer, tmp_path: Path
) -> None:
    """A ``db_path`` emulator raises RuntimeError naming the file; nothing is lost."""
    db = tmp_path / "account.db"
    api = _logged_in(start_server, db_path=db)
    username = api.create_customer()["username"]

    with pytest.raises(RuntimeError, match="needs an in-memory emulator") as caught:
        api.emulator.reset()
    found = api.data("query($r: String!) { customer(ref: $r) { id } }", {"r": username})
    with Emulator(db_path=db) as reopened:  # what the file holds
        kept = reopened.customer_count()

    assert repr(str(db)) in str(caught.value)
    assert found["customer"] is not None
    assert kept == 1


def test_reset_refuses_a_closed_emulator() -> None:
    """After ``close()`` a reset is a RuntimeError, not a new database."""
    emulator = Emulator()
    emulator.close()

    with pytest.raises(RuntimeError, match="closed"):
        emulator.reset()


# -- Requests running across a reset ---------------------------------------------------


def test_a_request_held_across_a_reset_writes_to_the_old_state(
    start_server: StartServer,
    in_background: Callable[..., Future[httpx.Response]],
) -> None:
    """A mutation that arrived before the reset creates its customer in the old
    state; the new state never has it, and the old store is closed once the
    request ends."""
    api = _logged_in(start_server)
    emulator = api.emulator
    emulator.set_faults(FaultPlan(latency=LATENCY))
    old = _state(emulator)
    variables = {"input": customer_input()}
    username = variables["input"]["username"]

    held = in_background(
        api,
        "POST",
        "/graphql",
        json={"query": CREATE_CUSTOMER, "variables": variables},
        headers={"Authorization": f"Bearer {api.access_token}"},
    )
    _wait_until_arrived(old)
    emulator.reset()
    still_open = (held.done(), old.store.count(CUSTOMERS))
    response = held.result(timeout=10)
    api.login()
    found = api.data("query($r: String!) { customer(ref: $r) { id } }", {"r": username})

    assert still_open == (False, 0)
    assert response.status_code == 200
    assert response.json()["data"]["createCustomer"]["username"] == username
    assert found == {"customer": None}
    assert emulator.customer_count() == 0
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        old.store.count(CUSTOMERS)


def test_a_handler_acts_on_the_state_its_event_arrived_in(
    start_server: StartServer,
    in_background: Callable[..., Future[httpx.Response]],
) -> None:
    """A handler's ``set_status`` during an event held across a reset changes
    the order of the old state; the same order (same ref, same id) made in the
    new state meanwhile stays as it was, and the handler is not called for
    events posted after the reset."""
    api = _logged_in(start_server)
    emulator = api.emulator
    order = create_order(api)
    cancelled: list[str] = []

    def cancel(event: EmulatorEvent) -> None:
        emulator.set_status("ORDER", "CANCELLED", ref=event.entity_ref)
        cancelled.append(str(event.entity_ref))

    emulator.on_event("CancelOrder", cancel)
    old_events = emulator.events
    emulator.set_faults(FaultPlan(latency=LATENCY))
    old = _state(emulator)
    body = {
        "name": "CancelOrder",
        "retailerId": "1",
        "entityId": order["id"],
        "entityRef": order["ref"],
        "entityType": "ORDER",
    }

    held = in_background(
        api,
        "POST",
        f"{EVENT}/sync",
        json=body,
        headers={"Authorization": f"Bearer {api.access_token}"},
    )
    _wait_until_arrived(old)
    emulator.reset()
    api.login()
    twin = create_order(api, ref=order["ref"])
    twin_made_in_time = not held.done()
    response = held.result(timeout=10)
    headers = {"Authorization": f"Bearer {api.access_token}"}
    after_reset = api.http.post(f"{EVENT}/sync", json=body, headers=headers)

    assert twin_made_in_time
    assert (twin["ref"], twin["id"]) == (order["ref"], order["id"])
    assert response.status_code == 200
    assert response.json()["eventStatus"] == "COMPLETE"
    assert cancelled == [order["ref"]]
    assert [(e.name, e.status) for e in old_events][-1] == ("CancelOrder", "COMPLETE")
    assert after_reset.status_code == 404
    assert api.data(ORDER_STATUS, {"r": order["ref"]})["order"] == {
        "id": twin["id"],
        "status": twin["status"],
    }
    assert [(e.name, e.status) for e in emulator.events] == [
        ("CREATE", "COMPLETE"),
        ("CancelOrder", "NO_MATCH"),
    ]


# -- Store.copy ------------------------------------------------------------------------


def _customer(username: str, retailer_id: int = 1) -> dict[str, object]:
    moment = now()
    return {
        "username": username,
        "retailerId": retailer_id,
        "createdOn": moment,
        "updatedOn": moment,
    }


@pytest.fixture
def seeded_store() -> Iterator[Store]:
    """A store seeded as an emulator's is, holding one customer."""
    store = Store()
    seed(store, "admin")
    store.insert(CUSTOMERS, _customer("first@example.com"))
    yield store
    store.close()


def test_a_store_copy_holds_the_same_rows(seeded_store: Store) -> None:
    """Every seeded table's rows, as stored, are in the copy."""
    copy = seeded_store.copy()
    tables = (RETAILERS, LOCATIONS, USERS, CUSTOMERS, CATALOGUES, INVENTORY_CATALOGUES)

    try:
        for table in tables:
            assert copy.count(table) == seeded_store.count(table) >= 1, table.name
        rows: list[tuple[Table, dict[str, object]]] = [
            (RETAILERS, {"id": 1}),
            (LOCATIONS, {"id": 1}),
            (USERS, {"username": "admin"}),
            (CUSTOMERS, {"username": "first@example.com"}),
            (CATALOGUES, {"ref": "PC:MASTER:1"}),
        ]
        for table, criteria in rows:
            assert copy.find_one(table, criteria) == seeded_store.find_one(
                table, criteria
            )
    finally:
        copy.close()


def test_a_store_copy_is_independent_and_continues_row_ids(seeded_store: Store) -> None:
    """Writes to one do not show in the other; both continue the row ids; the
    copy outlives the original."""
    copy = seeded_store.copy()

    in_copy = copy.insert(CUSTOMERS, _customer("copy@example.com"))
    in_original = seeded_store.insert(CUSTOMERS, _customer("original@example.com"))
    seeded_store.close()

    try:
        assert in_copy["id"] == in_original["id"] == 2
        assert copy.find_one(CUSTOMERS, {"username": "original@example.com"}) is None
        assert copy.find_one(CUSTOMERS, {"username": "copy@example.com"}) is not None
        assert copy.count(CUSTOMERS) == 2
    finally:
        copy.close()
    with pytest.raises(sqlite3.ProgrammingError):
        seeded_store.count(CUSTOMERS)


def test_a_store_copy_enforces_foreign_keys(seeded_store: Store) -> None:
    """An insert naming a retailer that does not exist fails in the copy."""
    copy = seeded_store.copy()

    try:
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            copy.insert(CUSTOMERS, _customer("orphan@example.com", retailer_id=999))
        assert copy.count(CUSTOMERS) == 1
    finally:
        copy.close()


# -- The documented example ------------------------------------------------------------


def test_the_reset_docstring_example_runs() -> None:
    """The example in ``Emulator.reset``'s docstring passes as a doctest."""
    import fluent_gql.emulator

    [test] = doctest.DocTestFinder().find(
        Emulator.reset, "Emulator.reset", globs=dict(vars(fluent_gql.emulator))
    )
    runner = doctest.DocTestRunner()

    runner.run(test)

    assert test.examples
    assert runner.summarize(verbose=False) == (0, len(test.examples))
