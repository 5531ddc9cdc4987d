"""Nothing lost, nothing doubled: 1,000 writes through an emulator that misbehaves.

500 ``create_customer`` and 500 ``create_product`` calls go through a fault plan
that fails about 18% of requests, with every kind of fault. Afterwards both sides
are counted: every record is either in the emulator's store exactly once, or was
reported to the caller as failed with its reason; a record the caller was told
failed for sure is not in the store; nothing is in the store twice.
"""

from __future__ import annotations

from collections.abc import Iterator

import anyio
import pytest

from fluent_gql import AsyncFluentClient, FluentClient, FluentError, RetryPolicy
from fluent_gql.emulator import Emulator, EmulatorServer, FaultPlan

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

RECORDS = 500
CONCURRENCY = 16
PLAN = FaultPlan(
    seed=11,
    server_error_rate=0.03,
    rate_limit_rate=0.03,
    retry_after=0.01,
    graphql_rate_limit_rate=0.02,
    drop_before_rate=0.03,
    drop_after_rate=0.03,
    malformed_rate=0.02,
    revoke_rate=0.02,
)
FAST = RetryPolicy(max_retries=3, initial_delay=0.005, max_delay=0.05)
KINDS = {
    "server_error",
    "rate_limit",
    "graphql_rate_limit",
    "drop_before",
    "drop_after",
    "malformed",
    "revoke",
}

Outcome = str | FluentError  # the created id, or the error the caller got


@pytest.fixture
def faulty() -> Iterator[EmulatorServer]:
    """An emulator that misbehaves on about 18% of /graphql requests."""
    emulator = Emulator(faults=PLAN)
    with EmulatorServer(emulator) as server:
        yield server
    emulator.close()


async def _run_all(
    server: EmulatorServer,
) -> tuple[dict[str, Outcome], dict[str, Outcome]]:
    customers: dict[str, Outcome] = {}
    products: dict[str, Outcome] = {}
    catalogue = server.emulator.catalogue_ref
    limit = anyio.Semaphore(CONCURRENCY)

    async with AsyncFluentClient(server.config(), retry_policy=FAST) as client:

        async def customer(i: int) -> None:
            email = f"c{i}@example.com"
            async with limit:
                try:
                    made = (
                        await client.create_customer(email=email, first_name="C")
                    ).create_customer
                    assert made is not None
                    customers[email] = made.id
                except FluentError as exc:
                    customers[email] = exc

        async def product(i: int) -> None:
            ref = f"P{i}"
            async with limit:
                try:
                    made = (
                        await client.create_product(
                            catalogue_ref=catalogue,
                            ref=ref,
                            name="N",
                            gtin=str(i),
                            price_currency="AUD",
                            price_value=1.0,
                        )
                    ).create_standard_product
                    assert made is not None
                    products[ref] = made.id
                except FluentError as exc:
                    products[ref] = exc

        async with anyio.create_task_group() as group:
            for i in range(RECORDS):
                group.start_soon(customer, i)
                group.start_soon(product, i)
    return customers, products


def _stored(server: EmulatorServer) -> tuple[list[str], list[str]]:
    server.emulator.set_faults(None)
    with FluentClient(server.config()) as client:
        usernames = [c.username or "" for c in client.iter_customers(page_size=5000)]
        refs = [
            p.ref
            for p in client.iter_standard_products(
                catalogue_ref=server.emulator.catalogue_ref, page_size=5000
            )
        ]
    return usernames, refs


def _audit(reported: dict[str, Outcome], stored: list[str]) -> list[str]:
    """Every way in which the caller's view and the store disagree."""
    problems = []
    if len(stored) != len(set(stored)):
        problems.append("a record is stored twice")
    stored_set = set(stored)
    for key, outcome in reported.items():
        if isinstance(outcome, str):
            if key not in stored_set:
                problems.append(f"{key}: reported created but not stored")
        elif key in stored_set and not outcome.maybe_applied:
            problems.append(f"{key}: stored but reported failed for sure: {outcome}")
        elif not str(outcome):
            problems.append(f"{key}: failed without a reason")
        code = getattr(outcome, "code", None)
        if code in {"C0123E", "C0128E"}:  # "already exists": a write was resent
            problems.append(f"{key}: resent after it was applied ({code})")
    problems += [
        f"{key}: stored but never reported" for key in stored_set - set(reported)
    ]
    return problems


async def test_every_write_is_stored_once_or_reported_failed(
    faulty: EmulatorServer,
) -> None:
    """Count both sides: the caller's outcomes and the emulator's store agree."""
    customers, products = await _run_all(faulty)
    usernames, refs = _stored(faulty)
    injected = faulty.emulator.faults_injected

    assert len(customers) == len(products) == RECORDS
    assert _audit(customers, usernames) == []
    assert _audit(products, refs) == []
    assert {kind for kind, n in injected.items() if n} >= KINDS
    assert sum(injected[k] for k in KINDS) >= 0.1 * 2 * RECORDS
    created = sum(isinstance(o, str) for o in [*customers.values(), *products.values()])
    assert created >= 0.8 * 2 * RECORDS  # the retries did their job
