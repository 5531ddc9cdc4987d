"""Relay pagination: page sizes, cursors, both directions, limits, and 10,000 rows."""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from fluent_gql.emulator import Emulator, EmulatorServer

from .support import Api, unique

PAGE = """
query Page($department: [String], $first: Int, $last: Int, $after: String,
           $before: String) {
  customers(department: $department, first: $first, last: $last, after: $after,
            before: $before) {
    edges { cursor node { id } }
    pageInfo { hasNextPage hasPreviousPage }
  }
}
"""
GROUP_SIZE = 23


@pytest.fixture(scope="module")
def group(api: Api) -> tuple[str, list[str]]:
    """23 customers sharing a unique department, and their ids in order."""
    department = unique("page")
    ids = [api.create_customer(department=department)["id"] for _ in range(GROUP_SIZE)]
    return department, ids


def _page(api: Api, department: str, **window: Any) -> tuple[list[str], Any, list[str]]:
    data = api.data(PAGE, {"department": [department], **window})["customers"]
    ids = [edge["node"]["id"] for edge in data["edges"]]
    cursors = [edge["cursor"] for edge in data["edges"]]
    return ids, data["pageInfo"], cursors


def _walk_forward(api: Api, department: str, size: int) -> list[list[str]]:
    pages, after = [], None
    while True:
        ids, info, cursors = _page(api, department, first=size, after=after)
        pages.append(ids)
        if not info["hasNextPage"]:
            return pages
        after = cursors[-1]


@pytest.mark.parametrize("size", [1, 2, 5, 10, 22, 23, 24, 5000])
def test_paging_forward_visits_every_row_once_in_id_order(
    api: Api, group: tuple[str, list[str]], size: int
) -> None:
    """Following the last cursor with ``first`` yields all rows, pages of ``size``."""
    department, ids = group

    pages = _walk_forward(api, department, size)

    assert [i for page in pages for i in page] == ids
    assert all(len(page) == size for page in pages[:-1])
    assert 1 <= len(pages[-1]) <= size


def test_ids_are_in_ascending_order(group: tuple[str, list[str]]) -> None:
    """The stable order is by id."""
    _, ids = group

    assert [int(i) for i in ids] == sorted(int(i) for i in ids)


def test_without_first_or_last_a_page_holds_ten(
    api: Api, group: tuple[str, list[str]]
) -> None:
    """Fluent's default page size is 10."""
    department, ids = group

    page, info, _ = _page(api, department)

    assert page == ids[:10]
    assert info == {"hasNextPage": True, "hasPreviousPage": False}


def test_page_info_flags_at_the_start_middle_and_end(
    api: Api, group: tuple[str, list[str]]
) -> None:
    """hasPreviousPage is true once past the first row; hasNextPage until the end."""
    department, ids = group
    _, start, cursors = _page(api, department, first=10)
    middle_ids, middle, middle_cursors = _page(
        api, department, first=10, after=cursors[-1]
    )
    end_ids, end, _ = _page(api, department, first=10, after=middle_cursors[-1])

    assert start == {"hasNextPage": True, "hasPreviousPage": False}
    assert (middle_ids, middle) == (
        ids[10:20],
        {"hasNextPage": True, "hasPreviousPage": True},
    )
    assert (end_ids, end) == (ids[20:], {"hasNextPage": False, "hasPreviousPage": True})


def test_after_the_last_cursor_the_page_is_empty(
    api: Api, group: tuple[str, list[str]]
) -> None:
    """Paging past the end gives no edges and no next page."""
    department, _ = group
    _, _, cursors = _page(api, department, first=GROUP_SIZE)

    ids, info, _ = _page(api, department, first=5, after=cursors[-1])

    assert ids == []
    assert info == {"hasNextPage": False, "hasPreviousPage": True}


def test_last_takes_rows_from_the_end(api: Api, group: tuple[str, list[str]]) -> None:
    """``last`` alone returns the final rows, still in ascending order."""
    department, ids = group

    page, info, _ = _page(api, department, last=3)

    assert page == ids[-3:]
    assert info == {"hasNextPage": False, "hasPreviousPage": True}


def test_last_with_before_pages_backwards(
    api: Api, group: tuple[str, list[str]]
) -> None:
    """Following the first cursor with ``last``/``before`` walks back to the start."""
    department, ids = group
    pages: list[list[str]] = []
    before = None
    while True:
        page, info, cursors = _page(api, department, last=4, before=before)
        pages.insert(0, page)
        if not info["hasPreviousPage"]:
            break
        before = cursors[0]

    assert [i for p in pages for i in p] == ids
    assert all(len(p) == 4 for p in pages[1:])


def test_after_and_before_bound_a_window(
    api: Api, group: tuple[str, list[str]]
) -> None:
    """Both cursors together select the rows strictly between them."""
    department, ids = group
    _, _, cursors = _page(api, department, first=GROUP_SIZE)

    page, info, _ = _page(
        api, department, first=100, after=cursors[4], before=cursors[9]
    )

    assert page == ids[5:9]
    assert info == {"hasNextPage": False, "hasPreviousPage": True}


def test_first_and_last_together_take_the_tail_of_the_first_slice(
    api: Api, group: tuple[str, list[str]]
) -> None:
    """Relay's algorithm: apply ``first``, then ``last``."""
    department, ids = group

    page, info, _ = _page(api, department, first=10, last=3)

    assert page == ids[7:10]
    assert info == {"hasNextPage": True, "hasPreviousPage": True}


def test_cursors_are_opaque_base64_of_the_row_position(
    api: Api, group: tuple[str, list[str]]
) -> None:
    """Cursors decode to ``cursor:<id>``; clients must not rely on it, tests may."""
    department, ids = group

    _, _, cursors = _page(api, department, first=2)

    assert [base64.b64decode(c).decode() for c in cursors] == [
        f"cursor:{i}" for i in ids[:2]
    ]


@pytest.mark.parametrize("argument", ["first", "last"])
@pytest.mark.parametrize("value", [0, -1])
def test_page_sizes_below_one_are_c0142e(api: Api, argument: str, value: int) -> None:
    """``first``/``last`` must be at least 1."""
    error = api.error(PAGE, {argument: value})

    assert error["extensions"] == {"code": "C0142E"}
    assert f"'{argument}'" in error["message"]


@pytest.mark.parametrize("cursor", ["garbage!", "Zm9v", "Y3Vyc29yOmFiYw=="])
@pytest.mark.parametrize("argument", ["after", "before"])
def test_foreign_cursors_are_c0143e(api: Api, cursor: str, argument: str) -> None:
    """Cursors the emulator did not make are refused with a code."""
    error = api.error(PAGE, {argument: cursor})

    assert error["extensions"] == {"code": "C0143E"}
    assert f"'{argument}'" in error["message"]


def test_product_connections_page_the_same_way(api: Api) -> None:
    """standardProducts pages by insertion order with the same cursors."""
    kind = unique("TYPE")
    refs = [api.create_product(type=kind)["ref"] for _ in range(5)]
    query = """query($type: [String!], $after: String) {
        standardProducts(type: $type, first: 2, after: $after) {
            edges { cursor node { ref } } pageInfo { hasNextPage hasPreviousPage }
        } }"""
    seen: list[str] = []
    after = None
    while True:
        data = api.data(query, {"type": [kind], "after": after})["standardProducts"]
        seen += [edge["node"]["ref"] for edge in data["edges"]]
        if not data["pageInfo"]["hasNextPage"]:
            break
        after = data["edges"][-1]["cursor"]

    assert seen == refs


# -- 10,000 rows -------------------------------------------------------------------

MANY = 10_050


@pytest.fixture(scope="module")
def big() -> Iterator[Api]:
    """A private emulator holding 10,050 customers."""
    with Emulator() as emulator:
        _bulk_insert(emulator, MANY)
        with EmulatorServer(emulator) as server:
            client = Api(server)
            client.login()
            yield client
            client.close()


def _bulk_insert(emulator: Emulator, count: int) -> None:
    # Seeding 10k rows through GraphQL takes ~10 s (graphql-core parses and
    # validates each aliased mutation); the store takes them in one transaction.
    from fluent_gql.emulator._store import CUSTOMERS

    created = datetime.now(UTC)
    rows = [
        (
            CUSTOMERS,
            {
                "ref": f"bulk-{n}",
                "username": f"bulk-{n}",
                "status": "ACTIVE",
                "firstName": "Bulk",
                "lastName": f"L{n % 7}",
                "primaryEmail": f"bulk-{n}@example.com",
                "timezone": "UTC",
                "promotionOptIn": n % 2 == 0,
                "retailerId": 1,
                "attributes": [],
                "createdOn": created,
                "updatedOn": created,
            },
        )
        for n in range(count)
    ]
    emulator._store.insert_all(rows)


BIG_PAGE = """query($first: Int, $after: String, $lastName: [String], $last: Int) {
    customers(first: $first, after: $after, lastName: $lastName, last: $last) {
        edges { cursor node { id username } } pageInfo { hasNextPage hasPreviousPage }
    } }"""


def test_page_sizes_above_5000_are_capped(big: Api) -> None:
    """``first: 6000`` returns 5000 rows and says there are more."""
    data = big.data(BIG_PAGE, {"first": 6000})["customers"]

    assert len(data["edges"]) == 5000
    assert data["pageInfo"]["hasNextPage"] is True


def test_ten_thousand_rows_page_through_in_three_pages(big: Api) -> None:
    """Pages of 5000 reach every row of 10,050, each quickly."""
    seen: list[str] = []
    after = None
    slowest = 0.0
    while True:
        started = time.perf_counter()
        data = big.data(BIG_PAGE, {"first": 5000, "after": after})["customers"]
        slowest = max(slowest, time.perf_counter() - started)
        seen += [edge["node"]["username"] for edge in data["edges"]]
        if not data["pageInfo"]["hasNextPage"]:
            break
        after = data["edges"][-1]["cursor"]

    assert seen == [f"bulk-{n}" for n in range(MANY)]
    assert slowest < 2.0


def test_small_pages_deep_in_a_large_table_are_fast(big: Api) -> None:
    """A filtered page near the end and a ``last`` page take milliseconds."""
    started = time.perf_counter()
    tail = big.data(BIG_PAGE, {"last": 2})["customers"]
    filtered = big.data(BIG_PAGE, {"lastName": ["L3"], "first": 3})["customers"]
    elapsed = time.perf_counter() - started

    assert [e["node"]["username"] for e in tail["edges"]] == [
        f"bulk-{MANY - 2}",
        f"bulk-{MANY - 1}",
    ]
    assert [e["node"]["username"] for e in filtered["edges"]] == [
        "bulk-3",
        "bulk-10",
        "bulk-17",
    ]
    assert elapsed < 0.5
    assert big.emulator.customer_count() == MANY
