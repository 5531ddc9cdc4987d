"""Orders are created exactly once, whatever the network does.

500 ``create_order`` calls go through a fault plan with every way a write can end
in doubt: connections dropped after the order was stored, 5xx answers, answers cut
short, and answers held past the client's read timeout. Afterwards the emulator
holds exactly 500 orders, each once, and every call returned the order it stored.
A concurrent async run is audited the same way.
"""

from __future__ import annotations

from collections.abc import Iterator

import anyio
import pytest

from fluent_gql import AsyncFluentClient, FluentClient, FluentError, RetryPolicy
from fluent_gql.emulator import Emulator, EmulatorServer, FaultPlan

pytestmark = [pytest.mark.slow]

RECORDS = 500
PLAN = FaultPlan(
    seed=5,
    drop_after_rate=0.05,
    server_error_rate=0.04,
    malformed_rate=0.02,
    stall_rate=0.03,
    stall=1.0,
    drop_before_rate=0.02,
    rate_limit_rate=0.02,
    retry_after=0.01,
)
# No revoke faults: they test logins (test_nothing_lost.py has them), and two in a
# row fail a look-up for good (a 401 after the one re-login is final), which would
# leave a call's outcome unknown by design.
IN_DOUBT = {"drop_after", "server_error", "malformed", "stall"}
FAST = RetryPolicy(max_retries=6, initial_delay=0.002, max_delay=0.02)
READ_TIMEOUT = 0.25  # well under the plan's stall: a stalled answer times out

Outcome = str | FluentError  # the id of the order the call returned, or its error


@pytest.fixture
def shop() -> Iterator[tuple[EmulatorServer, str]]:
    """An emulator with a customer and a product, then the fault plan switched on."""
    emulator = Emulator()
    with EmulatorServer(emulator) as server:
        with FluentClient(server.config()) as client:
            customer = client.create_customer(email="buyer@example.com", first_name="B")
            client.create_product(
                catalogue_ref=emulator.catalogue_ref,
                ref="SKU-1",
                name="Tea",
                gtin="1",
                price_currency="AUD",
                price_value=7.5,
            )
        assert customer.create_customer is not None
        emulator.set_faults(PLAN)
        yield server, customer.create_customer.id
    emulator.close()


def _items(i: int) -> list[dict[str, object]]:
    return [{"ref": f"L{i}", "product_ref": "SKU-1", "quantity": 1 + i % 3}]


def _stored(server: EmulatorServer) -> dict[str, list[str]]:
    """ref -> ids of the orders stored under it (read with the faults off)."""
    server.emulator.set_faults(None)
    stored: dict[str, list[str]] = {}
    with FluentClient(server.config()) as client:
        for order in client.iter_orders(page_size=5000):
            stored.setdefault(order.ref or "", []).append(order.id)
    return stored


def _audit(reported: dict[str, Outcome], stored: dict[str, list[str]]) -> list[str]:
    problems = [
        f"{ref}: stored {len(ids)} times" for ref, ids in stored.items() if len(ids) > 1
    ]
    for ref, outcome in reported.items():
        ids = stored.get(ref, [])
        if isinstance(outcome, str):
            if ids != [outcome]:
                problems.append(f"{ref}: returned {outcome}, stored {ids}")
        elif ids and not outcome.maybe_applied:
            problems.append(f"{ref}: stored but reported failed for sure: {outcome}")
    problems += [
        f"{ref}: stored, never reported" for ref in set(stored) - set(reported)
    ]
    return problems


def test_500_orders_through_a_faulty_network_are_each_created_once(
    shop: tuple[EmulatorServer, str],
) -> None:
    """One call at a time (so the plan's faults repeat exactly): every call returns
    its order, and the store holds exactly those 500 orders."""
    server, customer_id = shop
    reported: dict[str, Outcome] = {}
    with FluentClient(
        server.config(), retry_policy=FAST, timeout=READ_TIMEOUT
    ) as client:
        for i in range(RECORDS):
            ref = f"HD-{i}"
            try:
                order = client.create_order(
                    ref=ref, type="HD", customer_id=customer_id, items=_items(i)
                ).create_order
                assert order is not None and order.ref == ref
                assert order.items is not None
                quantities = [
                    e.node.quantity for e in order.items.edges or [] if e and e.node
                ]
                assert quantities == [1 + i % 3]
                reported[ref] = order.id
            except FluentError as exc:
                reported[ref] = exc
    injected = server.emulator.faults_injected
    stored = _stored(server)

    assert _audit(reported, stored) == []
    assert [ref for ref, o in reported.items() if not isinstance(o, str)] == []
    assert len(stored) == RECORDS
    assert {kind for kind in IN_DOUBT if injected[kind]} == IN_DOUBT
    assert sum(injected[kind] for kind in IN_DOUBT) >= 0.08 * RECORDS


@pytest.mark.anyio
async def test_concurrent_async_creates_agree_with_the_store(
    shop: tuple[EmulatorServer, str],
) -> None:
    """Sixteen at a time: whatever each call reported is what the store holds."""
    server, customer_id = shop
    reported: dict[str, Outcome] = {}
    limit = anyio.Semaphore(16)

    async with AsyncFluentClient(
        server.config(), retry_policy=FAST, timeout=READ_TIMEOUT
    ) as client:

        async def create(i: int) -> None:
            ref = f"CC-{i}"
            async with limit:
                try:
                    order = (
                        await client.create_order(
                            ref=ref,
                            type="CC",
                            customer_id=customer_id,
                            items=_items(i),
                            fulfilment_choice={
                                "delivery_type": "STANDARD",
                                "pickup_location_ref": "EMULATOR-WAREHOUSE",
                            },
                        )
                    ).create_order
                    assert order is not None
                    reported[ref] = order.id
                except FluentError as exc:
                    reported[ref] = exc

        async with anyio.create_task_group() as group:
            for i in range(200):
                group.start_soon(create, i)
    stored = _stored(server)

    assert _audit(reported, stored) == []
    created = sum(isinstance(o, str) for o in reported.values())
    assert created >= 195  # the look-ups and resends did their job
