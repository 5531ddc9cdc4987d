"""Checks shared by the generated suite's tests (copied next to them as
``suite_helpers.py``; its asserts are rewritten, see ``suite_conftest.py``).

:func:`pristine` asserts that a test starts on an account as the emulator's seed
left it, whatever ran before: no data, records, fault plan, handler or other
token. Every test of the suite calls it first, then changes that state.
"""

from __future__ import annotations

import functools
import os
import ssl
import uuid
from pathlib import Path
from typing import Any

import httpx

from fluent_gql import AsyncFluentClient, FluentClient
from fluent_gql.emulator import EmulatorServer, FaultPlan

#: Event names some test of the suite registers a handler for.
HANDLED = ("IsoCancel", "IsoPing", "CREATE")
#: Fluent's token lifetime, the emulator's default ``token_ttl``.
DAY = 86400
ME = "{ me { username } }"
NOTHING_STORED = (
    "{ orders(first: 5) { edges { node { ref } } }"
    " customers(first: 5) { edges { node { ref } } } }"
)
EMPTY: dict[str, Any] = {"orders": {"edges": []}, "customers": {"edges": []}}
CREATE_CUSTOMER = (
    "mutation($i: CreateCustomerInput) { createCustomer(input: $i) { id ref } }"
)
PRODUCT_REF = "SKU-1"

#: Set by the conftest in a run without resets: :func:`pristine` then adds the
#: leaks to :data:`REPORTED` instead of failing, so that every test goes on to
#: change the state, and the conftest fails the test at teardown.
REPORT_ONLY = False
REPORTED: list[str] = []


def run_dir() -> Path:
    """This run's folder (``PLUGIN_SUITE_DIR``): token files and records."""
    return Path(os.environ["PLUGIN_SUITE_DIR"])


def tokens_dir() -> Path:
    """Where each test leaves the token it got, for the others to try."""
    folder = run_dir() / "tokens"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep_token(token: str) -> None:
    """Leave a token for the tests that run later to try."""
    (tokens_dir() / f"{uuid.uuid4().hex}.token").write_text(token)


def bearer(token: str) -> dict[str, str]:
    """The ``Authorization`` header for a token."""
    return {"Authorization": f"Bearer {token}"}


def login_params(server: EmulatorServer) -> dict[str, str]:
    """A correct password grant for the server's emulator."""
    creds = server.emulator.credentials
    return {
        "grant_type": "password",
        "username": creds.username,
        "password": creds.password,
        "client_id": creds.client_id,
        "client_secret": creds.client_secret,
        "scope": "api",
    }


def no_match_event(name: str) -> dict[str, Any]:
    """A sync event on an order that no test creates."""
    return {
        "name": name,
        "entityType": "ORDER",
        "entityRef": "NOWHERE",
        "rootEntityType": "ORDER",
        "rootEntityRef": "NOWHERE",
        "retailerId": 1,
    }


@functools.cache
def tls() -> ssl.SSLContext:
    """One SSL context for every plain client (loading CAs costs ~20 ms a
    client; the emulator is plain HTTP anyway)."""
    return ssl.create_default_context()


def http(server: EmulatorServer) -> httpx.Client:
    """Plain HTTP to the server, no fluent-gql client involved."""
    return httpx.Client(base_url=server.base_url, timeout=30.0, verify=tls())


def pristine(
    server: EmulatorServer,
    *,
    logins: int = 0,
    plan: FaultPlan | None = None,
    over_http: bool = True,
    ttl: int = DAY,
) -> str:
    """Assert the account is as the seed left it; return a new raw token.

    ``logins``: the password grants the test's own fixtures made. Over HTTP
    (not for a test whose plan breaks requests): every token another test left
    is refused, a new token lives ``ttl`` seconds (and is left for the others),
    nothing is stored, and no event name another test handles has a handler.
    The assertion names everything that leaked.
    """
    emu = server.emulator
    checks = {
        "customers": emu.customer_count() == 0,
        "products": emu.product_count() == 0,
        "events": emu.events == [],
        "token requests": emu.token_requests == ["password"] * logins,
        "fault plan": emu.faults == plan,
        "fault log": emu.fault_log == [],
        "fault counts": not emu.faults_injected,
    }
    leaks = [name for name, clean in checks.items() if not clean]
    token = _pristine_over_http(server, ttl, leaks) if over_http else ""
    if REPORT_ONLY:
        REPORTED.extend(leaks)
    else:
        assert not leaks, "leaked: " + ", ".join(leaks)
    return token


def _pristine_over_http(server: EmulatorServer, ttl: int, leaks: list[str]) -> str:
    with http(server) as client:
        for path in sorted(tokens_dir().glob("*.token")):
            response = client.post(
                "/graphql", json={"query": ME}, headers=bearer(path.read_text())
            )
            if response.status_code != 401:
                leaks.append("a token of another test")
                break
        response = client.post("/oauth/token", data=login_params(server))
        assert response.status_code == 200, response.text
        body = response.json()
        if body["expires_in"] != ttl:
            leaks.append("token lifetime")
        token = str(body["access_token"])
        keep_token(token)
        response = client.post(
            "/graphql", json={"query": NOTHING_STORED}, headers=bearer(token)
        )
        if response.json() != {"data": EMPTY}:
            leaks.append("stored data")
        for name in HANDLED:
            response = client.post(
                "/api/v4.1/event/sync", json=no_match_event(name), headers=bearer(token)
            )
            if response.status_code != 404:
                leaks.append(f"handler of {name}")
    return token


def make_order(client: FluentClient, ref: str) -> str:
    """A product, a customer and an HD order of it; the order's id."""
    client.create_product(
        catalogue_ref="PC:MASTER:1",
        ref=PRODUCT_REF,
        name="Tea",
        gtin="1",
        price_currency="AUD",
        price_value=7.5,
    )
    customer = client.create_customer(
        email=f"{ref.lower()}@example.com", first_name="Iso"
    ).create_customer
    assert customer is not None
    order = client.create_order(
        ref=ref,
        type="HD",
        customer_id=customer.id,
        items=[{"ref": "L1", "product_ref": PRODUCT_REF, "quantity": 1}],
    ).create_order
    assert order is not None
    return str(order.id)


async def amake_order(client: AsyncFluentClient, ref: str) -> str:
    """:func:`make_order` with the async client."""
    await client.create_product(
        catalogue_ref="PC:MASTER:1",
        ref=PRODUCT_REF,
        name="Tea",
        gtin="1",
        price_currency="AUD",
        price_value=7.5,
    )
    made = await client.create_customer(
        email=f"{ref.lower()}@example.com", first_name="Iso"
    )
    assert made.create_customer is not None
    order = await client.create_order(
        ref=ref,
        type="HD",
        customer_id=made.create_customer.id,
        items=[{"ref": "L1", "product_ref": PRODUCT_REF, "quantity": 1}],
    )
    assert order.create_order is not None
    return str(order.create_order.id)
