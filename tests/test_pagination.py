"""The iterators of both clients, and the pager under them."""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from fluent_gql import AsyncFluentClient, FluentClient, FluentResponseError
from fluent_gql._exceptions import FluentInputError
from fluent_gql._pagination import paginate
from fluent_gql.emulator import Emulator, EmulatorServer
from fluent_gql.types import DateRange, ListCustomers

ACTIVE = 5_003  # just over one page of 5000
QUIET = 7  # a small group for page sizes 1 and 2
OTHER_CATALOGUE = "PC:OTHER:1"
T0 = datetime(2020, 1, 1, tzinfo=UTC)


def _seed(emulator: Emulator) -> None:
    # The store takes thousands of rows in one transaction; through GraphQL the
    # same seed would take seconds (tests/emulator/test_pagination.py).
    from fluent_gql.emulator._store import CATALOGUES, CUSTOMERS, STANDARD_PRODUCTS

    def customer(name: str, status: str, created: datetime) -> dict[str, Any]:
        return {
            "ref": name,
            "username": name,
            "status": status,
            "firstName": "Page",
            "primaryEmail": f"{name}@example.com",
            "timezone": "UTC",
            "promotionOptIn": False,
            "retailerId": 1,
            "attributes": [],
            "createdOn": created,
            "updatedOn": created + timedelta(days=365),
        }

    def product(ref: str, catalogue_id: int, status: str) -> dict[str, Any]:
        return {
            "id": f"id-{ref}",
            "catalogueId": catalogue_id,
            "ref": ref,
            "type": "STANDARD",
            "workflowRef": "PRODUCT_CATALOGUE::MASTER",
            "workflowVersion": 1,
            "status": status,
            "gtin": "9300633603140",
            "name": f"Product {ref}",
            "prices": [{"type": "RRP", "currency": "AUD", "value": 7.5}],
            "attributes": [],
            "createdOn": T0,
            "updatedOn": T0,
        }

    store = emulator._store
    store.insert(
        CATALOGUES,
        {
            "ref": OTHER_CATALOGUE,
            "type": "MASTER",
            "workflowRef": "PRODUCT_CATALOGUE::MASTER",
            "workflowVersion": 1,
            "name": "Other",
            "createdOn": T0,
            "updatedOn": T0,
        },
    )
    master = store.find_one(CATALOGUES, {"ref": emulator.catalogue_ref})
    other = store.find_one(CATALOGUES, {"ref": OTHER_CATALOGUE})
    assert master is not None and other is not None
    store.insert_all(
        [
            *[
                (CUSTOMERS, customer(f"quiet-{n}", "INACTIVE", T0 + timedelta(days=n)))
                for n in range(QUIET)
            ],
            *[
                (CUSTOMERS, customer(f"bulk-{n}", "ACTIVE", T0 + timedelta(days=99)))
                for n in range(ACTIVE)
            ],
            *[
                (STANDARD_PRODUCTS, product(f"SKU-{n}", master["id"], "CREATED"))
                for n in range(5)
            ],
            (STANDARD_PRODUCTS, product("SKU-ACTIVE", master["id"], "ACTIVE")),
            (STANDARD_PRODUCTS, product("SKU-ELSEWHERE", other["id"], "CREATED")),
        ]
    )


@pytest.fixture(scope="module")
def server() -> Iterator[EmulatorServer]:
    """One emulator for the module, seeded with customers and products."""
    with Emulator() as emulator:
        _seed(emulator)
        with EmulatorServer(emulator) as running:
            yield running


class Run:
    """Runs an iterator on the sync or the async client, recording each request."""

    def __init__(self, server: EmulatorServer, kind: str) -> None:
        self.server = server
        self.kind = kind
        self.requests: list[dict[str, Any]] = []

    def _record(self, request: httpx.Request) -> None:
        if request.url.path == "/graphql":
            self.requests.append(json.loads(request.content)["variables"])

    def __call__(self, method: str, **kwargs: Any) -> list[Any]:
        """Collect everything ``client.<method>(**kwargs)`` yields."""
        if self.kind == "sync":
            hooks = {"request": [self._record]}
            with (
                httpx.Client(event_hooks=hooks) as http,
                FluentClient(self.server.config(), http_client=http) as client,
            ):
                return list(getattr(client, method)(**kwargs))
        return asyncio.run(self._collect(method, kwargs))

    async def _collect(self, method: str, kwargs: dict[str, Any]) -> list[Any]:
        async def record(request: httpx.Request) -> None:
            self._record(request)

        hooks = {"request": [record]}
        async with (
            httpx.AsyncClient(event_hooks=hooks) as http,
            AsyncFluentClient(self.server.config(), http_client=http) as client,
        ):
            return [item async for item in getattr(client, method)(**kwargs)]


@pytest.fixture(params=["sync", "async"])
def run(request: pytest.FixtureRequest, server: EmulatorServer) -> Run:
    """A runner for each client."""
    return Run(server, request.param)


@pytest.mark.parametrize("page_size", [1, 2])
def test_small_pages_reach_every_customer_once_in_order(
    run: Run, page_size: int
) -> None:
    """Each page starts after the last edge's cursor; nothing repeats or is lost."""
    customers = run("iter_customers", status="INACTIVE", page_size=page_size)

    assert [c.username for c in customers] == [f"quiet-{n}" for n in range(QUIET)]
    assert len(run.requests) == -(-QUIET // page_size)
    assert all(r["first"] == page_size for r in run.requests)
    assert "after" not in run.requests[0]
    assert len({r["after"] for r in run.requests[1:]}) == len(run.requests) - 1


def test_pages_of_5000_cross_the_page_boundary(run: Run) -> None:
    """5003 customers come in two requests of first=5000, every one exactly once."""
    customers = run("iter_customers", status=["ACTIVE"], page_size=5000)

    assert len(customers) == ACTIVE
    assert len({c.id for c in customers}) == ACTIVE
    assert [r["first"] for r in run.requests] == [5000, 5000]


@pytest.mark.parametrize("page_size", [1, 2, 5000])
def test_products_page_across_boundaries_too(run: Run, page_size: int) -> None:
    """Standard products of one catalogue come back whole at every page size."""
    products = run(
        "iter_standard_products", catalogue_ref="PC:MASTER:1", page_size=page_size
    )

    assert [p.ref for p in products] == [*(f"SKU-{n}" for n in range(5)), "SKU-ACTIVE"]
    assert products[0].prices[0].value == 7.5
    assert products[0].catalogue.ref == "PC:MASTER:1"


def test_max_items_stops_early_and_asks_only_for_what_is_left(run: Run) -> None:
    """max_items=3 with pages of 2 yields three customers from first=2, then first=1."""
    customers = run("iter_customers", status="INACTIVE", page_size=2, max_items=3)

    assert [c.username for c in customers] == ["quiet-0", "quiet-1", "quiet-2"]
    assert [r["first"] for r in run.requests] == [2, 1]


def test_max_items_of_zero_sends_nothing(run: Run) -> None:
    """Asking for no items makes no request at all."""
    customers = run("iter_customers", max_items=0)

    assert customers == []
    assert run.requests == []


def test_a_max_above_the_total_yields_everything(run: Run) -> None:
    """max_items larger than the list is no limit."""
    customers = run("iter_customers", status="INACTIVE", max_items=100)

    assert len(customers) == QUIET


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (
            {"emails": ["quiet-1@example.com", "quiet-4@example.com"]},
            ["quiet-1", "quiet-4"],
        ),
        ({"emails": "quiet-2@example.com"}, ["quiet-2"]),
        ({"usernames": ["quiet-3", "bulk-0"]}, ["quiet-3", "bulk-0"]),
        (
            {
                "created_on": DateRange(
                    from_=T0 + timedelta(days=5), to=T0 + timedelta(days=6)
                )
            },
            ["quiet-5", "quiet-6"],
        ),
        (
            {
                "status": "INACTIVE",
                "updated_on": DateRange(to=T0 + timedelta(days=366)),
            },
            ["quiet-0", "quiet-1"],
        ),
        ({"emails": ["nobody@example.com"]}, []),
    ],
)
def test_customer_filters_narrow_the_list(
    run: Run, filters: dict[str, Any], expected: list[str]
) -> None:
    """Each filter is sent as its Fluent argument and every result matches it."""
    customers = run("iter_customers", page_size=2, **filters)

    assert [c.username for c in customers] == expected


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"catalogue_ref": OTHER_CATALOGUE}, ["SKU-ELSEWHERE"]),
        ({"refs": ["SKU-1", "SKU-ELSEWHERE"]}, ["SKU-1", "SKU-ELSEWHERE"]),
        ({"catalogue_ref": "PC:MASTER:1", "status": "ACTIVE"}, ["SKU-ACTIVE"]),
        ({"catalogue_ref": "PC:NOWHERE"}, []),
    ],
)
def test_product_filters_narrow_the_list(
    run: Run, filters: dict[str, Any], expected: list[str]
) -> None:
    """Catalogue, refs and status select products."""
    products = run("iter_standard_products", **filters)

    assert [p.ref for p in products] == expected


@pytest.mark.parametrize(
    "limits",
    [
        {"page_size": 0},
        {"page_size": 5001},
        {"page_size": -1},
        {"page_size": True},
        {"page_size": 2.5},
        {"max_items": -1},
    ],
)
@pytest.mark.parametrize("kind", ["sync", "async"])
def test_out_of_range_limits_fail_at_the_call_before_any_request(
    server: EmulatorServer, kind: str, limits: dict[str, Any]
) -> None:
    """Page size outside 1..5000 or a negative maximum raises FluentInputError."""
    client_class = FluentClient if kind == "sync" else AsyncFluentClient
    client = client_class(server.config())

    with pytest.raises(FluentInputError) as caught:
        client.iter_customers(**limits)

    assert caught.value.field in {"page_size", "max_items"}
    assert client.token_info is None


def test_the_iterator_is_lazy(server: EmulatorServer) -> None:
    """Taking one item fetches one page, not the whole list."""
    runner = Run(server, "sync")
    hooks = {"request": [runner._record]}
    with (
        httpx.Client(event_hooks=hooks) as http,
        FluentClient(server.config(), http_client=http) as client,
    ):
        first = next(client.iter_customers(page_size=2))

    assert first.username == "quiet-0"
    assert len(runner.requests) == 1


def _page(edges: list[Any], has_next: bool) -> ListCustomers:
    return ListCustomers.model_validate(
        {"customers": {"edges": edges, "pageInfo": {"hasNextPage": has_next}}}
    )


def _customer(n: int) -> dict[str, Any]:
    return {
        "id": str(n),
        "ref": f"c{n}",
        "username": f"c{n}",
        "status": None,
        "title": None,
        "firstName": None,
        "lastName": None,
        "primaryEmail": None,
        "primaryPhone": None,
        "country": None,
        "timezone": None,
        "promotionOptIn": None,
        "createdOn": None,
        "updatedOn": None,
        "attributes": None,
        "retailer": None,
    }


def test_the_next_page_starts_after_the_last_edge_even_without_a_node() -> None:
    """A null node on the last edge is skipped, but its cursor is still followed."""
    pages = [
        _page(
            [{"cursor": "a", "node": _customer(1)}, {"cursor": "b", "node": None}], True
        ),
        _page([{"cursor": "c", "node": _customer(2)}], False),
    ]
    afters: list[object] = []

    def list_customers(first: int, after: object = None, **_: Any) -> ListCustomers:
        afters.append(after)
        return pages[len(afters) - 1]

    ids = [c.id for c in paginate(list_customers, page_size=2)]

    assert ids == ["1", "2"]
    assert afters[1] == "b"


@pytest.mark.parametrize(
    "edges",
    [[], [{"cursor": None, "node": None}], [None]],
)
def test_more_pages_without_a_cursor_to_follow_is_a_response_error(
    edges: list[Any],
) -> None:
    """hasNextPage with no usable last cursor raises instead of looping forever."""

    def list_customers(first: int, after: object = None) -> ListCustomers:
        return _page(edges, True)

    with pytest.raises(FluentResponseError, match="no new cursor"):
        list(paginate(list_customers))


def test_a_repeated_cursor_is_a_response_error() -> None:
    """A server that hands back the same cursor twice cannot trap the loop."""

    def list_customers(first: int, after: object = None) -> ListCustomers:
        return _page([{"cursor": "same", "node": _customer(1)}], True)

    with pytest.raises(FluentResponseError):
        list(paginate(list_customers))


def test_an_operation_that_returns_no_connection_cannot_be_paged(
    server: EmulatorServer,
) -> None:
    """paginate refuses me() (no first/after) and refuses first= given by hand."""
    client = FluentClient(server.config())

    with pytest.raises(TypeError, match="cannot be paged"):
        paginate(client.me)
    with pytest.raises(TypeError, match="page_size"):
        paginate(client.list_customers, first=3)


def test_both_clients_take_the_same_iterator_keywords() -> None:
    """The async iterators mirror the sync ones, keyword for keyword."""
    for name in ("iter_customers", "iter_standard_products"):
        sync = inspect.signature(getattr(FluentClient, name)).parameters
        async_ = inspect.signature(getattr(AsyncFluentClient, name)).parameters

        assert list(sync) == list(async_)
        assert all(sync[p].default == async_[p].default for p in sync)
