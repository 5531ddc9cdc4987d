"""The connector's orders, fulfilments, locations and inventory, on both clients.

Every method of :class:`FluentClient` and :class:`AsyncFluentClient` in those
areas, over loopback HTTP against a fresh emulator: the values that come back,
the filters and paging of the ``iter_*`` methods, the completion of orders and
fulfilments longer than their first page, and input errors raised before
anything is sent. Test data is built with few round trips (``tests/_orders.py``).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import anyio
import pytest

from fluent_gql import (
    AsyncFluentClient,
    FluentClient,
    FluentInputError,
    FluentValueRefusedError,
)
from fluent_gql.emulator import EmulatorServer
from fluent_gql.types import (
    AttributeInput,
    CreateCustomerAddressInput,
    CreateFulfilmentChoiceWithOrderInput,
    CreateOrderItemWithOrderInput,
    DateRange,
    FulfilmentFields,
    InventoryPositionFields,
    LocationFields,
    OrderFields,
    OrderSummaryFields,
)
from tests import _orders as data
from tests._orders import (
    CURRENCY,
    EMAIL,
    OTHER_PRODUCT_NAME,
    OTHER_PRODUCT_REF,
    PRODUCT_NAME,
    PRODUCT_PRICE,
    PRODUCT_REF,
    SEEDED_LOCATION_REF,
    SEEDED_RETAILER_REF,
    Shop,
    arun,
    ashop,
    run,
    shop,
)

PAGE_SIZES = (1, 2, 5000)
DUPLICATE_ORDER_REF = "C0121E"


def nodes(connection: Any) -> list[Any]:
    """The nodes of a connection (an order's items, a fulfilment's items...)."""
    assert connection is not None and connection.edges is not None
    return [e.node for e in connection.edges if e is not None and e.node is not None]


def refs(found: Sequence[Any]) -> list[str]:
    return [x.ref for x in found]


def attrs(model: Any) -> list[tuple[str, str, Any]]:
    return [(a.name, a.type_, a.value) for a in model.attributes or []]


def order_count(client: FluentClient) -> int:
    return len(list(client.iter_orders(page_size=5000)))


async def aorder_count(client: AsyncFluentClient) -> int:
    return len([o async for o in client.iter_orders(page_size=5000)])


async def alist(iterator: Any) -> list[Any]:
    return [x async for x in iterator]


def stamp(moment: datetime | None) -> datetime:
    """A timestamp the emulator always sets (createdOn, updatedOn)."""
    assert moment is not None and moment.tzinfo is not None
    return moment


def wait_past(moment: datetime) -> None:
    """Sleep until the (shared) clock is a whole millisecond past ``moment``:
    the emulator's timestamps are whole milliseconds."""
    while datetime.now(UTC) < moment + timedelta(milliseconds=1):
        time.sleep(0.001)


async def await_past(moment: datetime) -> None:
    while datetime.now(UTC) < moment + timedelta(milliseconds=1):
        await anyio.sleep(0.001)


# -- create_order --------------------------------------------------------------

HD_ATTRIBUTES = [
    AttributeInput(name="channel", type_="STRING", value="web"),
    AttributeInput(name="giftWrap", type_="BOOLEAN", value=True),
]


def hd_items_snake() -> list[dict[str, Any]]:
    return [
        data.item(1, quantity=2),
        data.item(2, product_ref=OTHER_PRODUCT_REF, price=5.0),
    ]


def hd_items_camel() -> list[dict[str, Any]]:
    return [
        {
            "ref": "L001",
            "productRef": PRODUCT_REF,
            "quantity": 2,
            "price": PRODUCT_PRICE,
            "paidPrice": PRODUCT_PRICE,
            "totalPrice": PRODUCT_PRICE * 2,
            "currency": CURRENCY,
        },
        {
            "ref": "L002",
            "productRef": OTHER_PRODUCT_REF,
            "productCatalogueRef": "PC:MASTER:1",
            "quantity": 1,
            "price": 5.0,
            "paidPrice": 5.0,
            "totalPrice": 5.0,
            "currency": CURRENCY,
        },
    ]


def check_home_delivery(order: OrderFields | None, shop: Shop, ref: str) -> None:
    """The HD order of hd_items_* with data.home_delivery(), read back whole."""
    assert order is not None
    assert order.id.isdigit()
    assert (order.ref, order.type_, order.status) == (ref, "HD", "CREATED")
    assert (order.workflow_ref, order.workflow_version) == ("ORDER::HD", 1)
    assert (order.total_price, order.total_tax_price) == (24.0, 2.4)
    assert attrs(order) == [("channel", "STRING", "web"), ("giftWrap", "BOOLEAN", True)]
    assert order.retailer is not None
    assert (order.retailer.id, order.retailer.ref) == (
        shop.retailer_id,
        SEEDED_RETAILER_REF,
    )
    customer = order.customer
    assert customer is not None
    assert (customer.id, customer.ref, customer.primary_email) == (
        shop.customer_id,
        shop.customer_ref,
        EMAIL,
    )
    assert (customer.first_name, customer.last_name) == ("Ada", "Lovelace")
    assert order.created_on is not None and order.created_on.tzinfo is not None

    choice = order.fulfilment_choice
    assert choice is not None
    assert choice.delivery_type == "STANDARD"
    assert (choice.currency, choice.fulfilment_price) == (CURRENCY, 5.0)
    assert choice.delivery_instruction == "Leave at the door"
    assert choice.pickup_location_ref is None
    address = choice.delivery_address
    assert address is not None
    assert address.typename__ == "CustomerAddress"
    assert address.id.isdigit()
    assert (address.ref, address.name, address.company_name) == (
        "ADDR-1",
        "Ada Lovelace",
        "Analytical Engines",
    )
    assert (address.street, address.city) == ("1 George St", "Sydney")
    assert (address.state, address.postcode, address.country) == ("NSW", "2000", "AU")
    assert (address.latitude, address.longitude) == (-33.86, 151.2)
    assert address.time_zone == "Australia/Sydney"

    lines = nodes(order.items)
    assert order.items is not None and order.items.page_info is not None
    assert order.items.page_info.has_next_page is False
    assert [
        (i.ref, i.status, i.quantity, i.price, i.paid_price, i.total_price, i.currency)
        for i in lines
    ] == [
        ("L001", "CREATED", 2, PRODUCT_PRICE, PRODUCT_PRICE, 19.0, CURRENCY),
        ("L002", "CREATED", 1, 5.0, 5.0, 5.0, CURRENCY),
    ]
    products = [i.product for i in lines]
    assert [
        (p.typename__, p.ref, p.name, p.type_, p.catalogue.ref) for p in products
    ] == [
        ("StandardProduct", PRODUCT_REF, PRODUCT_NAME, "STANDARD", shop.catalogue_ref),
        (
            "StandardProduct",
            OTHER_PRODUCT_REF,
            OTHER_PRODUCT_NAME,
            "STANDARD",
            shop.catalogue_ref,
        ),
    ]
    assert nodes(order.fulfilments) == []


def test_create_order_home_delivery(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    """Items as snake_case dicts, the fulfilment choice as a dict: every value
    comes back, and order_by_ref / order_by_id read the same order."""
    s = shop(fluent_client, fluent_emulator)

    created = fluent_client.create_order(
        "HD-1",
        "HD",
        s.customer_id,
        hd_items_snake(),
        fulfilment_choice=data.home_delivery(),
        attributes=list(HD_ATTRIBUTES),
        total_price=24.0,
        total_tax_price=2.4,
    ).create_order

    check_home_delivery(created, s, "HD-1")
    assert created is not None
    assert fluent_client.order_by_ref("HD-1") == created
    assert fluent_client.order_by_id(created.id) == created
    assert order_count(fluent_client) == 1


@pytest.mark.anyio
async def test_create_order_home_delivery_async(
    async_fluent_client: AsyncFluentClient, fluent_emulator: EmulatorServer
) -> None:
    """Items as camelCase dicts, the fulfilment choice as a model."""
    s = await ashop(async_fluent_client, fluent_emulator)
    address = CreateCustomerAddressInput.model_validate(data.delivery_address())
    choice = CreateFulfilmentChoiceWithOrderInput(
        delivery_type="STANDARD",
        currency=CURRENCY,
        fulfilment_price=5.0,
        delivery_instruction="Leave at the door",
        delivery_address=address,
    )

    created = (
        await async_fluent_client.create_order(
            "HD-1",
            "HD",
            s.customer_id,
            hd_items_camel(),
            retailer_id=s.retailer_id,
            fulfilment_choice=choice,
            attributes=list(HD_ATTRIBUTES),
            total_price=24.0,
            total_tax_price=2.4,
        )
    ).create_order

    check_home_delivery(created, s, "HD-1")
    assert created is not None
    assert await async_fluent_client.order_by_ref("HD-1") == created
    assert await async_fluent_client.order_by_id(created.id) == created
    assert await aorder_count(async_fluent_client) == 1


def cc_items() -> list[Any]:
    """The same three lines as a model, a snake_case dict and a camelCase dict."""
    return [
        CreateOrderItemWithOrderInput(
            ref="C1", product_ref=PRODUCT_REF, quantity=3, price=1.5
        ),
        {"ref": "C2", "product_ref": OTHER_PRODUCT_REF, "quantity": 1, "price": 2.0},
        {"ref": "C3", "productRef": PRODUCT_REF, "quantity": 4, "price": 0.5},
    ]


def check_click_and_collect(order: OrderFields | None, shop: Shop) -> None:
    assert order is not None
    assert (order.ref, order.type_, order.status) == ("CC-1", "CC", "CREATED")
    assert (order.workflow_ref, order.workflow_version) == ("ORDER::CC", 1)
    assert order.customer is not None and order.customer.id == shop.customer_id
    assert order.total_price is None and order.attributes == []
    choice = order.fulfilment_choice
    assert choice is not None
    assert (choice.delivery_type, choice.pickup_location_ref) == (
        "STANDARD",
        SEEDED_LOCATION_REF,
    )
    assert choice.delivery_address is None
    assert [
        (i.ref, i.product.ref, i.quantity, i.price) for i in nodes(order.items)
    ] == [
        ("C1", PRODUCT_REF, 3, 1.5),
        ("C2", OTHER_PRODUCT_REF, 1, 2.0),
        ("C3", PRODUCT_REF, 4, 0.5),
    ]


def test_create_order_click_and_collect(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    """A CC order with a pickup location; items as models and dicts mixed, the
    choice as a camelCase dict."""
    s = shop(fluent_client, fluent_emulator)

    created = fluent_client.create_order(
        "CC-1",
        "CC",
        s.customer_id,
        cc_items(),
        fulfilment_choice={
            "deliveryType": "STANDARD",
            "pickupLocationRef": SEEDED_LOCATION_REF,
        },
    ).create_order

    check_click_and_collect(created, s)
    check_click_and_collect(fluent_client.order_by_ref("CC-1"), s)


@pytest.mark.anyio
async def test_create_order_click_and_collect_async(
    async_fluent_client: AsyncFluentClient, fluent_emulator: EmulatorServer
) -> None:
    s = await ashop(async_fluent_client, fluent_emulator)
    choice = CreateFulfilmentChoiceWithOrderInput(
        delivery_type="STANDARD", pickup_location_ref=SEEDED_LOCATION_REF
    )

    created = (
        await async_fluent_client.create_order(
            "CC-1", "CC", s.customer_id, cc_items(), fulfilment_choice=choice
        )
    ).create_order

    check_click_and_collect(created, s)
    check_click_and_collect(await async_fluent_client.order_by_ref("CC-1"), s)


GOOD_ITEM = {"ref": "L1", "product_ref": PRODUCT_REF, "quantity": 1}

MALFORMED_ORDERS: list[tuple[str, dict[str, Any], str]] = [
    (
        "quantity not a number",
        {"items": [GOOD_ITEM, {**GOOD_ITEM, "ref": "L2", "quantity": "two"}]},
        "items[1].quantity",
    ),
    (
        "quantity missing (camelCase dict)",
        {"items": [GOOD_ITEM, {"ref": "L2", "productRef": PRODUCT_REF}]},
        "items[1].quantity",
    ),
    (
        "product_ref missing",
        {"items": [{"ref": "L1", "quantity": 1}]},
        "items[0].product_ref",
    ),
    (
        "unknown key",
        {"items": [GOOD_ITEM, {**GOOD_ITEM, "ref": "L2", "colour": "red"}]},
        "items[1].colour",
    ),
    ("an item that is no dict", {"items": [GOOD_ITEM, "L2"]}, "items[1]"),
    ("no items", {"items": []}, "items"),
    ("items a dict", {"items": GOOD_ITEM}, "items"),
    ("items a string", {"items": "L1"}, "items"),
    (
        "choice without delivery_type",
        {"fulfilment_choice": {"delivery_address": data.delivery_address()}},
        "fulfilment_choice.delivery_type",
    ),
    (
        "delivery address without ref",
        {
            "fulfilment_choice": {
                "delivery_type": "STANDARD",
                "delivery_address": {"city": "Sydney"},
            }
        },
        "fulfilment_choice.delivery_address.ref",
    ),
    (
        "choice with an unknown key",
        {"fulfilment_choice": {"delivery_type": "STANDARD", "speed": "fast"}},
        "fulfilment_choice.speed",
    ),
    ("choice a string", {"fulfilment_choice": "STANDARD"}, "fulfilment_choice"),
]


def _check_refusal(error: FluentInputError, field: str) -> None:
    assert error.field == field
    assert str(error)


def test_create_order_malformed_input_is_refused_before_sending(
    fluent_client: FluentClient,
    fluent_emulator: EmulatorServer,
    subtests: pytest.Subtests,
) -> None:
    s = shop(fluent_client, fluent_emulator)

    for name, given, field in MALFORMED_ORDERS:
        with subtests.test(name, field=field):
            arguments: dict[str, Any] = {"items": [GOOD_ITEM], **given}
            with pytest.raises(FluentInputError) as refused:
                fluent_client.create_order("BAD-1", "HD", s.customer_id, **arguments)
            _check_refusal(refused.value, field)
            assert order_count(fluent_client) == 0


@pytest.mark.anyio
async def test_create_order_malformed_input_is_refused_before_sending_async(
    async_fluent_client: AsyncFluentClient,
    fluent_emulator: EmulatorServer,
    subtests: pytest.Subtests,
) -> None:
    s = await ashop(async_fluent_client, fluent_emulator)

    for name, given, field in MALFORMED_ORDERS:
        with subtests.test(name, field=field):
            arguments: dict[str, Any] = {"items": [GOOD_ITEM], **given}
            with pytest.raises(FluentInputError) as refused:
                await async_fluent_client.create_order(
                    "BAD-1", "HD", s.customer_id, **arguments
                )
            _check_refusal(refused.value, field)
            assert await aorder_count(async_fluent_client) == 0


def test_create_order_with_a_ref_in_use_is_refused(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    """A duplicate ref on a first send is Fluent's C0121E, and the first order
    is left as it was."""
    s = shop(fluent_client, fluent_emulator)
    first = fluent_client.create_order("O-1", "HD", s.customer_id, [GOOD_ITEM])

    with pytest.raises(FluentValueRefusedError) as refused:
        fluent_client.create_order(
            "O-1", "CC", s.customer_id, [{**GOOD_ITEM, "quantity": 9}]
        )

    assert refused.value.code == DUPLICATE_ORDER_REF
    assert "O-1" in str(refused.value)
    assert not refused.value.maybe_applied
    assert order_count(fluent_client) == 1
    assert fluent_client.order_by_ref("O-1") == first.create_order


@pytest.mark.anyio
async def test_create_order_with_a_ref_in_use_is_refused_async(
    async_fluent_client: AsyncFluentClient, fluent_emulator: EmulatorServer
) -> None:
    s = await ashop(async_fluent_client, fluent_emulator)
    first = await async_fluent_client.create_order(
        "O-1", "HD", s.customer_id, [GOOD_ITEM]
    )

    with pytest.raises(FluentValueRefusedError) as refused:
        await async_fluent_client.create_order(
            "O-1", "CC", s.customer_id, [{**GOOD_ITEM, "quantity": 9}]
        )

    assert refused.value.code == DUPLICATE_ORDER_REF
    assert await aorder_count(async_fluent_client) == 1
    assert await async_fluent_client.order_by_ref("O-1") == first.create_order


def test_create_order_with_a_ref_in_use_is_refused_with_retry_mutations(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    """With retry_mutations on, a ref that another order already had before
    anything was sent is still an error: nothing was resent, so the order
    found by that ref is not ours (other type, customer and items)."""
    s = shop(fluent_client, fluent_emulator)
    fluent_client.create_order("O-1", "HD", s.customer_id, [GOOD_ITEM])
    retrying = fluent_client.with_options(retry_mutations=True)

    with pytest.raises(FluentValueRefusedError) as refused:
        retrying.create_order(
            "O-1", "CC", s.customer_id, [{**GOOD_ITEM, "ref": "X9", "quantity": 9}]
        )

    assert refused.value.code == DUPLICATE_ORDER_REF


@pytest.mark.anyio
async def test_create_order_with_a_ref_in_use_is_refused_with_retry_mutations_async(
    async_fluent_client: AsyncFluentClient, fluent_emulator: EmulatorServer
) -> None:
    s = await ashop(async_fluent_client, fluent_emulator)
    await async_fluent_client.create_order("O-1", "HD", s.customer_id, [GOOD_ITEM])
    retrying = async_fluent_client.with_options(retry_mutations=True)

    with pytest.raises(FluentValueRefusedError) as refused:
        await retrying.create_order(
            "O-1", "CC", s.customer_id, [{**GOOD_ITEM, "ref": "X9", "quantity": 9}]
        )

    assert refused.value.code == DUPLICATE_ORDER_REF


# -- create_order_and_customer -------------------------------------------------

GRACE = "grace@example.com"


def check_new_customer_order(
    order: OrderFields | None, username: str, first_name: str
) -> None:
    assert order is not None
    assert (order.ref, order.type_, order.status) == ("OC-1", "HD", "CREATED")
    assert order.customer is not None
    assert (order.customer.username, order.customer.primary_email) == (
        username,
        GRACE,
    )
    assert (order.customer.first_name, order.customer.last_name) == (
        first_name,
        "Hopper",
    )
    assert [(i.ref, i.product.ref) for i in nodes(order.items)] == [
        ("L000", PRODUCT_REF),
        ("L001", PRODUCT_REF),
    ]
    choice = order.fulfilment_choice
    assert choice is not None and choice.delivery_address is not None
    assert choice.delivery_address.city == "Sydney"


def check_new_customer(customer: Any, order: OrderFields, username: str) -> None:
    """The customer create_order_and_customer made, with the connector's defaults."""
    assert customer is not None and order.customer is not None
    assert customer.id == order.customer.id
    assert (customer.username, customer.ref, customer.primary_email) == (
        username,
        username,
        GRACE,
    )
    assert (customer.timezone, customer.promotion_opt_in, customer.status) == (
        "UTC",
        False,
        "ACTIVE",
    )
    assert customer.retailer is not None
    assert customer.retailer.id == "1"


def test_create_order_and_customer(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    """A snake_case customer dict: username defaults to the e-mail, timezone to
    UTC, and the customer exists afterwards."""
    shop(fluent_client, fluent_emulator)

    created = fluent_client.create_order_and_customer(
        "OC-1",
        "HD",
        {"primary_email": GRACE, "first_name": "Grace", "last_name": "Hopper"},
        data.items(2),
        fulfilment_choice=data.home_delivery(),
    ).create_order_and_customer

    check_new_customer_order(created, GRACE, "Grace")
    assert created is not None
    check_new_customer(fluent_client.customer_by_email(GRACE), created, GRACE)
    assert fluent_client.order_by_ref("OC-1") == created


@pytest.mark.anyio
async def test_create_order_and_customer_async(
    async_fluent_client: AsyncFluentClient, fluent_emulator: EmulatorServer
) -> None:
    """A camelCase customer dict with its own username."""
    await ashop(async_fluent_client, fluent_emulator)

    created = (
        await async_fluent_client.create_order_and_customer(
            "OC-1",
            "HD",
            {
                "primaryEmail": GRACE,
                "firstName": "Amazing Grace",
                "lastName": "Hopper",
                "username": "grace",
            },
            data.items(2),
            fulfilment_choice=data.home_delivery(),
        )
    ).create_order_and_customer

    check_new_customer_order(created, "grace", "Amazing Grace")
    assert created is not None
    customer = await async_fluent_client.customer_by_email(GRACE)
    check_new_customer(customer, created, "grace")
    assert await async_fluent_client.order_by_id(created.id) == created


MALFORMED_CUSTOMERS: list[tuple[str, Any, str]] = [
    ("no e-mail", {"first_name": "Grace"}, "customer.primary_email"),
    (
        "unknown key",
        {"primary_email": GRACE, "first_name": "Grace", "shoe_size": 7},
        "customer.shoe_size",
    ),
    ("not a dict", GRACE, "customer"),
]


def test_create_order_and_customer_malformed_customer(
    fluent_client: FluentClient,
    fluent_emulator: EmulatorServer,
    subtests: pytest.Subtests,
) -> None:
    shop(fluent_client, fluent_emulator)

    for name, customer, field in MALFORMED_CUSTOMERS:
        with subtests.test(name, field=field):
            with pytest.raises(FluentInputError) as refused:
                fluent_client.create_order_and_customer(
                    "OC-1", "HD", customer, [GOOD_ITEM]
                )
            assert refused.value.field == field
            assert order_count(fluent_client) == 0
            assert fluent_emulator.emulator.customer_count() == 1


@pytest.mark.anyio
async def test_create_order_and_customer_malformed_customer_async(
    async_fluent_client: AsyncFluentClient,
    fluent_emulator: EmulatorServer,
    subtests: pytest.Subtests,
) -> None:
    await ashop(async_fluent_client, fluent_emulator)

    for name, customer, field in MALFORMED_CUSTOMERS:
        with subtests.test(name, field=field):
            with pytest.raises(FluentInputError) as refused:
                await async_fluent_client.create_order_and_customer(
                    "OC-1", "HD", customer, [GOOD_ITEM]
                )
            assert refused.value.field == field
            assert await aorder_count(async_fluent_client) == 0
            assert fluent_emulator.emulator.customer_count() == 1


# -- order_by_ref / order_by_id ------------------------------------------------


def test_unknown_orders_are_none(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    s = shop(fluent_client, fluent_emulator)
    made = fluent_client.create_order("O-1", "HD", s.customer_id, [GOOD_ITEM])
    assert made.create_order is not None

    assert fluent_client.order_by_ref("NOWHERE") is None
    assert fluent_client.order_by_id("999999") is None
    assert fluent_client.order_by_id("not-a-number") is None
    assert fluent_client.order_by_ref("O-1") is not None


@pytest.mark.anyio
async def test_unknown_orders_are_none_async(
    async_fluent_client: AsyncFluentClient, fluent_emulator: EmulatorServer
) -> None:
    await ashop(async_fluent_client, fluent_emulator)

    assert await async_fluent_client.order_by_ref("NOWHERE") is None
    assert await async_fluent_client.order_by_id("999999") is None


LONG_ORDER = 250


def check_long_order(order: OrderFields | None) -> None:
    """All 250 lines, in order, though OrderFields asks for the first 100."""
    assert order is not None
    lines = nodes(order.items)
    assert [i.ref for i in lines] == [f"L{n:03d}" for n in range(LONG_ORDER)]
    assert len({i.id for i in lines}) == LONG_ORDER
    assert all(i.product.ref == PRODUCT_REF and i.quantity == 1 for i in lines)
    assert order.items is not None and order.items.page_info is not None
    assert order.items.page_info.has_next_page is False


def test_an_order_of_250_items_comes_back_whole(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    s = shop(fluent_client, fluent_emulator)

    created = fluent_client.create_order(
        "LONG-1", "HD", s.customer_id, data.items(LONG_ORDER)
    ).create_order

    check_long_order(created)
    assert created is not None
    check_long_order(fluent_client.order_by_ref("LONG-1"))
    check_long_order(fluent_client.order_by_id(created.id))
    assert fluent_client.order_by_ref("LONG-1") == created


@pytest.mark.anyio
async def test_an_order_of_250_items_comes_back_whole_async(
    async_fluent_client: AsyncFluentClient, fluent_emulator: EmulatorServer
) -> None:
    s = await ashop(async_fluent_client, fluent_emulator)

    created = (
        await async_fluent_client.create_order(
            "LONG-1", "HD", s.customer_id, data.items(LONG_ORDER)
        )
    ).create_order

    check_long_order(created)
    assert created is not None
    check_long_order(await async_fluent_client.order_by_ref("LONG-1"))
    check_long_order(await async_fluent_client.order_by_id(created.id))


FULFILMENT_COUNT = 25
"""More than the 20 fulfilments OrderFields asks for."""
BIG_FULFILMENT = 150
"""Items in the first and the last fulfilment: more than the first 100."""


def many_fulfilments(order: OrderFields) -> data.Batch:
    """F00 and F24 of 150 items each, F01..F23 of one item each."""
    line_ids = [i.id for i in nodes(order.items)]
    inputs = []
    for n in range(FULFILMENT_COUNT):
        big = n in (0, FULFILMENT_COUNT - 1)
        lines = line_ids if big else [line_ids[n]]
        inputs.append(data.fulfilment_input(order.id, f"F{n:02d}", lines))
    return data.fulfilment_batch(inputs)


def check_fulfilment(found: FulfilmentFields | None, ref: str, size: int) -> None:
    assert found is not None
    assert (found.ref, found.status, found.type_) == (ref, "CREATED", "HD_PFS")
    assert found.order is not None and found.order.ref == "MANY-1"
    lines = nodes(found.items)
    assert [i.ref for i in lines] == [f"{ref}-I{n:03d}" for n in range(size)]
    assert [i.order_item.ref for i in lines] == (
        [f"L{n:03d}" for n in range(size)] if size > 1 else [f"L{int(ref[1:]):03d}"]
    )
    assert all(i.requested_quantity == 1 for i in lines)
    assert found.items is not None and found.items.page_info is not None
    assert found.items.page_info.has_next_page is False


def check_many_fulfilments(order: OrderFields | None) -> list[FulfilmentFields]:
    assert order is not None
    found = nodes(order.fulfilments)
    assert refs(found) == [f"F{n:02d}" for n in range(FULFILMENT_COUNT)]
    for n, fulfilment in enumerate(found):
        big = n in (0, FULFILMENT_COUNT - 1)
        check_fulfilment(fulfilment, f"F{n:02d}", BIG_FULFILMENT if big else 1)
    assert len(nodes(order.items)) == BIG_FULFILMENT
    return found


def test_an_order_with_25_fulfilments_comes_back_whole(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    """All 25 fulfilments, each with all its items (F00 in the first page of 20,
    F24 after it); fulfilment_by_id and iter_fulfilments read them whole too."""
    s = shop(fluent_client, fluent_emulator)
    order = fluent_client.create_order(
        "MANY-1", "HD", s.customer_id, data.items(BIG_FULFILMENT)
    ).create_order
    assert order is not None
    run(fluent_client, many_fulfilments(order))

    by_ref = check_many_fulfilments(fluent_client.order_by_ref("MANY-1"))
    check_many_fulfilments(fluent_client.order_by_id(order.id))

    last = by_ref[-1]
    check_fulfilment(fluent_client.fulfilment_by_id(last.id), "F24", BIG_FULFILMENT)
    check_fulfilment(
        fluent_client.fulfilment_by_id(by_ref[0].id), "F00", BIG_FULFILMENT
    )
    [listed] = fluent_client.iter_fulfilments(ref="F24")
    check_fulfilment(listed, "F24", BIG_FULFILMENT)
    of_order = list(fluent_client.iter_fulfilments(order_id=order.id, page_size=7))
    assert [f.model_dump() for f in of_order] == [f.model_dump() for f in by_ref]


@pytest.mark.anyio
async def test_an_order_with_25_fulfilments_comes_back_whole_async(
    async_fluent_client: AsyncFluentClient, fluent_emulator: EmulatorServer
) -> None:
    s = await ashop(async_fluent_client, fluent_emulator)
    order = (
        await async_fluent_client.create_order(
            "MANY-1", "HD", s.customer_id, data.items(BIG_FULFILMENT)
        )
    ).create_order
    assert order is not None
    await arun(async_fluent_client, many_fulfilments(order))

    by_ref = check_many_fulfilments(await async_fluent_client.order_by_ref("MANY-1"))
    check_many_fulfilments(await async_fluent_client.order_by_id(order.id))

    last = by_ref[-1]
    check_fulfilment(
        await async_fluent_client.fulfilment_by_id(last.id), "F24", BIG_FULFILMENT
    )
    [listed] = await alist(async_fluent_client.iter_fulfilments(ref="F24"))
    check_fulfilment(listed, "F24", BIG_FULFILMENT)
    of_order = await alist(
        async_fluent_client.iter_fulfilments(order_id=order.id, page_size=7)
    )
    assert [f.model_dump() for f in of_order] == [f.model_dump() for f in by_ref]


# -- iter_orders ---------------------------------------------------------------

BOB = "bob@example.com"


def bob_input(s: Shop) -> data.Batch:
    return data.batch(
        [
            (
                "createCustomer",
                "CreateCustomerInput",
                data.customer_input(s.retailer_id, BOB, "Bob"),
            )
        ]
    )


def check_order_filters(listed: Any, s: Shop, bob: dict[str, Any]) -> None:
    """``listed(**filters)`` lists the refs of iter_orders(**filters): O1 HD
    (Ada), O2 CC BOOKED (Ada), O3 HD (Bob)."""
    assert listed() == ["O1", "O2", "O3"]
    assert listed(status="CREATED") == ["O1", "O3"]
    assert listed(status=["BOOKED", "CREATED"]) == ["O1", "O2", "O3"]
    assert listed(status="SHIPPED") == []
    assert listed(type="CC") == ["O2"]
    assert listed(type=["HD", "CC"]) == ["O1", "O2", "O3"]
    assert listed(ref="O3") == ["O3"]
    assert listed(ref=["O1", "O3", "NOWHERE"]) == ["O1", "O3"]
    assert listed(ref=[]) == ["O1", "O2", "O3"]
    assert listed(customer_ref=bob["ref"]) == ["O3"]
    assert listed(customer_ref=s.customer_ref) == ["O1", "O2"]
    assert listed(customer_ref="nobody@example.com") == []
    assert listed(customer_ref=s.customer_ref, status="CREATED", type="HD") == ["O1"]
    assert listed(type="HD", ref="O2") == []


def check_summary(order: OrderSummaryFields, s: Shop, bob: dict[str, Any]) -> None:
    """O3 as iter_orders yields it: a summary, with its customer."""
    assert (order.ref, order.type_, order.status) == ("O3", "HD", "CREATED")
    assert (order.workflow_ref, order.workflow_version) == ("ORDER::HD", 1)
    assert order.customer is not None
    assert (order.customer.id, order.customer.primary_email) == (bob["id"], BOB)
    assert order.retailer is not None and order.retailer.id == s.retailer_id
    assert not hasattr(order, "items")


def test_iter_orders_filters(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    s = shop(fluent_client, fluent_emulator)
    [bob] = run(fluent_client, bob_input(s))
    made = run(fluent_client, data.order_batch(s, ["O1"]))
    made += run(fluent_client, data.order_batch(s, ["O2"], type="CC"))
    made += run(fluent_client, data.order_batch(s, ["O3"], customer_id=bob["id"]))
    ids = {m["ref"]: m["id"] for m in made}
    run(fluent_client, data.set_order_status(ids["O2"], "BOOKED"))

    def listed(**filters: Any) -> list[str]:
        return refs(list(fluent_client.iter_orders(**filters)))

    check_order_filters(listed, s, bob)
    [o3] = fluent_client.iter_orders(ref="O3")
    check_summary(o3, s, bob)
    [o2] = fluent_client.iter_orders(status="BOOKED")
    assert (o2.id, o2.ref, o2.type_) == (ids["O2"], "O2", "CC")


@pytest.mark.anyio
async def test_iter_orders_filters_async(
    async_fluent_client: AsyncFluentClient, fluent_emulator: EmulatorServer
) -> None:
    client = async_fluent_client
    s = await ashop(client, fluent_emulator)
    [bob] = await arun(client, bob_input(s))
    made = await arun(client, data.order_batch(s, ["O1"]))
    made += await arun(client, data.order_batch(s, ["O2"], type="CC"))
    made += await arun(client, data.order_batch(s, ["O3"], customer_id=bob["id"]))
    ids = {m["ref"]: m["id"] for m in made}
    await arun(client, data.set_order_status(ids["O2"], "BOOKED"))

    async def listed(**filters: Any) -> list[str]:
        return refs(await alist(client.iter_orders(**filters)))

    assert await listed() == ["O1", "O2", "O3"]
    assert await listed(status="CREATED") == ["O1", "O3"]
    assert await listed(status=["BOOKED", "CREATED"]) == ["O1", "O2", "O3"]
    assert await listed(type="CC") == ["O2"]
    assert await listed(ref="O3") == ["O3"]
    assert await listed(ref=["O1", "O3"]) == ["O1", "O3"]
    assert await listed(customer_ref=bob["ref"]) == ["O3"]
    assert await listed(customer_ref=s.customer_ref, status="BOOKED") == ["O2"]
    assert await listed(customer_ref="nobody@example.com") == []
    [o3] = await alist(client.iter_orders(ref="O3"))
    check_summary(o3, s, bob)


def test_iter_orders_created_and_updated_windows(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    """created_on and updated_on are inclusive windows, open at either end."""
    s = shop(fluent_client, fluent_emulator)
    made: list[OrderFields] = []
    for ref in ("O1", "O2", "O3"):
        order = fluent_client.create_order(ref, "HD", s.customer_id, [GOOD_ITEM])
        assert order.create_order is not None
        made.append(order.create_order)
        wait_past(stamp(made[-1].created_on))
    c1, c2, c3 = (stamp(o.created_on) for o in made)
    assert c1 < c2 < c3
    touched = fluent_client.update_order_attributes(
        made[0].id, [{"name": "touched", "type": "BOOLEAN", "value": True}]
    ).update_order
    assert touched is not None and stamp(touched.updated_on) > c3

    def listed(**filters: Any) -> list[str]:
        return refs(list(fluent_client.iter_orders(**filters)))

    assert listed(created_on=DateRange(from_=c2, to=c2)) == ["O2"]
    assert listed(created_on=DateRange(from_=c2)) == ["O2", "O3"]
    assert listed(created_on=DateRange(to=c2)) == ["O1", "O2"]
    assert listed(created_on=DateRange(from_=c3 + timedelta(milliseconds=1))) == []
    assert listed(updated_on=DateRange(from_=touched.updated_on)) == ["O1"]
    assert listed(updated_on=DateRange(to=c3)) == ["O2", "O3"]
    assert listed(created_on=DateRange(to=c1), updated_on=DateRange(to=c3)) == []


def test_iter_orders_updated_since(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    """The poll for orders updated since T: orders last updated before T are
    left out; an order touched after T is in, whatever T's time zone."""
    s = shop(fluent_client, fluent_emulator)
    made = run(fluent_client, data.order_batch(s, ["O1", "O2", "O3"]))
    before = list(fluent_client.iter_orders())
    since = max(stamp(o.updated_on) for o in before) + timedelta(milliseconds=1)
    wait_past(since)
    assert list(fluent_client.iter_orders(updated_since=since)) == []

    fluent_client.update_order_attributes(
        made[1]["id"], [{"name": "touched", "type": "BOOLEAN", "value": True}]
    )

    [polled] = fluent_client.iter_orders(updated_since=since)
    assert (polled.ref, polled.status) == ("O2", "CREATED")
    assert attrs(polled) == [("touched", "BOOLEAN", True)]
    sydney = timezone(timedelta(hours=10))
    in_sydney = since.astimezone(sydney)
    assert refs(list(fluent_client.iter_orders(updated_since=in_sydney))) == ["O2"]
    assert refs(list(fluent_client.iter_orders(updated_since=polled.updated_on))) == [
        "O2"
    ]
    earliest = min(stamp(o.created_on) for o in before)
    assert refs(list(fluent_client.iter_orders(updated_since=earliest))) == [
        "O1",
        "O2",
        "O3",
    ]
    assert refs(
        list(fluent_client.iter_orders(updated_since=since, status="CREATED"))
    ) == ["O2"]
    assert list(fluent_client.iter_orders(updated_since=since, type="CC")) == []


@pytest.mark.anyio
async def test_iter_orders_updated_since_async(
    async_fluent_client: AsyncFluentClient, fluent_emulator: EmulatorServer
) -> None:
    client = async_fluent_client
    s = await ashop(client, fluent_emulator)
    made = await arun(client, data.order_batch(s, ["O1", "O2", "O3"]))
    before = await alist(client.iter_orders())
    since = max(stamp(o.updated_on) for o in before) + timedelta(milliseconds=1)
    await await_past(since)
    assert await alist(client.iter_orders(updated_since=since)) == []

    await client.update_order_attributes(
        made[2]["id"], [AttributeInput(name="touched", type_="BOOLEAN", value=True)]
    )

    [polled] = await alist(client.iter_orders(updated_since=since))
    assert polled.ref == "O3"
    assert attrs(polled) == [("touched", "BOOLEAN", True)]
    earliest = min(stamp(o.created_on) for o in before)
    assert refs(await alist(client.iter_orders(updated_since=earliest))) == [
        "O1",
        "O2",
        "O3",
    ]
    window = DateRange(from_=before[0].created_on, to=since)
    assert refs(await alist(client.iter_orders(updated_on=window))) == ["O1", "O2"]
    assert refs(await alist(client.iter_orders(created_on=window))) == [
        "O1",
        "O2",
        "O3",
    ]


NAIVE = datetime(2024, 1, 1, 12, 0)
AWARE = datetime(2024, 1, 1, 12, 0, tzinfo=UTC)
BAD_POLLS: list[tuple[str, dict[str, Any]]] = [
    ("naive", {"updated_since": NAIVE}),
    ("date-string", {"updated_since": "2024-01-01T12:00:00Z"}),
    (
        "with-updated-on",
        {"updated_since": AWARE, "updated_on": DateRange(from_=AWARE)},
    ),
]


@pytest.mark.parametrize("filters", [pytest.param(f, id=name) for name, f in BAD_POLLS])
def test_iter_orders_bad_updated_since(
    fluent_client: FluentClient, filters: dict[str, Any]
) -> None:
    with pytest.raises(FluentInputError) as refused:
        list(fluent_client.iter_orders(**filters))
    assert refused.value.field == "updated_since"


@pytest.mark.anyio
@pytest.mark.parametrize("filters", [pytest.param(f, id=name) for name, f in BAD_POLLS])
async def test_iter_orders_bad_updated_since_async(
    async_fluent_client: AsyncFluentClient, filters: dict[str, Any]
) -> None:
    with pytest.raises(FluentInputError) as refused:
        await alist(async_fluent_client.iter_orders(**filters))
    assert refused.value.field == "updated_since"


SEVEN = [f"P{n}" for n in range(1, 8)]


def test_iter_orders_paging(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    """Every page size yields the 7 orders exactly once, in the same order;
    max_items stops early."""
    s = shop(fluent_client, fluent_emulator)
    made = run(fluent_client, data.order_batch(s, SEVEN))

    everything = list(fluent_client.iter_orders())
    assert refs(everything) == SEVEN
    assert [o.id for o in everything] == [m["id"] for m in made]
    for size in PAGE_SIZES:
        assert list(fluent_client.iter_orders(page_size=size)) == everything, size
    assert list(fluent_client.iter_orders(page_size=2, max_items=3)) == everything[:3]
    assert list(fluent_client.iter_orders(page_size=5, max_items=5)) == everything[:5]
    assert list(fluent_client.iter_orders(max_items=0)) == []
    assert refs(list(fluent_client.iter_orders(page_size=1, max_items=100))) == SEVEN
    assert refs(
        list(fluent_client.iter_orders(ref=["P2", "P5", "P7"], page_size=1))
    ) == ["P2", "P5", "P7"]
    for bad in (0, 5001):
        with pytest.raises(FluentInputError):
            list(fluent_client.iter_orders(page_size=bad))


@pytest.mark.anyio
async def test_iter_orders_paging_async(
    async_fluent_client: AsyncFluentClient, fluent_emulator: EmulatorServer
) -> None:
    client = async_fluent_client
    s = await ashop(client, fluent_emulator)
    await arun(client, data.order_batch(s, SEVEN))

    everything = await alist(client.iter_orders())
    assert refs(everything) == SEVEN
    for size in PAGE_SIZES:
        assert await alist(client.iter_orders(page_size=size)) == everything, size
    assert await alist(client.iter_orders(page_size=2, max_items=3)) == everything[:3]
    assert await alist(client.iter_orders(max_items=0)) == []


# -- Fulfilments ---------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Fulfilments:
    """O1 (3 lines): FA1 and FA2 (PICKED) from LOC-A, FB1 (CC_PFS, EXPRESS)
    from LOC-B; O2 (1 line): FB2 from LOC-B."""

    order_ids: dict[str, str]
    ids: dict[str, str]
    line_ids: dict[str, list[str]]
    address_id: str


FULFILLED_ORDERS = (("O1", 3), ("O2", 1))
"""The orders of Fulfilments, and how many lines each has."""


def orders_made(orders: dict[str, OrderFields]) -> Fulfilments:
    """Fulfilments before its fulfilments are made (no ids yet)."""
    lines = {ref: [i.id for i in nodes(o.items)] for ref, o in orders.items()}
    choice = orders["O1"].fulfilment_choice
    assert choice is not None and choice.delivery_address is not None
    return Fulfilments(
        order_ids={ref: o.id for ref, o in orders.items()},
        ids={},
        line_ids=lines,
        address_id=choice.delivery_address.id,
    )


def fulfilment_inputs(f: Fulfilments, addresses: dict[str, str]) -> data.Batch:
    o1, o2 = f.order_ids["O1"], f.order_ids["O2"]
    l1, l2 = f.line_ids["O1"], f.line_ids["O2"]
    to = f.address_id
    return data.fulfilment_batch(
        [
            data.fulfilment_input(
                o1, "FA1", l1[:1], from_address_id=addresses["LOC-A"], to_address_id=to
            ),
            data.fulfilment_input(
                o1, "FA2", l1[1:2], from_address_id=addresses["LOC-A"], to_address_id=to
            ),
            data.fulfilment_input(
                o1,
                "FB1",
                l1[2:],
                from_address_id=addresses["LOC-B"],
                type="CC_PFS",
                delivery_type="EXPRESS",
            ),
            data.fulfilment_input(o2, "FB2", l2, from_address_id=addresses["LOC-B"]),
        ]
    )


LOCATIONS_AB = [("LOC-A", "Store A", "STORE"), ("LOC-B", "Store B", "STORE")]


def make_fulfilments(client: FluentClient, server: EmulatorServer) -> Fulfilments:
    s = shop(client, server)
    made = run(client, data.location_batch(s.retailer_id, LOCATIONS_AB))
    addresses = {m["ref"]: m["primaryAddress"]["id"] for m in made}
    orders: dict[str, OrderFields] = {}
    for ref, count in FULFILLED_ORDERS:
        order = client.create_order(
            ref,
            "HD",
            s.customer_id,
            data.items(count),
            fulfilment_choice=data.home_delivery(f"ADDR-{ref}"),
        ).create_order
        assert order is not None
        orders[ref] = order
    made_orders = orders_made(orders)
    batch = fulfilment_inputs(made_orders, addresses)
    ids = {m["ref"]: m["id"] for m in run(client, batch)}
    run(client, data.set_fulfilment_status(ids["FA2"], "PICKED"))
    return dataclasses.replace(made_orders, ids=ids)


async def amake_fulfilments(
    client: AsyncFluentClient, server: EmulatorServer
) -> Fulfilments:
    s = await ashop(client, server)
    made = await arun(client, data.location_batch(s.retailer_id, LOCATIONS_AB))
    addresses = {m["ref"]: m["primaryAddress"]["id"] for m in made}
    orders: dict[str, OrderFields] = {}
    for ref, count in FULFILLED_ORDERS:
        order = (
            await client.create_order(
                ref,
                "HD",
                s.customer_id,
                data.items(count),
                fulfilment_choice=data.home_delivery(f"ADDR-{ref}"),
            )
        ).create_order
        assert order is not None
        orders[ref] = order
    made_orders = orders_made(orders)
    batch = fulfilment_inputs(made_orders, addresses)
    ids = {m["ref"]: m["id"] for m in await arun(client, batch)}
    await arun(client, data.set_fulfilment_status(ids["FA2"], "PICKED"))
    return dataclasses.replace(made_orders, ids=ids)


def check_fa2(found: FulfilmentFields | None, f: Fulfilments) -> None:
    """FA2, read whole."""
    assert found is not None
    assert (found.id, found.ref, found.status) == (f.ids["FA2"], "FA2", "PICKED")
    assert (found.type_, found.delivery_type) == ("HD_PFS", "STANDARD")
    assert (found.workflow_ref, found.workflow_version) == ("ORDER::HD", 1)
    assert found.order is not None
    assert (found.order.id, found.order.ref) == (f.order_ids["O1"], "O1")
    assert found.from_location is not None and found.from_location.ref == "LOC-A"
    address = found.to_address
    assert address is not None
    assert (address.typename__, address.id, address.ref, address.city) == (
        "CustomerAddress",
        f.address_id,
        "ADDR-O1",
        "Sydney",
    )
    [line] = nodes(found.items)
    assert (line.ref, line.status, line.requested_quantity) == (
        "FA2-I000",
        "CREATED",
        1,
    )
    assert (line.filled_quantity, line.rejected_quantity) == (0, 0)
    assert line.order_item is not None
    assert (line.order_item.id, line.order_item.ref) == (f.line_ids["O1"][1], "L001")
    assert stamp(found.updated_on) >= stamp(found.created_on)


def check_fulfilment_filters(listed: Any, f: Fulfilments) -> None:
    """``listed(**filters)``: refs of iter_fulfilments(**filters)."""
    o1, o2 = f.order_ids["O1"], f.order_ids["O2"]
    assert listed() == ["FA1", "FA2", "FB1", "FB2"]
    assert listed(order_id=o1) == ["FA1", "FA2", "FB1"]
    assert listed(order_id=o2) == ["FB2"]
    assert listed(order_id=o1, status="CREATED") == ["FA1", "FB1"]
    assert listed(order_id=o1, from_location_ref="LOC-B") == ["FB1"]
    assert listed(order_id="999999") == []
    assert listed(status="PICKED") == ["FA2"]
    assert listed(status=["PICKED", "CREATED"]) == ["FA1", "FA2", "FB1", "FB2"]
    assert listed(from_location_ref="LOC-A") == ["FA1", "FA2"]
    assert listed(from_location_ref="LOC-B") == ["FB1", "FB2"]
    assert listed(from_location_ref=SEEDED_LOCATION_REF) == []
    assert listed(from_location_ref="NOWHERE") == []
    assert listed(ref="FB2") == ["FB2"]
    assert listed(ref=["FA1", "FB1"]) == ["FA1", "FB1"]
    assert listed(delivery_type="EXPRESS") == ["FB1"]
    assert listed(type=["CC_PFS"]) == ["FB1"]
    assert listed(type="HD_PFS", from_location_ref="LOC-B") == ["FB2"]


def test_iter_fulfilments_filters_and_fulfilment_by_id(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    f = make_fulfilments(fluent_client, fluent_emulator)

    def listed(**filters: Any) -> list[str]:
        return refs(list(fluent_client.iter_fulfilments(**filters)))

    check_fulfilment_filters(listed, f)
    check_fa2(fluent_client.fulfilment_by_id(f.ids["FA2"]), f)
    [listed_fa2] = fluent_client.iter_fulfilments(status="PICKED")
    check_fa2(listed_fa2, f)
    [of_order] = fluent_client.iter_fulfilments(
        order_id=f.order_ids["O1"], status="PICKED"
    )
    check_fa2(of_order, f)
    assert fluent_client.fulfilment_by_id("999999") is None
    assert fluent_client.fulfilment_by_id("nope") is None


@pytest.mark.anyio
async def test_iter_fulfilments_filters_and_fulfilment_by_id_async(
    async_fluent_client: AsyncFluentClient, fluent_emulator: EmulatorServer
) -> None:
    client = async_fluent_client
    f = await amake_fulfilments(client, fluent_emulator)
    o1, o2 = f.order_ids["O1"], f.order_ids["O2"]

    async def listed(**filters: Any) -> list[str]:
        return refs(await alist(client.iter_fulfilments(**filters)))

    assert await listed() == ["FA1", "FA2", "FB1", "FB2"]
    assert await listed(order_id=o1) == ["FA1", "FA2", "FB1"]
    assert await listed(order_id=o2) == ["FB2"]
    assert await listed(order_id=o1, status="CREATED") == ["FA1", "FB1"]
    assert await listed(status="PICKED") == ["FA2"]
    assert await listed(from_location_ref="LOC-A") == ["FA1", "FA2"]
    assert await listed(from_location_ref="LOC-B") == ["FB1", "FB2"]
    assert await listed(ref=["FA1", "FB1"]) == ["FA1", "FB1"]
    assert await listed(delivery_type="EXPRESS", type="CC_PFS") == ["FB1"]
    check_fa2(await client.fulfilment_by_id(f.ids["FA2"]), f)
    [listed_fa2] = await alist(client.iter_fulfilments(order_id=o1, status="PICKED"))
    check_fa2(listed_fa2, f)
    assert await client.fulfilment_by_id("999999") is None


def test_iter_fulfilments_paging(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    f = make_fulfilments(fluent_client, fluent_emulator)
    o1 = f.order_ids["O1"]

    everything = list(fluent_client.iter_fulfilments())
    of_order = list(fluent_client.iter_fulfilments(order_id=o1))
    assert refs(everything) == ["FA1", "FA2", "FB1", "FB2"]
    assert [x.id for x in everything] == [f.ids[r] for r in refs(everything)]
    for size in PAGE_SIZES:
        assert list(fluent_client.iter_fulfilments(page_size=size)) == everything
        paged = list(fluent_client.iter_fulfilments(order_id=o1, page_size=size))
        assert paged == of_order
    first_three = list(fluent_client.iter_fulfilments(max_items=3, page_size=2))
    assert first_three == everything[:3]


@pytest.mark.anyio
async def test_iter_fulfilments_paging_async(
    async_fluent_client: AsyncFluentClient, fluent_emulator: EmulatorServer
) -> None:
    client = async_fluent_client
    f = await amake_fulfilments(client, fluent_emulator)
    o1 = f.order_ids["O1"]

    everything = await alist(client.iter_fulfilments())
    of_order = await alist(client.iter_fulfilments(order_id=o1))
    assert refs(everything) == ["FA1", "FA2", "FB1", "FB2"]
    assert refs(of_order) == ["FA1", "FA2", "FB1"]
    for size in PAGE_SIZES:
        assert await alist(client.iter_fulfilments(page_size=size)) == everything
        paged = await alist(client.iter_fulfilments(order_id=o1, page_size=size))
        assert paged == of_order


def test_iter_fulfilments_ref_with_order_id_is_refused(
    fluent_client: FluentClient,
) -> None:
    with pytest.raises(FluentInputError) as refused:
        list(fluent_client.iter_fulfilments(order_id="1", ref="F1"))
    assert refused.value.field == "ref"


@pytest.mark.anyio
async def test_iter_fulfilments_ref_with_order_id_is_refused_async(
    async_fluent_client: AsyncFluentClient,
) -> None:
    with pytest.raises(FluentInputError) as refused:
        await alist(async_fluent_client.iter_fulfilments(order_id="1", ref=["F1"]))
    assert refused.value.field == "ref"


# -- Locations -----------------------------------------------------------------

LOCATION_SPECS = [
    ("S1", "Sydney", "STORE"),
    ("S2", "Melbourne", "STORE"),
    ("W2", "Perth DC", "WAREHOUSE"),
]
ALL_LOCATIONS = [SEEDED_LOCATION_REF, "S1", "S2", "W2"]


def check_seeded_location(found: LocationFields | None) -> None:
    assert found is not None
    assert (found.id, found.ref, found.type_, found.status) == (
        "1",
        SEEDED_LOCATION_REF,
        "WAREHOUSE",
        "ACTIVE",
    )
    assert found.name == "Emulator Warehouse"
    assert found.retailer is not None
    assert (found.retailer.id, found.retailer.ref) == ("1", SEEDED_RETAILER_REF)
    assert found.attributes == []
    assert found.primary_address is None


def check_s1(found: LocationFields | None, retailer_id: str) -> None:
    assert found is not None
    assert (found.ref, found.type_, found.status, found.name) == (
        "S1",
        "STORE",
        "ACTIVE",
        "Sydney",
    )
    assert found.support_phone_number == "+61 2 9999 0000"
    assert found.retailer is not None and found.retailer.id == retailer_id
    address = found.primary_address
    assert address is not None
    assert (address.typename__, address.ref, address.name) == (
        "StoreAddress",
        "S1-ADDR",
        "Sydney",
    )
    assert (address.street, address.city, address.state, address.postcode) == (
        "2 Pitt St",
        "Sydney",
        "NSW",
        "2000",
    )
    assert (address.latitude, address.longitude, address.time_zone) == (
        -33.87,
        151.21,
        "Australia/Sydney",
    )


def check_location_filters(listed: Any) -> None:
    assert listed() == ALL_LOCATIONS
    assert listed(type="STORE") == ["S1", "S2"]
    assert listed(type=["WAREHOUSE"]) == [SEEDED_LOCATION_REF, "W2"]
    assert listed(status="INACTIVE") == ["S2"]
    assert listed(status="ACTIVE") == [SEEDED_LOCATION_REF, "S1", "W2"]
    assert listed(name="Perth DC") == ["W2"]
    assert listed(name=["Sydney", "Melbourne"]) == ["S1", "S2"]
    assert listed(name="Perth") == []
    assert listed(ref="S2") == ["S2"]
    assert listed(ref=["S1", "W2", "NOWHERE"]) == ["S1", "W2"]
    assert listed(type="STORE", status="ACTIVE") == ["S1"]
    for size in PAGE_SIZES:
        assert listed(page_size=size) == ALL_LOCATIONS
    assert listed(page_size=1, max_items=2) == [SEEDED_LOCATION_REF, "S1"]


def test_locations(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    retailer_id = fluent_emulator.emulator.retailer_id
    made = run(fluent_client, data.location_batch(retailer_id, LOCATION_SPECS))
    run(fluent_client, data.set_location_status(made[1]["id"], "INACTIVE"))

    check_seeded_location(fluent_client.location_by_ref(SEEDED_LOCATION_REF))
    check_s1(fluent_client.location_by_ref("S1"), retailer_id)
    assert fluent_client.location_by_ref("NOWHERE") is None

    def listed(**filters: Any) -> list[str]:
        return refs(list(fluent_client.iter_locations(**filters)))

    check_location_filters(listed)
    whole = list(fluent_client.iter_locations(page_size=1))
    assert whole == list(fluent_client.iter_locations(page_size=5000))
    assert whole[1] == fluent_client.location_by_ref("S1")


@pytest.mark.anyio
async def test_locations_async(
    async_fluent_client: AsyncFluentClient, fluent_emulator: EmulatorServer
) -> None:
    client = async_fluent_client
    retailer_id = fluent_emulator.emulator.retailer_id
    made = await arun(client, data.location_batch(retailer_id, LOCATION_SPECS))
    await arun(client, data.set_location_status(made[1]["id"], "INACTIVE"))

    check_seeded_location(await client.location_by_ref(SEEDED_LOCATION_REF))
    check_s1(await client.location_by_ref("S1"), retailer_id)
    assert await client.location_by_ref("NOWHERE") is None

    async def listed(**filters: Any) -> list[str]:
        return refs(await alist(client.iter_locations(**filters)))

    assert await listed() == ALL_LOCATIONS
    assert await listed(type="STORE") == ["S1", "S2"]
    assert await listed(status="INACTIVE") == ["S2"]
    assert await listed(name="Perth DC") == ["W2"]
    assert await listed(ref=["S1", "W2"]) == ["S1", "W2"]
    for size in PAGE_SIZES:
        assert await listed(page_size=size) == ALL_LOCATIONS
    assert await listed(page_size=1, max_items=2) == [SEEDED_LOCATION_REF, "S1"]


# -- Inventory -----------------------------------------------------------------

POSITION_SPECS = [
    ("P1", PRODUCT_REF, SEEDED_LOCATION_REF, "LAST_ON_HAND", 10),
    ("P2", PRODUCT_REF, "S1", "LAST_ON_HAND", 4),
    ("P3", OTHER_PRODUCT_REF, "S1", "LAST_ON_HAND", 0),
    ("P4", OTHER_PRODUCT_REF, SEEDED_LOCATION_REF, "VIRTUAL", 7),
]
ALL_POSITIONS = ["P1", "P2", "P3", "P4"]


def position_batches(s: Shop) -> tuple[data.Batch, data.Batch, data.Batch]:
    catalogue = s.inventory_catalogue_ref
    return (
        data.location_batch(s.retailer_id, [("S1", "Sydney", "STORE")]),
        data.position_batch(catalogue, POSITION_SPECS),
        data.set_position_status(catalogue, "P3", "INACTIVE"),
    )


def check_p1(found: InventoryPositionFields, s: Shop) -> None:
    assert (found.ref, found.type_, found.status) == ("P1", "LAST_ON_HAND", "CREATED")
    assert (found.product_ref, found.location_ref, found.on_hand) == (
        PRODUCT_REF,
        SEEDED_LOCATION_REF,
        10,
    )
    assert (found.workflow_ref, found.workflow_version) == (
        "INVENTORY_CATALOGUE::DEFAULT",
        1,
    )
    assert found.catalogue is not None
    assert found.catalogue.ref == s.inventory_catalogue_ref
    assert found.attributes == []


def check_position_filters(listed: Any, s: Shop) -> None:
    catalogue = s.inventory_catalogue_ref
    assert listed() == ALL_POSITIONS
    assert listed(catalogue_ref=catalogue) == ALL_POSITIONS
    assert listed(catalogue_ref="DEFAULT:999") == []
    assert listed(product_ref=PRODUCT_REF) == ["P1", "P2"]
    assert listed(product_ref=[PRODUCT_REF, OTHER_PRODUCT_REF]) == ALL_POSITIONS
    assert listed(product_ref="SKU-NONE") == []
    assert listed(location_ref="S1") == ["P2", "P3"]
    assert listed(location_ref=["S1", SEEDED_LOCATION_REF]) == ALL_POSITIONS
    assert listed(status="INACTIVE") == ["P3"]
    assert listed(status="CREATED") == ["P1", "P2", "P4"]
    assert listed(type="VIRTUAL") == ["P4"]
    assert listed(
        catalogue_ref=catalogue, product_ref=OTHER_PRODUCT_REF, location_ref="S1"
    ) == ["P3"]
    for size in PAGE_SIZES:
        assert listed(catalogue_ref=catalogue, page_size=size) == ALL_POSITIONS
    assert listed(page_size=1, max_items=3) == ["P1", "P2", "P3"]


def test_iter_inventory_positions(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    s = shop(fluent_client, fluent_emulator)
    for calls in position_batches(s):
        run(fluent_client, calls)

    def listed(**filters: Any) -> list[str]:
        return refs(list(fluent_client.iter_inventory_positions(**filters)))

    check_position_filters(listed, s)
    first, *_ = fluent_client.iter_inventory_positions(product_ref=PRODUCT_REF)
    check_p1(first, s)
    paged = list(fluent_client.iter_inventory_positions(page_size=1))
    assert paged == list(fluent_client.iter_inventory_positions(page_size=5000))


@pytest.mark.anyio
async def test_iter_inventory_positions_async(
    async_fluent_client: AsyncFluentClient, fluent_emulator: EmulatorServer
) -> None:
    client = async_fluent_client
    s = await ashop(client, fluent_emulator)
    for calls in position_batches(s):
        await arun(client, calls)
    catalogue = s.inventory_catalogue_ref

    async def listed(**filters: Any) -> list[str]:
        return refs(await alist(client.iter_inventory_positions(**filters)))

    assert await listed(catalogue_ref=catalogue) == ALL_POSITIONS
    assert await listed(catalogue_ref="DEFAULT:999") == []
    assert await listed(product_ref=PRODUCT_REF) == ["P1", "P2"]
    assert await listed(location_ref="S1") == ["P2", "P3"]
    assert await listed(status="INACTIVE") == ["P3"]
    assert await listed(type=["VIRTUAL"]) == ["P4"]
    for size in PAGE_SIZES:
        assert await listed(catalogue_ref=catalogue, page_size=size) == ALL_POSITIONS
    [first] = await alist(
        client.iter_inventory_positions(
            location_ref=SEEDED_LOCATION_REF, type="LAST_ON_HAND"
        )
    )
    check_p1(first, s)


# -- update_order_attributes ---------------------------------------------------


def test_update_order_attributes(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    """Dicts, then models; attributes merge by name; the status stays as it was
    (BOOKED here, set beforehand)."""
    s = shop(fluent_client, fluent_emulator)
    created = fluent_client.create_order(
        "O-1", "HD", s.customer_id, [GOOD_ITEM], attributes=list(HD_ATTRIBUTES)
    ).create_order
    assert created is not None
    run(fluent_client, data.set_order_status(created.id, "BOOKED"))

    updated = fluent_client.update_order_attributes(
        created.id,
        [
            {"name": "channel", "type": "STRING", "value": "store"},
            {"name": "notes", "type": "JSON", "value": {"door": "blue", "floor": 3}},
        ],
    ).update_order
    assert updated is not None
    assert (updated.id, updated.ref, updated.status) == (created.id, "O-1", "BOOKED")
    assert attrs(updated) == [
        ("channel", "STRING", "store"),
        ("giftWrap", "BOOLEAN", True),
        ("notes", "JSON", {"door": "blue", "floor": 3}),
    ]
    assert stamp(updated.updated_on) > stamp(created.updated_on)

    again = fluent_client.update_order_attributes(
        created.id, [AttributeInput(name="giftWrap", type_="BOOLEAN", value=False)]
    ).update_order
    assert again is not None and again.status == "BOOKED"
    assert ("giftWrap", "BOOLEAN", False) in attrs(again)

    found = fluent_client.order_by_ref("O-1")
    assert found is not None
    assert found.status == "BOOKED"
    assert attrs(found) == attrs(again)
    assert [i.ref for i in nodes(found.items)] == ["L1"]


@pytest.mark.anyio
async def test_update_order_attributes_async(
    async_fluent_client: AsyncFluentClient, fluent_emulator: EmulatorServer
) -> None:
    client = async_fluent_client
    s = await ashop(client, fluent_emulator)
    created = (
        await client.create_order("O-1", "HD", s.customer_id, [GOOD_ITEM])
    ).create_order
    assert created is not None

    updated = (
        await client.update_order_attributes(
            created.id,
            [
                AttributeInput(name="channel", type_="STRING", value="web"),
                {"name": "priority", "type": "INTEGER", "value": 2},
            ],
        )
    ).update_order
    assert updated is not None
    assert updated.status == "CREATED"
    assert attrs(updated) == [("channel", "STRING", "web"), ("priority", "INTEGER", 2)]
    found = await client.order_by_id(created.id)
    assert found is not None
    assert (found.status, attrs(found)) == ("CREATED", attrs(updated))


MALFORMED_ATTRIBUTES: list[tuple[str, Any, str]] = [
    ("no value", [{"name": "x", "type": "STRING"}], "attributes[0].value"),
    (
        "second without a name",
        [{"name": "x", "type": "STRING", "value": 1}, {"type": "STRING", "value": 2}],
        "attributes[1].name",
    ),
    (
        "unknown key",
        [{"name": "x", "type": "STRING", "value": 1, "colour": "red"}],
        "attributes[0].colour",
    ),
    ("not a dict", ["x"], "attributes[0]"),
    ("a dict, not a list", {"name": "x", "type": "STRING", "value": 1}, "attributes"),
]


def test_update_order_attributes_malformed(
    fluent_client: FluentClient,
    fluent_emulator: EmulatorServer,
    subtests: pytest.Subtests,
) -> None:
    """Refused before sending, naming the attribute; the order is unchanged."""
    s = shop(fluent_client, fluent_emulator)
    created = fluent_client.create_order(
        "O-1", "HD", s.customer_id, [GOOD_ITEM]
    ).create_order
    assert created is not None

    for name, attributes, field in MALFORMED_ATTRIBUTES:
        with subtests.test(name, field=field):
            with pytest.raises(FluentInputError) as refused:
                fluent_client.update_order_attributes(created.id, attributes)
            assert refused.value.field == field
            assert fluent_client.order_by_ref("O-1") == created


@pytest.mark.anyio
async def test_update_order_attributes_malformed_async(
    async_fluent_client: AsyncFluentClient,
    fluent_emulator: EmulatorServer,
    subtests: pytest.Subtests,
) -> None:
    client = async_fluent_client
    s = await ashop(client, fluent_emulator)
    created = (
        await client.create_order("O-1", "HD", s.customer_id, [GOOD_ITEM])
    ).create_order
    assert created is not None

    for name, attributes, field in MALFORMED_ATTRIBUTES:
        with subtests.test(name, field=field):
            with pytest.raises(FluentInputError) as refused:
                await client.update_order_attributes(created.id, attributes)
            assert refused.value.field == field
            assert await client.order_by_ref("O-1") == created
