"""Fulfilments: createFulfilment, updateFulfilment, fulfilment(s), their items."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from .entities import (
    CREATE_FULFILMENT,
    UPDATE_FULFILMENT,
    create_fulfilment,
    create_location,
    create_order,
    nodes,
)
from .support import Api, unique

FULFILMENTS = """
query Fulfilments($status: [String], $ref: [String], $type: [String!],
                  $deliveryType: [String], $from: LocationLinkInput,
                  $expiryTime: DateRange, $first: Int, $after: String) {
  fulfilments(status: $status, ref: $ref, type: $type, deliveryType: $deliveryType,
              fromLocation: $from, expiryTime: $expiryTime, first: $first,
              after: $after) {
    edges { cursor node { ref status } }
    pageInfo { hasNextPage }
  }
}
"""


def _refs(api: Api, **variables: Any) -> list[str]:
    return [n["ref"] for n in nodes(api.data(FULFILMENTS, variables)["fulfilments"])]


def _store_address_id(location: Any) -> str:
    return str(location["primaryAddress"]["id"])


def test_create_fulfilment_stores_items_and_the_ship_from_location(api: Api) -> None:
    """A fulfilment from a store's address is CREATED in the order's workflow."""
    store = create_location(api)
    order = create_order(api)
    item = nodes(order["items"])[0]
    to_address = order["fulfilmentChoice"]["deliveryAddress"]

    made = create_fulfilment(
        api,
        order,
        fromAddress={"id": _store_address_id(store)},
        toAddress={"id": to_address["id"]},
        eta="2 days",
        expiryTime="2030-01-01T00:00:00Z",
        attributes=[{"name": "pickList", "type": "STRING", "value": "P1"}],
    )

    assert made["id"].isdigit()
    assert (made["status"], made["type"], made["deliveryType"]) == (
        "CREATED",
        "HD_PFS",
        "STANDARD",
    )
    assert (made["workflowRef"], made["workflowVersion"]) == ("ORDER::HD", 1)
    assert made["order"] == {"id": order["id"], "ref": order["ref"]}
    assert made["user"] == {"id": order["customer"]["id"]}
    assert made["fromLocation"] == {"ref": store["ref"]}
    assert made["fromAddress"]["__typename"] == "StoreAddress"
    assert made["toAddress"] == {
        "__typename": "CustomerAddress",
        "id": to_address["id"],
        "ref": to_address["ref"],
    }
    assert (made["eta"], made["expiryTime"]) == ("2 days", "2030-01-01T00:00:00.000Z")
    assert made["attributes"] == [{"name": "pickList", "type": "STRING", "value": "P1"}]
    [fulfilment_item] = nodes(made["items"])
    assert fulfilment_item["orderItem"] == {"id": item["id"], "ref": item["ref"]}
    assert fulfilment_item["fulfilment"] == {"id": made["id"]}
    assert (
        fulfilment_item["status"],
        fulfilment_item["requestedQuantity"],
        fulfilment_item["filledQuantity"],
        fulfilment_item["rejectedQuantity"],
    ) == ("CREATED", 2, 0, 0)


def test_an_orders_fulfilments_come_with_their_items(api: Api) -> None:
    """``Order.fulfilments`` lists the order's own, filtered like the root list."""
    order = create_order(api)
    first = create_fulfilment(api, order)
    second = create_fulfilment(api, order, type="HD_PFDC")
    create_fulfilment(api, create_order(api))

    data = api.data(
        """query($ref: String) { order(ref: $ref) {
             all: fulfilments {
               edges { node { ref items { edges { node { ref } } } } }
             }
             dc: fulfilments(type: ["HD_PFDC"]) { edges { node { ref } } }
           } }""",
        {"ref": order["ref"]},
    )["order"]

    assert [n["ref"] for n in nodes(data["all"])] == [first["ref"], second["ref"]]
    assert nodes(nodes(data["all"])[0]["items"]) == [
        {"ref": nodes(first["items"])[0]["ref"]}
    ]
    assert nodes(data["dc"]) == [{"ref": second["ref"]}]


def test_fulfilments_filter_by_status_location_type_and_delivery_type(
    api: Api,
) -> None:
    """The store's pick list: its fulfilments in a status, from its location."""
    store = create_location(api, ref=unique("S")[:8])
    order = create_order(api)
    mine = create_fulfilment(
        api, order, fromAddress={"id": _store_address_id(store)}, deliveryType="EXPRESS"
    )
    elsewhere = create_fulfilment(api, order)
    api.data(UPDATE_FULFILMENT, {"input": {"id": mine["id"], "status": "PICKING"}})
    both = [mine["ref"], elsewhere["ref"]]

    assert _refs(api, ref=both) == both
    assert _refs(api, ref=both, status=["PICKING"]) == [mine["ref"]]
    assert _refs(api, **{"from": {"ref": store["ref"]}}) == [mine["ref"]]
    assert _refs(api, **{"from": {"ref": "NOWHERE"}}) == []
    assert _refs(api, ref=both, deliveryType=["EXPRESS"]) == [mine["ref"]]
    assert _refs(api, ref=both, type=["HD_PFDC"]) == []


def test_fulfilments_filter_by_expiry_time(api: Api) -> None:
    """``expiryTime`` is a date range like ``createdOn``."""
    order = create_order(api)
    soon = create_fulfilment(api, order, expiryTime="2030-01-01T00:00:00Z")
    later = create_fulfilment(api, order, expiryTime="2031-01-01T00:00:00Z")
    window = {"from": "2030-06-01T00:00:00Z"}

    found = _refs(api, ref=[soon["ref"], later["ref"]], expiryTime=window)
    empty = api.error(FULFILMENTS, {"expiryTime": {}})

    assert found == [later["ref"]]
    assert empty["extensions"] == {"code": "C0102E"}


def test_fulfilment_is_found_by_id(api: Api) -> None:
    """``fulfilment(id)`` and ``fulfilmentById`` find it; unknown ids are null."""
    made = create_fulfilment(api, create_order(api))

    data = api.data(
        """query($id: ID!) { a: fulfilment(id: $id) { ref } b: fulfilmentById(id: $id)
           { ref } c: fulfilment { ref } d: fulfilmentById(id: "999999") { ref } }""",
        {"id": made["id"]},
    )

    assert data == {
        "a": {"ref": made["ref"]},
        "b": {"ref": made["ref"]},
        "c": None,
        "d": None,
    }


def test_update_fulfilment_changes_status_attributes_and_item_quantities(
    api: Api,
) -> None:
    """Given fields change; items named by id get their new quantities."""
    made = create_fulfilment(
        api,
        create_order(api),
        attributes=[{"name": "a", "type": "STRING", "value": "1"}],
    )
    item = nodes(made["items"])[0]
    time.sleep(0.002)

    updated = api.data(
        UPDATE_FULFILMENT,
        {
            "input": {
                "id": made["id"],
                "status": "COMPLETE",
                "eta": "today",
                "attributes": [{"name": "b", "type": "STRING", "value": "2"}],
                "items": [
                    {
                        "id": item["id"],
                        "status": "COMPLETE",
                        "filledQuantity": 1,
                        "rejectedQuantity": 1,
                    }
                ],
            }
        },
    )["updateFulfilment"]

    assert (updated["status"], updated["eta"], updated["type"]) == (
        "COMPLETE",
        "today",
        made["type"],
    )
    assert [a["name"] for a in updated["attributes"]] == ["a", "b"]
    assert updated["updatedOn"] > made["updatedOn"]
    [after] = nodes(updated["items"])
    assert (after["status"], after["filledQuantity"], after["rejectedQuantity"]) == (
        "COMPLETE",
        1,
        1,
    )
    assert after["requestedQuantity"] == item["requestedQuantity"]


def test_update_fulfilment_refuses_unknown_ids_and_other_items(api: Api) -> None:
    """C0120E for a missing fulfilment and for another fulfilment's item."""
    order = create_order(api)
    one, other = create_fulfilment(api, order), create_fulfilment(api, order)
    foreign = nodes(other["items"])[0]["id"]

    missing = api.error(UPDATE_FULFILMENT, {"input": {"id": "999999"}})
    wrong = api.error(
        UPDATE_FULFILMENT,
        {"input": {"id": one["id"], "status": "X", "items": [{"id": foreign}]}},
    )
    still = _refs(api, ref=[one["ref"]], status=["CREATED"])

    assert missing["extensions"] == wrong["extensions"] == {"code": "C0120E"}
    assert missing["message"] == "Fulfilment with id 999999 not found"
    assert still == [one["ref"]]


def _fulfilment_input(made: Any, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "ref": unique("F"),
        "type": "HD",
        "order": {"id": made["id"]},
    }
    values.update(overrides)
    return values


def test_create_fulfilment_refuses_unknown_references(api: Api) -> None:
    """Order, address, customer, choice and order item must exist (C0120E)."""
    order, other = create_order(api), create_order(api)
    foreign_item = nodes(other["items"])[0]["id"]
    cases: list[dict[str, Any]] = [
        {"order": {"id": "999999"}},
        {"fromAddress": {"id": "999999"}},
        {"toAddress": {"id": "x"}},
        {"customer": {"id": "999999"}},
        {"fulfilmentChoiceRef": "NO-CHOICE"},
        {
            "items": [
                {
                    "ref": "I",
                    "orderItem": {"id": foreign_item},
                    "filledQuantity": 0,
                    "rejectedQuantity": 0,
                }
            ]
        },
    ]

    errors = [
        api.error(CREATE_FULFILMENT, {"input": _fulfilment_input(order, **case)})
        for case in cases
    ]
    stored = api.data(
        "query($r: String) { order(ref: $r) { fulfilments { edges { node { id } } } }}",
        {"r": order["ref"]},
    )["order"]["fulfilments"]

    assert [e["extensions"]["code"] for e in errors] == ["C0120E"] * len(cases)
    assert nodes(stored) == []


def test_a_fulfilment_ref_is_unique_within_its_order(api: Api) -> None:
    """The same ref again in one order is C0123E; another order may use it."""
    order, other = create_order(api), create_order(api)
    ref = unique("F")
    create_fulfilment(api, order, ref=ref)

    error = api.error(CREATE_FULFILMENT, {"input": _fulfilment_input(order, ref=ref)})
    elsewhere = create_fulfilment(api, other, ref=ref)

    assert error["extensions"] == {"code": "C0123E"}
    assert elsewhere["ref"] == ref


@pytest.mark.parametrize("size", [1, 2])
def test_fulfilment_items_page_by_cursor(api: Api, size: int) -> None:
    """``Fulfilment.items`` pages like every connection."""
    product = api.create_product()
    order = create_order(
        api,
        product_ref=product["ref"],
        items=[
            {"ref": f"I{n}", "productRef": product["ref"], "quantity": 1}
            for n in range(3)
        ],
    )
    made = create_fulfilment(api, order)
    query = """query($id: ID!, $first: Int, $after: String) { fulfilmentById(id: $id) {
      items(first: $first, after: $after) { edges { cursor node { ref } }
      pageInfo { hasNextPage } } } }"""

    seen: list[str] = []
    after = None
    while True:
        items = api.data(query, {"id": made["id"], "first": size, "after": after})[
            "fulfilmentById"
        ]["items"]
        seen += [n["ref"] for n in nodes(items)]
        if not items["pageInfo"]["hasNextPage"]:
            break
        after = items["edges"][-1]["cursor"]

    assert seen == ["I0-F", "I1-F", "I2-F"]


def test_fulfilments_created_since_a_time(api: Api) -> None:
    """``createdOn: {from}`` finds fulfilments made after it."""
    order = create_order(api)
    old = create_fulfilment(api, order)
    since = datetime.fromisoformat(old["createdOn"]) + timedelta(milliseconds=1)
    time.sleep(0.002)
    new = create_fulfilment(api, order)
    query = """query($from: DateTime, $refs: [String]) {
      fulfilments(ref: $refs, createdOn: {from: $from}) { edges { node { ref } } } }"""

    found = api.data(
        query,
        {"from": since.astimezone(UTC).isoformat(), "refs": [old["ref"], new["ref"]]},
    )["fulfilments"]

    assert nodes(found) == [{"ref": new["ref"]}]
