"""Test data for ``tests/test_orders.py``.

A shop (a customer and two products) made in one request, input builders for
orders, and the raw mutations the connector has no method for
(``createFulfilment``, ``createLocation``, ``createInventoryPosition``, status
changes), batched with aliases so that a test makes few round trips. Every
builder returns plain data; :func:`run` and :func:`arun` send a batch with the
sync or the async client.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fluent_gql import AsyncFluentClient, FluentClient
from fluent_gql.emulator import EmulatorServer

PRODUCT_REF = "SKU-1"
PRODUCT_NAME = "Blue Mug"
PRODUCT_PRICE = 9.5
OTHER_PRODUCT_REF = "SKU-2"
OTHER_PRODUCT_NAME = "Red Plate"
CURRENCY = "AUD"
EMAIL = "ada@example.com"
SEEDED_LOCATION_REF = "EMULATOR-WAREHOUSE"
SEEDED_RETAILER_REF = "EMULATOR-RETAILER"


@dataclass(frozen=True)
class Batch:
    """Several mutations in one request: ``m0``, ``m1``... in the given order."""

    query: str
    variables: dict[str, Any]
    count: int

    def results(self, data: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Each mutation's result, in the order they were given."""
        return [data[f"m{n}"] for n in range(self.count)]


def batch(
    calls: Sequence[tuple[str, str, Mapping[str, Any]]], selection: str = "id ref"
) -> Batch:
    """One request running ``field(input: ...) { <selection> }`` for each
    ``(field, input type, input)``."""
    params = ", ".join(f"$i{n}: {kind}" for n, (_, kind, _) in enumerate(calls))
    body = "\n  ".join(
        f"m{n}: {field}(input: $i{n}) {{ {selection} }}"
        for n, (field, _, _) in enumerate(calls)
    )
    return Batch(
        query=f"mutation batch({params}) {{\n  {body}\n}}",
        variables={f"i{n}": dict(value) for n, (_, _, value) in enumerate(calls)},
        count=len(calls),
    )


def run(client: FluentClient, calls: Batch) -> list[dict[str, Any]]:
    """Send a batch with the sync client; each mutation's ``{id, ref}``."""
    return calls.results(client.graphql(calls.query, calls.variables))


async def arun(client: AsyncFluentClient, calls: Batch) -> list[dict[str, Any]]:
    """Send a batch with the async client; each mutation's ``{id, ref}``."""
    return calls.results(await client.graphql(calls.query, calls.variables))


# -- The shop ------------------------------------------------------------------


@dataclass(frozen=True)
class Shop:
    """What every order test starts from."""

    customer_id: str
    customer_ref: str
    email: str
    catalogue_ref: str
    retailer_id: str
    inventory_catalogue_ref: str


def _product(catalogue_ref: str, ref: str, name: str, gtin: str) -> dict[str, Any]:
    return {
        "ref": ref,
        "catalogue": {"ref": catalogue_ref},
        "type": "STANDARD",
        "name": name,
        "gtin": gtin,
        "prices": [{"type": "RRP", "currency": CURRENCY, "value": PRODUCT_PRICE}],
    }


def customer_input(
    retailer_id: str, email: str, first_name: str = "Ada"
) -> dict[str, Any]:
    """A ``CreateCustomerInput`` (username = e-mail)."""
    return {
        "username": email,
        "primaryEmail": email,
        "firstName": first_name,
        "lastName": "Lovelace",
        "timezone": "UTC",
        "promotionOptIn": False,
        "retailer": {"id": retailer_id},
    }


def shop_batch(server: EmulatorServer) -> Batch:
    """A customer and two products, in one request."""
    emulator = server.emulator
    catalogue = emulator.catalogue_ref
    return batch(
        [
            (
                "createCustomer",
                "CreateCustomerInput",
                customer_input(emulator.retailer_id, EMAIL),
            ),
            (
                "createStandardProduct",
                "CreateStandardProductInput",
                _product(catalogue, PRODUCT_REF, PRODUCT_NAME, "0001"),
            ),
            (
                "createStandardProduct",
                "CreateStandardProductInput",
                _product(catalogue, OTHER_PRODUCT_REF, OTHER_PRODUCT_NAME, "0002"),
            ),
        ]
    )


def _shop(server: EmulatorServer, customer: Mapping[str, Any]) -> Shop:
    emulator = server.emulator
    return Shop(
        customer_id=customer["id"],
        customer_ref=customer["ref"],
        email=EMAIL,
        catalogue_ref=emulator.catalogue_ref,
        retailer_id=emulator.retailer_id,
        inventory_catalogue_ref=emulator.inventory_catalogue_ref,
    )


def shop(client: FluentClient, server: EmulatorServer) -> Shop:
    """Make the shop with the sync client."""
    customer, *_ = run(client, shop_batch(server))
    return _shop(server, customer)


async def ashop(client: AsyncFluentClient, server: EmulatorServer) -> Shop:
    """Make the shop with the async client."""
    customer, *_ = await arun(client, shop_batch(server))
    return _shop(server, customer)


# -- Orders --------------------------------------------------------------------


def item(
    n: int,
    product_ref: str = PRODUCT_REF,
    quantity: int = 1,
    price: float = PRODUCT_PRICE,
) -> dict[str, Any]:
    """Order line ``L<n>`` as a snake_case dict."""
    return {
        "ref": f"L{n:03d}",
        "product_ref": product_ref,
        "quantity": quantity,
        "price": price,
        "paid_price": price,
        "total_price": price * quantity,
        "currency": CURRENCY,
    }


def items(count: int) -> list[dict[str, Any]]:
    """``count`` lines of one product each, ``L000``, ``L001``..."""
    return [item(n) for n in range(count)]


def delivery_address(ref: str = "ADDR-1") -> dict[str, Any]:
    """A ``CreateCustomerAddressInput`` as a snake_case dict."""
    return {
        "ref": ref,
        "name": "Ada Lovelace",
        "company_name": "Analytical Engines",
        "street": "1 George St",
        "street2": "Level 3",
        "city": "Sydney",
        "state": "NSW",
        "postcode": "2000",
        "country": "AU",
        "email": EMAIL,
        "latitude": -33.86,
        "longitude": 151.2,
        "time_zone": "Australia/Sydney",
    }


def home_delivery(ref: str = "ADDR-1") -> dict[str, Any]:
    """An HD fulfilment choice with a delivery address, as a dict."""
    return {
        "delivery_type": "STANDARD",
        "currency": CURRENCY,
        "fulfilment_price": 5.0,
        "delivery_instruction": "Leave at the door",
        "delivery_address": delivery_address(ref),
    }


def order_batch(
    shop: Shop,
    refs: Sequence[str],
    *,
    type: str = "HD",
    customer_id: str | None = None,
) -> Batch:
    """Orders with one line each, created in one request (for list tests)."""
    return batch(
        [
            (
                "createOrder",
                "CreateOrderInput",
                {
                    "ref": ref,
                    "type": type,
                    "customer": {"id": customer_id or shop.customer_id},
                    "retailer": {"id": shop.retailer_id},
                    "items": [{"ref": "L1", "productRef": PRODUCT_REF, "quantity": 1}],
                },
            )
            for ref in refs
        ]
    )


def set_order_status(order_id: str, status: str) -> Batch:
    """``updateOrder`` with a status (which bypasses the workflow)."""
    return batch(
        [("updateOrder", "UpdateOrderInput", {"id": order_id, "status": status})]
    )


# -- Fulfilments ---------------------------------------------------------------


def fulfilment_input(
    order_id: str,
    ref: str,
    order_item_ids: Sequence[str],
    *,
    from_address_id: str | None = None,
    to_address_id: str | None = None,
    type: str = "HD_PFS",
    delivery_type: str = "STANDARD",
) -> dict[str, Any]:
    """A ``CreateFulfilmentInput`` of one unit of each of these order items."""
    value: dict[str, Any] = {
        "order": {"id": order_id},
        "ref": ref,
        "type": type,
        "deliveryType": delivery_type,
        "items": [
            {
                "ref": f"{ref}-I{n:03d}",
                "orderItem": {"id": item_id},
                "requestedQuantity": 1,
                "filledQuantity": 0,
                "rejectedQuantity": 0,
            }
            for n, item_id in enumerate(order_item_ids)
        ],
    }
    if from_address_id is not None:
        value["fromAddress"] = {"id": from_address_id}
    if to_address_id is not None:
        value["toAddress"] = {"id": to_address_id}
    return value


def fulfilment_batch(inputs: Sequence[Mapping[str, Any]]) -> Batch:
    """``createFulfilment`` for each input, in one request."""
    return batch([("createFulfilment", "CreateFulfilmentInput", i) for i in inputs])


def set_fulfilment_status(fulfilment_id: str, status: str) -> Batch:
    """``updateFulfilment`` with a status."""
    return batch(
        [
            (
                "updateFulfilment",
                "UpdateFulfilmentInput",
                {"id": fulfilment_id, "status": status},
            )
        ]
    )


# -- Locations -----------------------------------------------------------------

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def location_input(
    retailer_id: str, ref: str, name: str, type: str = "STORE"
) -> dict[str, Any]:
    """A ``CreateLocationInput`` with a primary address ``<ref>-ADDR``."""
    opening = {f"{day}{end}": 0 for day in DAYS for end in ("Start", "End")}
    return {
        "ref": ref,
        "type": type,
        "name": name,
        "supportPhoneNumber": "+61 2 9999 0000",
        "retailer": {"id": retailer_id},
        "primaryAddress": {
            "ref": f"{ref}-ADDR",
            "name": name,
            "street": "2 Pitt St",
            "city": "Sydney",
            "state": "NSW",
            "postcode": "2000",
            "country": "AU",
            "latitude": -33.87,
            "longitude": 151.21,
            "timeZone": "Australia/Sydney",
        },
        "openingSchedule": {"allHours": True, **opening},
    }


def location_batch(retailer_id: str, specs: Sequence[tuple[str, str, str]]) -> Batch:
    """``createLocation`` for each ``(ref, name, type)``, in one request; each
    result has ``primaryAddress { id }`` (a fulfilment's ``fromAddress``)."""
    return batch(
        [
            (
                "createLocation",
                "CreateLocationInput",
                location_input(retailer_id, ref, name, type),
            )
            for ref, name, type in specs
        ],
        selection="id ref primaryAddress { id }",
    )


def set_location_status(location_id: str, status: str) -> Batch:
    """``updateLocation`` with a status."""
    return batch(
        [
            (
                "updateLocation",
                "UpdateLocationInput",
                {"id": location_id, "status": status},
            )
        ]
    )


# -- Inventory -----------------------------------------------------------------


def position_batch(
    catalogue_ref: str, specs: Sequence[tuple[str, str, str, str, int]]
) -> Batch:
    """``createInventoryPosition`` for each ``(ref, product ref, location ref,
    type, on hand)``, in one request."""
    return batch(
        [
            (
                "createInventoryPosition",
                "CreateInventoryPositionInput",
                {
                    "ref": ref,
                    "catalogue": {"ref": catalogue_ref},
                    "productRef": product_ref,
                    "locationRef": location_ref,
                    "type": type,
                    "onHand": on_hand,
                },
            )
            for ref, product_ref, location_ref, type, on_hand in specs
        ]
    )


def set_position_status(catalogue_ref: str, ref: str, status: str) -> Batch:
    """``updateInventoryPosition`` with a status."""
    return batch(
        [
            (
                "updateInventoryPosition",
                "UpdateInventoryPositionInput",
                {"catalogue": {"ref": catalogue_ref}, "ref": ref, "status": status},
            )
        ]
    )
