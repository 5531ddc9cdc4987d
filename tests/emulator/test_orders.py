"""Orders: createOrder, createOrderAndCustomer, updateOrder, order(s), error codes."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from .entities import (
    CREATE_ORDER,
    CREATE_ORDER_AND_CUSTOMER,
    ORDER_BY_REF,
    UPDATE_ORDER,
    create_location,
    create_order,
    delivery_address,
    nodes,
    order_input,
)
from .support import Api, StartServer, customer_input, unique

ORDERS_PAGE = """
query Orders($type: [String!], $status: [String], $ref: [String],
             $customer: CustomerLinkInput, $retailerId: [Int!], $updatedOn: DateRange,
             $createdOn: DateRange, $payment: PaymentLinkInput,
             $workflowRef: [String!], $totalPrice: [Float], $first: Int, $last: Int,
             $after: String, $before: String) {
  orders(type: $type, status: $status, ref: $ref, customerLink: $customer,
         retailerId: $retailerId, updatedOn: $updatedOn, createdOn: $createdOn,
         payment: $payment, workflowRef: $workflowRef, totalPrice: $totalPrice,
         first: $first, last: $last, after: $after, before: $before) {
    edges { cursor node { ref status } }
    pageInfo { hasNextPage hasPreviousPage }
  }
}
"""


def _refs(api: Api, **variables: Any) -> list[str]:
    data = api.data(ORDERS_PAGE, variables)["orders"]
    return [node["ref"] for node in nodes(data)]


def test_create_order_stores_items_choice_and_delivery_address(api: Api) -> None:
    """An HD order comes back with Fluent's defaults, its items and its address."""
    customer = api.create_customer()
    product = api.create_product()
    fields = order_input(
        customer["id"],
        product["ref"],
        attributes=[{"name": "channel", "type": "STRING", "value": "web"}],
        payment={"ref": "PAY-1"},
    )
    before = datetime.now(UTC) - timedelta(seconds=1)

    made = api.data(CREATE_ORDER, {"input": fields})["createOrder"]

    assert made["id"].isdigit()
    assert (made["ref"], made["type"], made["status"]) == (
        fields["ref"],
        "HD",
        "CREATED",
    )
    assert (made["workflowRef"], made["workflowVersion"]) == ("ORDER::HD", 1)
    assert (made["totalPrice"], made["totalTaxPrice"]) == (15.0, 1.5)
    assert made["attributes"] == fields["attributes"]
    assert made["retailer"] == {"id": "1"}
    assert made["customer"] == {"id": customer["id"], "username": customer["username"]}
    assert made["customerLink"] == {"ref": customer["ref"]}
    assert made["payment"] == {"ref": "PAY-1"}
    assert made["createdOn"] == made["updatedOn"]
    assert before <= datetime.fromisoformat(made["createdOn"]) <= datetime.now(UTC)
    choice = made["fulfilmentChoice"]
    assert (choice["deliveryType"], choice["status"], choice["type"]) == (
        "STANDARD",
        "CREATED",
        "HD",
    )
    address = choice["deliveryAddress"]
    given = fields["fulfilmentChoice"]["deliveryAddress"]
    assert address["__typename"] == "CustomerAddress"
    assert {name: address[name] for name in given} == given
    [item] = nodes(made["items"])
    assert item["ref"] == fields["items"][0]["ref"]
    assert (item["status"], item["quantity"], item["price"], item["currency"]) == (
        "CREATED",
        2,
        7.5,
        "AUD",
    )
    assert item["product"] == {
        "__typename": "StandardProduct",
        "ref": product["ref"],
        "name": product["name"],
    }


def test_a_click_and_collect_order_keeps_its_pickup_location(api: Api) -> None:
    """A CC order's choice names the store the customer collects from."""
    store = create_location(api)

    made = create_order(
        api,
        ref=unique("CC"),
        type="CC",
        fulfilmentChoice={
            "deliveryType": "STANDARD",
            "fulfilmentType": "CC_PFS",
            "pickupLocationRef": store["ref"],
        },
    )

    assert (made["type"], made["workflowRef"]) == ("CC", "ORDER::CC")
    choice = made["fulfilmentChoice"]
    assert (choice["pickupLocationRef"], choice["fulfilmentType"]) == (
        store["ref"],
        "CC_PFS",
    )
    assert choice["deliveryAddress"] is None


def test_items_can_name_one_of_several_fulfilment_choices(api: Api) -> None:
    """``fulfilmentChoices`` are stored too; an item's choice ref links them."""
    product = api.create_product()

    made = create_order(
        api,
        product_ref=product["ref"],
        fulfilmentChoices=[{"ref": "FC-2", "deliveryType": "EXPRESS"}],
        items=[
            {"ref": "I1", "productRef": product["ref"], "quantity": 1},
            {
                "ref": "I2",
                "productRef": product["ref"],
                "quantity": 3,
                "fulfilmentChoiceRef": "FC-2",
            },
        ],
    )
    choices = api.data(
        "query($r: String) { order(ref: $r) { fulfilmentChoices { edges { node {"
        " ref deliveryType items { edges { node { ref } } } } } } } }",
        {"r": made["ref"]},
    )["order"]["fulfilmentChoices"]

    assert [item["fulfilmentChoice"] for item in nodes(made["items"])] == [
        None,
        {"ref": "FC-2"},
    ]
    assert [(c["ref"], c["deliveryType"]) for c in nodes(choices)] == [
        (None, "STANDARD"),
        ("FC-2", "EXPRESS"),
    ]
    assert nodes(nodes(choices)[1]["items"]) == [{"ref": "I2"}]


def test_create_order_and_customer_creates_both(api: Api) -> None:
    """The new customer is found by ref afterwards and owns the order."""
    product = api.create_product()
    customer = customer_input()
    fields = order_input("unused", product["ref"], customer=customer)

    made = api.data(CREATE_ORDER_AND_CUSTOMER, {"input": fields})[
        "createOrderAndCustomer"
    ]
    found = api.data(
        "query($r: String!) { customer(ref: $r) { id username } }",
        {"r": customer["username"]},
    )["customer"]

    assert made["customer"] == found
    assert found["username"] == customer["username"]
    assert made["status"] == "CREATED"


def test_create_order_and_customer_with_a_taken_username_stores_neither(
    start_server: StartServer,
) -> None:
    """C0123E for the customer, and the order is not stored either."""
    api = start_server()
    api.login()
    taken = api.create_customer()
    product = api.create_product()
    fields = order_input(
        "unused",
        product["ref"],
        customer=customer_input(username=taken["username"]),
    )

    error = api.error(CREATE_ORDER_AND_CUSTOMER, {"input": fields})
    found = api.data(ORDER_BY_REF, {"ref": fields["ref"]})["order"]

    assert error["extensions"] == {"code": "C0123E"}
    assert (
        error["message"] == f"Customer with username {taken['username']} already exists"
    )
    assert found is None
    assert api.emulator.customer_count() == 1


def test_a_second_order_with_the_same_ref_is_c0121e(api: Api) -> None:
    """Order refs are unique; the retry of a stored order is refused."""
    made = create_order(api)
    customer_id = made["customer"]["id"]
    product_ref = nodes(made["items"])[0]["product"]["ref"]
    again = order_input(customer_id, product_ref, ref=made["ref"])

    error = api.error(CREATE_ORDER, {"input": again})

    assert error["extensions"] == {"code": "C0121E"}
    assert error["message"] == f"Order with ref {made['ref']} already exists"


UNKNOWN_REFERENCES = [
    ({"retailer": {"id": "99"}}, "Retailer with id 99 not found"),
    ({"customer": {"id": "999999"}}, "Customer with id 999999 not found"),
    (
        {"items": [{"ref": "I", "productRef": "NO-SUCH-SKU", "quantity": 1}]},
        "Product with ref NO-SUCH-SKU not found",
    ),
    (
        {
            "items": [
                {
                    "ref": "I",
                    "productRef": "X",
                    "productCatalogueRef": "PC:NONE",
                    "quantity": 1,
                }
            ]
        },
        "ProductCatalogue with ref PC:NONE not found",
    ),
    (
        {"fulfilmentChoice": {"deliveryType": "STANDARD", "pickupLocationRef": "NOPE"}},
        "Location with ref NOPE not found",
    ),
]


@pytest.mark.parametrize(("overrides", "message"), UNKNOWN_REFERENCES)
def test_unknown_references_are_c0120e_and_store_nothing(
    api: Api, overrides: dict[str, Any], message: str
) -> None:
    """Every entity an order refers to must exist."""
    customer = api.create_customer()
    product = api.create_product()
    fields = order_input(customer["id"], product["ref"], **overrides)

    error = api.error(CREATE_ORDER, {"input": fields})

    assert error["extensions"] == {"code": "C0120E"}
    assert error["message"] == message
    assert api.data(ORDER_BY_REF, {"ref": fields["ref"]})["order"] is None


def test_an_items_unknown_fulfilment_choice_ref_is_c0120e(api: Api) -> None:
    """An item may only name a choice of the same order."""
    customer = api.create_customer()
    product = api.create_product()
    item = {"ref": "I", "productRef": product["ref"], "quantity": 1}
    fields = order_input(
        customer["id"], product["ref"], items=[{**item, "fulfilmentChoiceRef": "X"}]
    )

    error = api.error(CREATE_ORDER, {"input": fields})

    assert error["extensions"] == {"code": "C0120E"}
    assert "FulfilmentChoice with ref X" in error["message"]


def test_a_repeated_item_ref_is_c0123e(api: Api) -> None:
    """Two items of one order cannot share a ref."""
    customer = api.create_customer()
    product = api.create_product()
    item = {"ref": "SAME", "productRef": product["ref"], "quantity": 1}
    fields = order_input(customer["id"], product["ref"], items=[item, item])

    error = api.error(CREATE_ORDER, {"input": fields})

    assert error["extensions"] == {"code": "C0123E"}


def test_a_too_long_delivery_address_field_is_c0141e(api: Api) -> None:
    """Address fields have the schema's documented limits."""
    customer = api.create_customer()
    product = api.create_product()
    choice = {
        "deliveryType": "STANDARD",
        "deliveryAddress": delivery_address(timeZone="x" * 33),
    }
    fields = order_input(customer["id"], product["ref"], fulfilmentChoice=choice)

    error = api.error(CREATE_ORDER, {"input": fields})

    assert error["extensions"] == {"code": "C0141E"}
    assert "'fulfilmentChoice.deliveryAddress.timeZone'" in error["message"]


MUTATIONS = [
    ("createOrder", "CreateOrderInput"),
    ("createOrderAndCustomer", "CreateOrderAndCustomerInput"),
    ("updateOrder", "UpdateOrderInput"),
    ("createFulfilment", "CreateFulfilmentInput"),
    ("updateFulfilment", "UpdateFulfilmentInput"),
    ("createLocation", "CreateLocationInput"),
    ("updateLocation", "UpdateLocationInput"),
    ("createInventoryPosition", "CreateInventoryPositionInput"),
    ("updateInventoryPosition", "UpdateInventoryPositionInput"),
    ("createInventoryQuantity", "CreateInventoryQuantityInput"),
    ("updateInventoryQuantity", "UpdateInventoryQuantityInput"),
]


@pytest.mark.parametrize(("mutation", "input_type"), MUTATIONS)
def test_a_null_input_is_c0140e(api: Api, mutation: str, input_type: str) -> None:
    """Every mutation of this part refuses ``input: null`` with a code."""
    query = f"mutation($i: {input_type}) {{ {mutation}(input: $i) {{ id }} }}"

    error = api.error(query, {"i": None})

    assert error["extensions"] == {"code": "C0140E"}
    assert error["path"] == [mutation]


def test_update_order_changes_status_totals_and_merges_attributes(api: Api) -> None:
    """Given fields change, others stay; attributes merge by name; updatedOn moves."""
    made = create_order(
        api,
        attributes=[
            {"name": "a", "type": "STRING", "value": "1"},
            {"name": "b", "type": "STRING", "value": "2"},
        ],
    )
    time.sleep(0.002)

    updated = api.data(
        UPDATE_ORDER,
        {
            "input": {
                "id": made["id"],
                "status": "BOOKED",
                "totalPrice": 20.0,
                "attributes": [
                    {"name": "b", "type": "STRING", "value": "two"},
                    {"name": "c", "type": "INTEGER", "value": 3},
                ],
            }
        },
    )["updateOrder"]

    assert (updated["status"], updated["totalPrice"], updated["totalTaxPrice"]) == (
        "BOOKED",
        20.0,
        1.5,
    )
    assert updated["attributes"] == [
        {"name": "a", "type": "STRING", "value": "1"},
        {"name": "b", "type": "STRING", "value": "two"},
        {"name": "c", "type": "INTEGER", "value": 3},
    ]
    assert updated["createdOn"] == made["createdOn"]
    assert updated["updatedOn"] > made["updatedOn"]
    assert updated["items"] == made["items"]


def test_update_order_changes_only_the_items_it_names(api: Api) -> None:
    """An item's status and quantity change; the order's other items stay."""
    product = api.create_product()
    made = create_order(
        api,
        product_ref=product["ref"],
        items=[
            {"ref": "I1", "productRef": product["ref"], "quantity": 1},
            {"ref": "I2", "productRef": product["ref"], "quantity": 2},
        ],
    )
    first, second = nodes(made["items"])

    updated = api.data(
        UPDATE_ORDER,
        {
            "input": {
                "id": made["id"],
                "items": [{"id": second["id"], "status": "CANCELLED", "quantity": 0}],
            }
        },
    )["updateOrder"]

    after = nodes(updated["items"])
    assert after[0] == first
    assert (after[1]["status"], after[1]["quantity"]) == ("CANCELLED", 0)
    assert updated["status"] == "CREATED"


def test_update_order_refuses_unknown_orders_and_other_orders_items(api: Api) -> None:
    """C0120E for an order that does not exist and for another order's item."""
    one, other = create_order(api), create_order(api)
    foreign = nodes(other["items"])[0]["id"]

    missing = api.error(UPDATE_ORDER, {"input": {"id": "999999", "status": "X"}})
    wrong_item = api.error(
        UPDATE_ORDER,
        {"input": {"id": one["id"], "status": "X", "items": [{"id": foreign}]}},
    )
    unchanged = api.data(ORDER_BY_REF, {"ref": one["ref"]})["order"]

    assert missing["extensions"] == wrong_item["extensions"] == {"code": "C0120E"}
    assert missing["message"] == "Order with id 999999 not found"
    assert unchanged["status"] == "CREATED"


@pytest.mark.parametrize("keys", [("id",), ("ref",), ("id", "ref")])
def test_order_is_found_by_id_ref_or_both(api: Api, keys: tuple[str, ...]) -> None:
    """``order`` takes either key, or both when they agree."""
    made = create_order(api)
    arguments = ", ".join(f'{key}: "{made[key]}"' for key in keys)

    found = api.data(f"{{ order({arguments}) {{ id ref }} }}")["order"]

    assert found == {"id": made["id"], "ref": made["ref"]}


@pytest.mark.parametrize(
    "query",
    [
        "{ order { id } }",
        '{ order(ref: "NO-SUCH-ORDER") { id } }',
        '{ order(id: "abc") { id } }',
        '{ orderById(id: "999999") { id } }',
        '{ orderById(id: "x") { id } }',
    ],
)
def test_unknown_orders_are_null(api: Api, query: str) -> None:
    """Looking up an order that is not there answers null without errors."""
    data = api.data(query)

    assert next(iter(data.values())) is None


def test_order_by_id_and_ref_must_agree(api: Api) -> None:
    """An id and a ref of different orders find nothing."""
    one, other = create_order(api), create_order(api)

    found = api.data(
        "query($id: ID, $ref: String) { order(id: $id, ref: $ref) { id } }",
        {"id": one["id"], "ref": other["ref"]},
    )

    assert found == {"order": None}


def test_orders_filter_by_type_status_ref_and_customer(api: Api) -> None:
    """Each filter is an exact match on a list of values; filters combine."""
    kind = unique("T")
    customer = api.create_customer()
    a = create_order(api, type=kind, customer_id=customer["id"], payment={"ref": "P1"})
    b = create_order(api, type=kind, totalPrice=99.5)
    api.data(UPDATE_ORDER, {"input": {"id": b["id"], "status": "BOOKED"}})

    assert _refs(api, type=[kind]) == [a["ref"], b["ref"]]
    assert _refs(api, type=[kind], status=["BOOKED"]) == [b["ref"]]
    assert _refs(api, ref=[a["ref"], "other"]) == [a["ref"]]
    assert _refs(api, customer={"ref": customer["ref"]}) == [a["ref"]]
    assert _refs(api, type=[kind], customer={"ref": "nobody"}) == []
    assert _refs(api, type=[kind], retailerId=[1]) == [a["ref"], b["ref"]]
    assert _refs(api, type=[kind], retailerId=[2]) == []
    assert _refs(api, type=[kind], payment={"ref": "P1"}) == [a["ref"]]
    assert _refs(api, type=[kind], totalPrice=[99.5]) == [b["ref"]]
    assert _refs(api, type=[kind], workflowRef=[f"ORDER::{kind}"]) == [
        a["ref"],
        b["ref"],
    ]
    assert _refs(api, type=[kind], workflowRef=["ORDER::HD"]) == []


def test_orders_updated_since_a_time_are_those_changed_after_it(api: Api) -> None:
    """The integrator's poll: ``updatedOn: {from}`` finds the orders changed since."""
    kind = unique("T")
    quiet, busy = create_order(api, type=kind), create_order(api, type=kind)
    since = datetime.fromisoformat(busy["updatedOn"]) + timedelta(milliseconds=1)
    time.sleep(0.002)
    api.data(UPDATE_ORDER, {"input": {"id": busy["id"], "status": "BOOKED"}})

    changed = _refs(api, type=[kind], updatedOn={"from": since.isoformat()})
    created = _refs(api, type=[kind], createdOn={"from": since.isoformat()})

    assert changed == [busy["ref"]]
    assert created == []
    assert quiet["ref"] not in changed


def test_an_order_date_range_without_ends_is_c0102e(api: Api) -> None:
    """``updatedOn: {}`` is refused, as for customers."""
    error = api.error(ORDERS_PAGE, {"updatedOn": {}})

    assert error["extensions"] == {"code": "C0102E"}


def test_orders_page_forward_with_after_cursors_and_back_with_before(api: Api) -> None:
    """Cursors walk the orders in creation order, in both directions."""
    kind = unique("T")
    refs = [create_order(api, type=kind)["ref"] for _ in range(5)]

    seen: list[str] = []
    after = None
    pages = 0
    while True:
        data = api.data(ORDERS_PAGE, {"type": [kind], "first": 2, "after": after})
        edges = data["orders"]["edges"]
        seen += [edge["node"]["ref"] for edge in edges]
        pages += 1
        if not data["orders"]["pageInfo"]["hasNextPage"]:
            break
        after = edges[-1]["cursor"]
    last_two = api.data(ORDERS_PAGE, {"type": [kind], "last": 2})["orders"]
    before = api.data(
        ORDERS_PAGE,
        {"type": [kind], "last": 2, "before": last_two["edges"][0]["cursor"]},
    )["orders"]

    assert (seen, pages) == (refs, 3)
    assert [e["node"]["ref"] for e in last_two["edges"]] == refs[3:]
    assert [e["node"]["ref"] for e in before["edges"]] == refs[1:3]
    assert before["pageInfo"] == {"hasNextPage": True, "hasPreviousPage": True}


def test_orders_without_a_page_size_answer_ten(api: Api) -> None:
    """Fluent's default page of 10 applies to orders too."""
    kind = unique("T")
    for _ in range(11):
        create_order(api, type=kind)

    data = api.data(ORDERS_PAGE, {"type": [kind]})["orders"]

    assert len(data["edges"]) == 10
    assert data["pageInfo"]["hasNextPage"] is True


def test_order_items_filter_and_page_within_their_order(api: Api) -> None:
    """``Order.items`` pages by cursor; root ``orderItems`` filters every order."""
    product = api.create_product()
    refs = [unique("I") for _ in range(3)]
    made = create_order(
        api,
        product_ref=product["ref"],
        items=[
            {"ref": ref, "productRef": product["ref"], "quantity": n + 1}
            for n, ref in enumerate(refs)
        ],
    )
    query = """
    query($ref: String, $after: String, $items: [String]) {
      order(ref: $ref) {
        items(first: 2, after: $after) {
          edges { cursor node { ref } } pageInfo { hasNextPage }
        }
        byQuantity: items(quantity: [2]) { edges { node { ref } } }
      }
      orderItems(ref: $items) { edges { node { ref order { ref } } } }
    }
    """

    first = api.data(query, {"ref": made["ref"], "items": refs[2:]})
    cursor = first["order"]["items"]["edges"][-1]["cursor"]
    second = api.data(query, {"ref": made["ref"], "after": cursor})

    assert [n["ref"] for n in nodes(first["order"]["items"])] == refs[:2]
    assert first["order"]["items"]["pageInfo"]["hasNextPage"] is True
    assert [n["ref"] for n in nodes(second["order"]["items"])] == refs[2:]
    assert nodes(first["order"]["byQuantity"]) == [{"ref": refs[1]}]
    assert nodes(first["orderItems"]) == [
        {"ref": refs[2], "order": {"ref": made["ref"]}}
    ]
