"""Typical operations an integrator sends through the Generic GraphQL Request.

Each operation is a GraphQL document written here as an integrator would: orders
(home delivery and click and collect), fulfilments, locations, inventory, settings
and their updates. Every document is validated against the bundled schema and run
against the emulator through ``FluentClient.graphql``, and the data that comes
back is checked.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest

from fluent_gql import FluentClient, FluentEntityNotFoundError, FluentValueRefusedError
from fluent_gql._validation import validate_query
from fluent_gql.emulator import EmulatorServer

# -- Set-up documents ---------------------------------------------------------

CREATE_PRODUCT = """
mutation CreateStandardProduct($input: CreateStandardProductInput) {
  createStandardProduct(input: $input) { id ref name }
}
"""
CREATE_CUSTOMER = """
mutation CreateCustomer($input: CreateCustomerInput) {
  createCustomer(input: $input) { id ref username }
}
"""

# -- Orders -------------------------------------------------------------------

CREATE_ORDER = """
mutation CreateOrder($input: CreateOrderInput) {
  createOrder(input: $input) {
    id ref type status workflowRef workflowVersion totalPrice createdOn
    customer { id }
    fulfilmentChoice {
      deliveryType fulfilmentType pickupLocationRef
      deliveryAddress { ... on CustomerAddress { ref name street city postcode } }
    }
    items(first: 20) { edges { node { id ref quantity price product { ref } } } }
  }
}
"""
FIND_CUSTOMER = """
query GetCustomerByRef($ref: String!) { customer(ref: $ref) { id ref } }
"""
CREATE_ORDER_AND_CUSTOMER = """
mutation CreateOrderAndCustomer($input: CreateOrderAndCustomerInput) {
  createOrderAndCustomer(input: $input) {
    id ref status
    customer { id username firstName primaryEmail }
    customerLink { ref }
  }
}
"""
GET_ORDER_BY_REF = """
query GetOrderByRef($ref: String!) {
  order(ref: $ref) {
    id ref type status totalPrice totalTaxPrice createdOn updatedOn
    attributes { name type value }
    retailer { id ref }
    customer { id firstName lastName primaryEmail }
    fulfilmentChoice {
      deliveryType deliveryInstruction currency fulfilmentPrice
      deliveryAddress {
        __typename
        ... on CustomerAddress { name street city state postcode country }
      }
    }
    items(first: 50) {
      edges { node {
        ref status quantity price paidPrice currency totalPrice
        product { __typename ref name ... on StandardProduct { gtin } }
      } }
    }
  }
}
"""
GET_ORDER_BY_ID = """
query GetOrderById($id: ID!) {
  orderById(id: $id) {
    id ref status
    fulfilments(first: 10) {
      edges { node {
        id ref status type fromLocation { ref }
        items(first: 50) {
          edges { node {
            ref status requestedQuantity filledQuantity rejectedQuantity
            orderItem { ref }
          } }
        }
      } }
    }
  }
}
"""
LIST_ORDERS_BY_STATUS = """
query ListOrdersByStatus($status: [String], $first: Int) {
  orders(status: $status, first: $first) {
    edges { node { ref status type } }
    pageInfo { hasNextPage }
  }
}
"""
GET_ORDERS_UPDATED_SINCE = """
query GetOrdersUpdatedSince($since: DateTime!, $first: Int, $after: String) {
  orders(updatedOn: { from: $since }, first: $first, after: $after) {
    edges { cursor node { id ref status updatedOn } }
    pageInfo { hasNextPage }
  }
}
"""
LIST_ORDERS_PAGE = """
query ListOrders($type: [String!], $first: Int, $after: String) {
  orders(type: $type, first: $first, after: $after) {
    edges { cursor node { ref } }
    pageInfo { hasNextPage }
  }
}
"""
LIST_CUSTOMER_ORDERS = """
query ListCustomerOrders($customerRef: String!) {
  orders(customerLink: { ref: $customerRef }, first: 20) {
    edges { node { ref type customerLink { ref } } }
  }
}
"""
GET_ORDER_ITEMS = """
query GetOrderItems($ref: String!, $status: [String!]) {
  order(ref: $ref) {
    items(status: $status, first: 50) { edges { node { ref status quantity } } }
  }
}
"""
UPDATE_ORDER_STATUS = """
mutation UpdateOrderStatus($input: UpdateOrderInput) {
  updateOrder(input: $input) {
    id status updatedOn
    attributes { name type value }
  }
}
"""
UPDATE_ORDER_ITEMS = """
mutation UpdateOrderItems($input: UpdateOrderInput) {
  updateOrder(input: $input) {
    id
    items(first: 50) { edges { node { id ref status quantity } } }
  }
}
"""

# -- Fulfilments ----------------------------------------------------------------

CREATE_FULFILMENT = """
mutation CreateFulfilment($input: CreateFulfilmentInput) {
  createFulfilment(input: $input) {
    id ref type status deliveryType
    order { ref }
    fromLocation { ref }
    items(first: 50) { edges { node { id ref requestedQuantity orderItem { ref } } } }
  }
}
"""
GET_FULFILMENT_BY_ID = """
query GetFulfilmentById($id: ID!) {
  fulfilmentById(id: $id) {
    id ref status type deliveryType createdOn
    order { ref status customer { primaryEmail } }
    fromAddress { ... on StoreAddress { ref city location { ref name } } }
    toAddress { ... on CustomerAddress { name city } }
    items(first: 50) {
      edges { node { ref requestedQuantity orderItem { ref product { ref } } } }
    }
  }
}
"""
LIST_STORE_FULFILMENTS = """
query ListStoreFulfilments($location: String!, $status: [String]) {
  fulfilments(fromLocation: { ref: $location }, status: $status, first: 50) {
    edges { node { id ref status order { ref } } }
  }
}
"""
UPDATE_FULFILMENT = """
mutation UpdateFulfilment($input: UpdateFulfilmentInput) {
  updateFulfilment(input: $input) {
    id status
    attributes { name value }
    items(first: 50) {
      edges { node { id status requestedQuantity filledQuantity rejectedQuantity } }
    }
  }
}
"""
GET_ORDER_FULFILMENTS = """
query GetOrderFulfilments($ref: String!, $status: [String]) {
  order(ref: $ref) {
    ref
    fulfilments(status: $status, first: 10) { edges { node { ref status } } }
  }
}
"""

# -- Locations --------------------------------------------------------------------

CREATE_LOCATION = """
mutation CreateLocation($input: CreateLocationInput) {
  createLocation(input: $input) {
    id ref type status name
    primaryAddress { ... on StoreAddress { id ref city latitude longitude } }
    openingSchedule { id allHours monStart monEnd }
  }
}
"""
GET_LOCATION_BY_REF = """
query GetLocationByRef($ref: String!) {
  location(ref: $ref) {
    id ref type status name supportPhoneNumber
    retailer { id }
    primaryAddress {
      __typename street city state postcode country latitude longitude timeZone
    }
    openingSchedule { allHours monStart monEnd satStart satEnd sunStart sunEnd }
  }
}
"""
LIST_LOCATIONS = """
query ListLocations($type: [String], $status: [String]) {
  locations(type: $type, status: $status, first: 100) {
    edges { node { ref name type status } }
  }
}
"""
UPDATE_LOCATION = """
mutation UpdateLocation($input: UpdateLocationInput) {
  updateLocation(input: $input) {
    id ref name status
    primaryAddress { ... on StoreAddress { street directions } }
  }
}
"""

# -- Inventory -------------------------------------------------------------------

CREATE_INVENTORY_POSITION = """
mutation CreateInventoryPosition($input: CreateInventoryPositionInput) {
  createInventoryPosition(input: $input) {
    id ref status productRef locationRef onHand catalogue { ref }
  }
}
"""
CREATE_INVENTORY_QUANTITY = """
mutation CreateInventoryQuantity($input: CreateInventoryQuantityInput) {
  createInventoryQuantity(input: $input) {
    id ref type status quantity position { ref }
  }
}
"""
GET_INVENTORY_POSITIONS = """
query GetInventoryPositions($products: [String!], $locations: [String],
                            $catalogue: InventoryCatalogueKey) {
  inventoryPositions(productRef: $products, locationRef: $locations,
                     catalogue: $catalogue, first: 100) {
    edges { node {
      ref productRef locationRef onHand status
      quantities(first: 20) { edges { node { ref type quantity status } } }
    } }
  }
}
"""
GET_INVENTORY_POSITION = """
query GetInventoryPosition($ref: String!, $catalogue: InventoryCatalogueKey!) {
  inventoryPosition(ref: $ref, catalogue: $catalogue) {
    ref productRef locationRef onHand
    catalogue { ref type }
  }
}
"""
UPDATE_INVENTORY_POSITION = """
mutation UpdateInventoryPosition($input: UpdateInventoryPositionInput) {
  updateInventoryPosition(input: $input) { ref onHand status updatedOn }
}
"""
UPDATE_INVENTORY_QUANTITY = """
mutation UpdateInventoryQuantity($input: UpdateInventoryQuantityInput) {
  updateInventoryQuantity(input: $input) { ref quantity status }
}
"""
LIST_INVENTORY_QUANTITIES = """
query ListInventoryQuantities($type: [String!], $catalogue: InventoryCatalogueKey) {
  inventoryQuantities(type: $type, catalogue: $catalogue, first: 100) {
    edges { node { ref type quantity position { ref locationRef } } }
  }
}
"""

# -- Settings ---------------------------------------------------------------------

GET_SETTINGS = """
query GetSettings($names: [String], $context: [String!], $contextId: [Int!]) {
  settings(name: $names, context: $context, contextId: $contextId, first: 10) {
    edges { node { id name value lobValue context contextId } }
    pageInfo { hasNextPage }
  }
}
"""
GET_SETTING = """
query GetSetting($id: ID) { setting(id: $id) { id name value } }
"""

# Every module constant above that holds a query or a mutation.
DOCUMENTS = {
    name: value
    for name, value in dict(globals()).items()
    if name.isupper()
    and isinstance(value, str)
    and value.lstrip().startswith(("q", "m"))
}

INVENTORY_CATALOGUE = {"ref": "DEFAULT:1"}


# -- Helpers ---------------------------------------------------------------------


def run(client: FluentClient, document: str, **variables: Any) -> Any:
    """Validate ``document`` against the bundled schema, then run it."""
    validate_query(document)
    return client.graphql(document, variables)


def new_ref(prefix: str) -> str:
    """A ref no other operation of the test uses."""
    return f"{prefix}-{uuid.uuid4().hex[:8].upper()}"


def edges(connection: Any) -> list[Any]:
    """The nodes of a connection."""
    return [edge["node"] for edge in connection["edges"]]


@dataclass
class Shop:
    """What every operation needs: products, a customer, a store."""

    client: FluentClient
    products: list[str]
    customer_id: str
    customer_ref: str
    store_ref: str
    store_address_id: str

    def order(self, **overrides: Any) -> Any:
        """Create a home delivery order of the two products."""
        values: dict[str, Any] = {
            "ref": new_ref("HD"),
            "type": "HD",
            "retailer": {"id": "1"},
            "customer": {"id": self.customer_id},
            "totalPrice": 35.0,
            "totalTaxPrice": 3.5,
            "items": [
                {
                    "ref": f"{self.products[0]}-L1",
                    "productRef": self.products[0],
                    "quantity": 2,
                    "price": 7.5,
                    "paidPrice": 7.5,
                    "totalPrice": 15.0,
                    "currency": "AUD",
                },
                {
                    "ref": f"{self.products[1]}-L2",
                    "productRef": self.products[1],
                    "quantity": 1,
                    "price": 20.0,
                    "paidPrice": 20.0,
                    "totalPrice": 20.0,
                    "currency": "AUD",
                },
            ],
            "fulfilmentChoice": {
                "deliveryType": "STANDARD",
                "deliveryInstruction": "Leave at the door",
                "currency": "AUD",
                "fulfilmentPrice": 0.0,
                "deliveryAddress": {
                    "ref": new_ref("ADDR"),
                    "name": "Ada Lovelace",
                    "street": "12 Collins St",
                    "city": "Melbourne",
                    "state": "VIC",
                    "postcode": "3000",
                    "country": "AU",
                },
            },
        }
        values.update(overrides)
        return run(self.client, CREATE_ORDER, input=values)["createOrder"]

    def fulfilment(self, order: Any, **overrides: Any) -> Any:
        """Create a fulfilment of all the order's items, from the store."""
        values: dict[str, Any] = {
            "ref": new_ref("F"),
            "type": "HD_PFS",
            "order": {"id": order["id"]},
            "deliveryType": "STANDARD",
            "fromAddress": {"id": self.store_address_id},
            "items": [
                {
                    "ref": f"{item['ref']}-F",
                    "orderItem": {"id": item["id"]},
                    "requestedQuantity": item["quantity"],
                    "filledQuantity": 0,
                    "rejectedQuantity": 0,
                }
                for item in edges(order["items"])
            ],
        }
        values.update(overrides)
        return run(self.client, CREATE_FULFILMENT, input=values)["createFulfilment"]

    def position(self, product_ref: str, location_ref: str, on_hand: int) -> Any:
        """Create an inventory position in the default catalogue."""
        values = {
            "ref": f"{product_ref}:{location_ref}",
            "catalogue": INVENTORY_CATALOGUE,
            "type": "DEFAULT",
            "productRef": product_ref,
            "locationRef": location_ref,
            "onHand": on_hand,
        }
        created = run(self.client, CREATE_INVENTORY_POSITION, input=values)
        return created["createInventoryPosition"]

    def quantity(self, position_ref: str, kind: str, quantity: int) -> Any:
        """Create an inventory quantity of a position."""
        values = {
            "ref": f"{position_ref}:{kind}",
            "catalogue": INVENTORY_CATALOGUE,
            "position": {"ref": position_ref, "catalogue": INVENTORY_CATALOGUE},
            "type": kind,
            "quantity": quantity,
        }
        created = run(self.client, CREATE_INVENTORY_QUANTITY, input=values)
        return created["createInventoryQuantity"]


def store_input(ref: str, name: str, **overrides: Any) -> dict[str, Any]:
    """A CreateLocationInput for a store open 9 to 5 on weekdays."""
    schedule: dict[str, Any] = {"allHours": False}
    for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"):
        weekend = day in ("sat", "sun")
        schedule[f"{day}Start"] = 0 if weekend else 900
        schedule[f"{day}End"] = 0 if weekend else 1700
    values: dict[str, Any] = {
        "ref": ref,
        "type": "STORE",
        "name": name,
        "retailer": {"id": "1"},
        "supportPhoneNumber": "+61 2 9000 0000",
        "primaryAddress": {
            "ref": f"{ref}-ADDR",
            "street": "1 George St",
            "city": "Sydney",
            "state": "NSW",
            "postcode": "2000",
            "country": "AU",
            "latitude": -33.8688,
            "longitude": 151.2093,
            "timeZone": "Australia/Sydney",
        },
        "openingSchedule": schedule,
    }
    values.update(overrides)
    return values


@pytest.fixture
def shop(fluent_client: FluentClient, fluent_emulator: EmulatorServer) -> Shop:
    """Two products, a customer and a store in a fresh emulator."""
    catalogue = {"ref": fluent_emulator.emulator.catalogue_ref}
    products = []
    for ref, name in (("EARL-GREY", "Earl Grey Tea"), ("TEAPOT", "Teapot")):
        product = {
            "ref": ref,
            "catalogue": catalogue,
            "type": "STANDARD",
            "gtin": "9300633603140",
            "name": name,
        }
        run(fluent_client, CREATE_PRODUCT, input=product)
        products.append(ref)
    customer = run(
        fluent_client,
        CREATE_CUSTOMER,
        input={
            "username": "ada@example.com",
            "firstName": "Ada",
            "lastName": "Lovelace",
            "primaryEmail": "ada@example.com",
            "timezone": "Australia/Melbourne",
            "promotionOptIn": False,
            "retailer": {"id": fluent_emulator.emulator.retailer_id},
        },
    )["createCustomer"]
    store = run(fluent_client, CREATE_LOCATION, input=store_input("SYD01", "Sydney"))
    return Shop(
        client=fluent_client,
        products=products,
        customer_id=customer["id"],
        customer_ref=customer["ref"],
        store_ref="SYD01",
        store_address_id=store["createLocation"]["primaryAddress"]["id"],
    )


# -- Tests ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_every_document_is_valid_against_the_bundled_schema(name: str) -> None:
    """Each typical operation validates locally, with one named operation."""
    document = validate_query(DOCUMENTS[name])

    assert len(document.definitions) == 1


def test_there_are_at_least_twenty_five_typical_operations() -> None:
    """The collection covers at least 25 distinct operations."""
    assert len(DOCUMENTS) >= 25


def test_create_a_home_delivery_order_with_items_and_a_delivery_address(
    shop: Shop,
) -> None:
    """An HD order is CREATED with its items and the address to deliver to."""
    order = shop.order()

    assert (order["type"], order["status"], order["workflowRef"]) == (
        "HD",
        "CREATED",
        "ORDER::HD",
    )
    assert order["workflowVersion"] == 1
    assert order["customer"] == {"id": shop.customer_id}
    assert [(i["product"]["ref"], i["quantity"]) for i in edges(order["items"])] == [
        ("EARL-GREY", 2),
        ("TEAPOT", 1),
    ]
    address = order["fulfilmentChoice"]["deliveryAddress"]
    assert (address["city"], address["postcode"]) == ("Melbourne", "3000")


def test_create_a_click_and_collect_order_for_pickup_at_a_store(shop: Shop) -> None:
    """A CC order names the store the customer collects from."""
    order = shop.order(
        ref=new_ref("CC"),
        type="CC",
        fulfilmentChoice={
            "deliveryType": "STANDARD",
            "fulfilmentType": "CC_PFS",
            "pickupLocationRef": shop.store_ref,
        },
    )

    assert (order["type"], order["workflowRef"]) == ("CC", "ORDER::CC")
    assert order["fulfilmentChoice"] == {
        "deliveryType": "STANDARD",
        "fulfilmentType": "CC_PFS",
        "pickupLocationRef": "SYD01",
        "deliveryAddress": None,
    }


def test_create_an_order_and_customer_for_a_first_time_shopper(shop: Shop) -> None:
    """No customer by that e-mail yet, so the order creates one."""
    email = "grace@example.com"
    before = run(shop.client, FIND_CUSTOMER, ref=email)["customer"]
    order_ref = new_ref("HD")

    created = run(
        shop.client,
        CREATE_ORDER_AND_CUSTOMER,
        input={
            "ref": order_ref,
            "type": "HD",
            "retailer": {"id": "1"},
            "customer": {
                "username": email,
                "firstName": "Grace",
                "primaryEmail": email,
                "timezone": "UTC",
                "promotionOptIn": True,
                "retailer": {"id": "1"},
            },
            "items": [{"ref": "L1", "productRef": "TEAPOT", "quantity": 1}],
            "fulfilmentChoice": {"deliveryType": "EXPRESS"},
        },
    )["createOrderAndCustomer"]
    after = run(shop.client, FIND_CUSTOMER, ref=email)["customer"]

    assert before is None
    assert (created["ref"], created["status"]) == (order_ref, "CREATED")
    assert created["customer"]["firstName"] == "Grace"
    assert created["customerLink"] == {"ref": email}
    assert after == {"id": created["customer"]["id"], "ref": email}


def test_get_an_order_by_ref_with_items_delivery_address_and_customer(
    shop: Shop,
) -> None:
    """The deep read of one order, as connectors do after a webhook."""
    made = shop.order(
        attributes=[{"name": "channel", "type": "STRING", "value": "web"}]
    )

    order = run(shop.client, GET_ORDER_BY_REF, ref=made["ref"])["order"]

    assert order["id"] == made["id"]
    assert (order["totalPrice"], order["totalTaxPrice"]) == (35.0, 3.5)
    assert order["attributes"] == [
        {"name": "channel", "type": "STRING", "value": "web"}
    ]
    assert order["retailer"] == {"id": "1", "ref": "EMULATOR-RETAILER"}
    assert order["customer"]["primaryEmail"] == "ada@example.com"
    choice = order["fulfilmentChoice"]
    assert choice["deliveryInstruction"] == "Leave at the door"
    assert choice["deliveryAddress"]["__typename"] == "CustomerAddress"
    assert choice["deliveryAddress"]["street"] == "12 Collins St"
    products = [item["product"] for item in edges(order["items"])]
    assert products[0] == {
        "__typename": "StandardProduct",
        "ref": "EARL-GREY",
        "name": "Earl Grey Tea",
        "gtin": "9300633603140",
    }


def test_get_an_order_by_id_with_its_fulfilments_and_their_items(shop: Shop) -> None:
    """``orderById`` reaches the fulfilments and what each one ships."""
    order = shop.order()
    fulfilment = shop.fulfilment(order)

    found = run(shop.client, GET_ORDER_BY_ID, id=order["id"])["orderById"]

    [only] = edges(found["fulfilments"])
    assert (only["ref"], only["status"], only["fromLocation"]) == (
        fulfilment["ref"],
        "CREATED",
        {"ref": "SYD01"},
    )
    assert [
        (item["orderItem"]["ref"], item["requestedQuantity"])
        for item in edges(only["items"])
    ] == [("EARL-GREY-L1", 2), ("TEAPOT-L2", 1)]


def test_list_orders_in_a_status(shop: Shop) -> None:
    """Orders in BOOKED only, after one of two was booked."""
    booked, waiting = shop.order(), shop.order()
    run(
        shop.client, UPDATE_ORDER_STATUS, input={"id": booked["id"], "status": "BOOKED"}
    )

    found = run(shop.client, LIST_ORDERS_BY_STATUS, status=["BOOKED"], first=50)

    assert [o["ref"] for o in edges(found["orders"])] == [booked["ref"]]
    assert waiting["ref"] not in [o["ref"] for o in edges(found["orders"])]


def test_poll_the_orders_updated_since_the_last_run(shop: Shop) -> None:
    """The poller's query: only orders changed after the last run's time."""
    untouched, changed = shop.order(), shop.order()
    last_run = datetime.fromisoformat(changed["createdOn"]) + timedelta(milliseconds=1)
    time.sleep(0.005)
    run(
        shop.client,
        UPDATE_ORDER_STATUS,
        input={"id": changed["id"], "status": "PICKED"},
    )

    found = run(
        shop.client, GET_ORDERS_UPDATED_SINCE, since=last_run.isoformat(), first=100
    )["orders"]

    assert [(o["ref"], o["status"]) for o in edges(found)] == [
        (changed["ref"], "PICKED")
    ]
    assert untouched["ref"] not in [o["ref"] for o in edges(found)]


def test_page_through_all_orders_with_after_cursors(shop: Shop) -> None:
    """Following the last edge's cursor visits every order once, in order."""
    refs = [shop.order(ref=f"PAGE-{n}")["ref"] for n in range(7)]

    seen, pages, after = [], 0, None
    while True:
        page = run(shop.client, LIST_ORDERS_PAGE, type=["HD"], first=3, after=after)
        seen += [o["ref"] for o in edges(page["orders"])]
        pages += 1
        if not page["orders"]["pageInfo"]["hasNextPage"]:
            break
        after = page["orders"]["edges"][-1]["cursor"]

    assert seen == refs
    assert pages == 3


def test_list_a_customers_orders(shop: Shop) -> None:
    """``customerLink: {ref}`` finds the customer's orders only."""
    mine = shop.order()
    other = run(
        shop.client,
        CREATE_CUSTOMER,
        input={
            "username": "bob@example.com",
            "firstName": "Bob",
            "primaryEmail": "bob@example.com",
            "timezone": "UTC",
            "promotionOptIn": False,
            "retailer": {"id": "1"},
        },
    )["createCustomer"]
    shop.order(customer={"id": other["id"]})

    found = run(shop.client, LIST_CUSTOMER_ORDERS, customerRef=shop.customer_ref)

    assert edges(found["orders"]) == [
        {"ref": mine["ref"], "type": "HD", "customerLink": {"ref": "ada@example.com"}}
    ]


def test_list_an_orders_items_in_a_status(shop: Shop) -> None:
    """``items(status:)`` narrows an order's lines."""
    order = shop.order()
    teapot = edges(order["items"])[1]
    run(
        shop.client,
        UPDATE_ORDER_ITEMS,
        input={
            "id": order["id"],
            "items": [{"id": teapot["id"], "status": "CANCELLED"}],
        },
    )

    found = run(shop.client, GET_ORDER_ITEMS, ref=order["ref"], status=["CANCELLED"])

    assert edges(found["order"]["items"]) == [
        {"ref": "TEAPOT-L2", "status": "CANCELLED", "quantity": 1}
    ]


def test_update_an_orders_status_and_attributes(shop: Shop) -> None:
    """``updateOrder`` sets the status and merges attributes by name."""
    order = shop.order(attributes=[{"name": "gift", "type": "BOOLEAN", "value": False}])
    time.sleep(0.002)

    updated = run(
        shop.client,
        UPDATE_ORDER_STATUS,
        input={
            "id": order["id"],
            "status": "BOOKED",
            "attributes": [
                {"name": "gift", "type": "BOOLEAN", "value": True},
                {"name": "erpId", "type": "STRING", "value": "SO-1001"},
            ],
        },
    )["updateOrder"]

    assert updated["status"] == "BOOKED"
    assert updated["attributes"] == [
        {"name": "gift", "type": "BOOLEAN", "value": True},
        {"name": "erpId", "type": "STRING", "value": "SO-1001"},
    ]
    assert updated["updatedOn"] > order["createdOn"]


def test_update_an_order_items_quantity(shop: Shop) -> None:
    """``updateOrder`` with items changes those lines only."""
    order = shop.order()
    tea, teapot = edges(order["items"])

    updated = run(
        shop.client,
        UPDATE_ORDER_ITEMS,
        input={"id": order["id"], "items": [{"id": tea["id"], "quantity": 5}]},
    )["updateOrder"]

    assert [(i["ref"], i["quantity"]) for i in edges(updated["items"])] == [
        (tea["ref"], 5),
        (teapot["ref"], 1),
    ]


def test_create_a_fulfilment_from_a_store_for_an_order(shop: Shop) -> None:
    """A fulfilment ships the order's items from the store's address."""
    order = shop.order()

    fulfilment = shop.fulfilment(order)

    assert (fulfilment["status"], fulfilment["type"]) == ("CREATED", "HD_PFS")
    assert fulfilment["order"] == {"ref": order["ref"]}
    assert fulfilment["fromLocation"] == {"ref": "SYD01"}
    assert [i["orderItem"]["ref"] for i in edges(fulfilment["items"])] == [
        "EARL-GREY-L1",
        "TEAPOT-L2",
    ]


def test_get_a_fulfilment_by_id_with_its_items_and_order(shop: Shop) -> None:
    """``fulfilmentById`` with the order, addresses and items' products."""
    order = shop.order()
    delivery = run(shop.client, GET_ORDER_BY_REF, ref=order["ref"])["order"]
    made = shop.fulfilment(order)

    found = run(shop.client, GET_FULFILMENT_BY_ID, id=made["id"])["fulfilmentById"]

    assert found["order"] == {
        "ref": order["ref"],
        "status": "CREATED",
        "customer": {"primaryEmail": "ada@example.com"},
    }
    assert found["fromAddress"] == {
        "ref": "SYD01-ADDR",
        "city": "Sydney",
        "location": {"ref": "SYD01", "name": "Sydney"},
    }
    assert found["toAddress"] is None
    assert [i["orderItem"]["product"]["ref"] for i in edges(found["items"])] == [
        "EARL-GREY",
        "TEAPOT",
    ]
    assert delivery["fulfilmentChoice"]["deliveryType"] == found["deliveryType"]


def test_list_a_stores_fulfilments_waiting_to_be_picked(shop: Shop) -> None:
    """``fulfilments(fromLocation, status)``: the store's pick list."""
    order = shop.order()
    waiting = shop.fulfilment(order)
    picked = shop.fulfilment(order)
    run(shop.client, UPDATE_FULFILMENT, input={"id": picked["id"], "status": "PICKED"})
    shop.fulfilment(order, fromAddress=None)

    found = run(
        shop.client, LIST_STORE_FULFILMENTS, location="SYD01", status=["CREATED"]
    )

    assert edges(found["fulfilments"]) == [
        {
            "id": waiting["id"],
            "ref": waiting["ref"],
            "status": "CREATED",
            "order": {"ref": order["ref"]},
        }
    ]


def test_update_a_fulfilments_status_and_picked_quantities(shop: Shop) -> None:
    """The store reports what it picked and what it could not."""
    fulfilment = shop.fulfilment(shop.order())
    tea, teapot = edges(fulfilment["items"])

    updated = run(
        shop.client,
        UPDATE_FULFILMENT,
        input={
            "id": fulfilment["id"],
            "status": "PARTIALLY_PICKED",
            "attributes": [{"name": "picker", "type": "STRING", "value": "sam"}],
            "items": [
                {"id": tea["id"], "filledQuantity": 2, "status": "PICKED"},
                {
                    "id": teapot["id"],
                    "filledQuantity": 0,
                    "rejectedQuantity": 1,
                    "status": "REJECTED",
                },
            ],
        },
    )["updateFulfilment"]

    assert updated["status"] == "PARTIALLY_PICKED"
    assert updated["attributes"] == [{"name": "picker", "value": "sam"}]
    assert [
        (i["status"], i["filledQuantity"], i["rejectedQuantity"])
        for i in edges(updated["items"])
    ] == [("PICKED", 2, 0), ("REJECTED", 0, 1)]


def test_get_an_orders_fulfilments_in_a_status(shop: Shop) -> None:
    """``order.fulfilments(status:)`` lists only those in the status."""
    order = shop.order()
    first, second = shop.fulfilment(order), shop.fulfilment(order)
    run(
        shop.client, UPDATE_FULFILMENT, input={"id": second["id"], "status": "COMPLETE"}
    )

    found = run(
        shop.client, GET_ORDER_FULFILMENTS, ref=order["ref"], status=["COMPLETE"]
    )

    assert edges(found["order"]["fulfilments"]) == [
        {"ref": second["ref"], "status": "COMPLETE"}
    ]
    assert first["ref"] != second["ref"]


def test_create_a_store_location_with_its_address_and_opening_hours(
    shop: Shop,
) -> None:
    """A new store is ACTIVE, with its address and schedule."""
    created = run(
        shop.client, CREATE_LOCATION, input=store_input("MEL01", "Melbourne")
    )["createLocation"]

    assert (created["ref"], created["type"], created["status"]) == (
        "MEL01",
        "STORE",
        "ACTIVE",
    )
    assert created["primaryAddress"]["latitude"] == -33.8688
    assert created["openingSchedule"]["monStart"] == 900
    assert created["openingSchedule"]["allHours"] is False


def test_get_a_location_by_ref_with_its_address_and_opening_hours(
    shop: Shop,
) -> None:
    """The most common read in a Rubix plugin: ``location(ref:)``."""
    location = run(shop.client, GET_LOCATION_BY_REF, ref=shop.store_ref)["location"]

    assert (location["name"], location["supportPhoneNumber"]) == (
        "Sydney",
        "+61 2 9000 0000",
    )
    assert location["retailer"] == {"id": "1"}
    assert location["primaryAddress"]["__typename"] == "StoreAddress"
    assert location["primaryAddress"]["timeZone"] == "Australia/Sydney"
    assert location["openingSchedule"]["satEnd"] == 0


def test_list_the_active_stores(shop: Shop) -> None:
    """``locations(type, status)``: active stores, not the seeded warehouse."""
    closed = run(shop.client, CREATE_LOCATION, input=store_input("BNE01", "Brisbane"))
    run(
        shop.client,
        UPDATE_LOCATION,
        input={"id": closed["createLocation"]["id"], "status": "INACTIVE"},
    )

    found = run(shop.client, LIST_LOCATIONS, type=["STORE"], status=["ACTIVE"])

    assert edges(found["locations"]) == [
        {"ref": "SYD01", "name": "Sydney", "type": "STORE", "status": "ACTIVE"}
    ]


def test_update_a_locations_name_status_and_address(shop: Shop) -> None:
    """``updateLocation`` changes the store and its primary address."""
    location = run(shop.client, GET_LOCATION_BY_REF, ref=shop.store_ref)["location"]

    updated = run(
        shop.client,
        UPDATE_LOCATION,
        input={
            "id": location["id"],
            "name": "Sydney George St",
            "status": "INACTIVE",
            "primaryAddress": {
                "id": shop.store_address_id,
                "street": "2 George St",
                "directions": "Level 1",
            },
        },
    )["updateLocation"]

    assert (updated["ref"], updated["name"], updated["status"]) == (
        "SYD01",
        "Sydney George St",
        "INACTIVE",
    )
    assert updated["primaryAddress"] == {
        "street": "2 George St",
        "directions": "Level 1",
    }


def test_create_an_inventory_position_for_a_product_at_a_store(shop: Shop) -> None:
    """A position holds one product's stock at one location."""
    position = shop.position("EARL-GREY", shop.store_ref, 12)

    assert position["id"]
    assert (position["ref"], position["status"], position["onHand"]) == (
        "EARL-GREY:SYD01",
        "CREATED",
        12,
    )
    assert position["catalogue"] == INVENTORY_CATALOGUE


def test_create_inventory_quantities_of_a_position(shop: Shop) -> None:
    """On-hand and reserved stock are quantities of the position."""
    position = shop.position("EARL-GREY", shop.store_ref, 12)

    on_hand = shop.quantity(position["ref"], "LAST_ON_HAND", 12)
    reserved = shop.quantity(position["ref"], "RESERVED", 2)

    assert (on_hand["type"], on_hand["quantity"], on_hand["status"]) == (
        "LAST_ON_HAND",
        12,
        "CREATED",
    )
    assert reserved["position"] == {"ref": "EARL-GREY:SYD01"}


def test_get_inventory_positions_by_product_and_location_with_quantities(
    shop: Shop,
) -> None:
    """Stock of one product at one store, with its quantities."""
    run(shop.client, CREATE_LOCATION, input=store_input("MEL01", "Melbourne"))
    here = shop.position("EARL-GREY", shop.store_ref, 12)
    shop.position("EARL-GREY", "MEL01", 3)
    shop.position("TEAPOT", shop.store_ref, 1)
    shop.quantity(here["ref"], "LAST_ON_HAND", 12)
    shop.quantity(here["ref"], "RESERVED", 2)

    found = run(
        shop.client,
        GET_INVENTORY_POSITIONS,
        products=["EARL-GREY"],
        locations=[shop.store_ref],
        catalogue=INVENTORY_CATALOGUE,
    )["inventoryPositions"]

    [position] = edges(found)
    assert (position["ref"], position["onHand"]) == ("EARL-GREY:SYD01", 12)
    assert [(q["type"], q["quantity"]) for q in edges(position["quantities"])] == [
        ("LAST_ON_HAND", 12),
        ("RESERVED", 2),
    ]


def test_get_an_inventory_position_by_ref(shop: Shop) -> None:
    """``inventoryPosition(ref, catalogue)`` finds it in the default catalogue."""
    shop.position("TEAPOT", shop.store_ref, 4)

    found = run(
        shop.client,
        GET_INVENTORY_POSITION,
        ref="TEAPOT:SYD01",
        catalogue=INVENTORY_CATALOGUE,
    )["inventoryPosition"]

    assert found == {
        "ref": "TEAPOT:SYD01",
        "productRef": "TEAPOT",
        "locationRef": "SYD01",
        "onHand": 4,
        "catalogue": {"ref": "DEFAULT:1", "type": "DEFAULT"},
    }


def test_update_an_inventory_positions_on_hand_and_status(shop: Shop) -> None:
    """A stock count sets the position's on-hand figure."""
    position = shop.position("TEAPOT", shop.store_ref, 4)

    updated = run(
        shop.client,
        UPDATE_INVENTORY_POSITION,
        input={
            "ref": position["ref"],
            "catalogue": INVENTORY_CATALOGUE,
            "onHand": 9,
            "status": "ACTIVE",
        },
    )["updateInventoryPosition"]

    assert (updated["ref"], updated["onHand"], updated["status"]) == (
        "TEAPOT:SYD01",
        9,
        "ACTIVE",
    )


def test_update_an_inventory_quantity(shop: Shop) -> None:
    """A reservation's quantity changes by ref within the catalogue."""
    position = shop.position("TEAPOT", shop.store_ref, 4)
    reserved = shop.quantity(position["ref"], "RESERVED", 1)

    updated = run(
        shop.client,
        UPDATE_INVENTORY_QUANTITY,
        input={
            "ref": reserved["ref"],
            "catalogue": INVENTORY_CATALOGUE,
            "quantity": 3,
            "status": "ACTIVE",
        },
    )["updateInventoryQuantity"]

    assert updated == {
        "ref": "TEAPOT:SYD01:RESERVED",
        "quantity": 3,
        "status": "ACTIVE",
    }


def test_list_inventory_quantities_of_a_type(shop: Shop) -> None:
    """``inventoryQuantities(type:)``: every reservation, with its position."""
    tea = shop.position("EARL-GREY", shop.store_ref, 12)
    pot = shop.position("TEAPOT", shop.store_ref, 4)
    shop.quantity(tea["ref"], "RESERVED", 2)
    shop.quantity(tea["ref"], "LAST_ON_HAND", 12)
    shop.quantity(pot["ref"], "RESERVED", 1)

    found = run(
        shop.client,
        LIST_INVENTORY_QUANTITIES,
        type=["RESERVED"],
        catalogue=INVENTORY_CATALOGUE,
    )["inventoryQuantities"]

    assert [(q["ref"], q["quantity"]) for q in edges(found)] == [
        ("EARL-GREY:SYD01:RESERVED", 2),
        ("TEAPOT:SYD01:RESERVED", 1),
    ]
    assert edges(found)[0]["position"] == {
        "ref": "EARL-GREY:SYD01",
        "locationRef": "SYD01",
    }


def test_get_settings_by_name_answers_an_empty_page(shop: Shop) -> None:
    """Settings are not stored: an empty account has none."""
    found = run(
        shop.client,
        GET_SETTINGS,
        names=["fc.oms.order.cancel.reasons"],
        context=["RETAILER"],
        contextId=[1],
    )

    assert found == {
        "settings": {
            "edges": [],
            "pageInfo": {"hasNextPage": False},
        }
    }


def test_get_a_setting_by_id_is_null(shop: Shop) -> None:
    """``setting(id:)`` of an empty account answers null."""
    found = run(shop.client, GET_SETTING, id="1")

    assert found == {"setting": None}


def test_creating_an_order_twice_is_refused_as_a_duplicate_ref(shop: Shop) -> None:
    """A retried createOrder with the same ref raises C0121E, not a second order."""
    order = shop.order(ref="HD-RETRY")

    with pytest.raises(FluentValueRefusedError) as caught:
        shop.order(ref="HD-RETRY")
    found = run(shop.client, LIST_ORDERS_PAGE, type=["HD"], first=10)

    assert caught.value.code == "C0121E"
    assert [o["ref"] for o in edges(found["orders"])] == [order["ref"]]


def test_updating_an_unknown_order_raises_not_found(shop: Shop) -> None:
    """``updateOrder`` of an id that does not exist raises C0120E."""
    with pytest.raises(FluentEntityNotFoundError) as caught:
        run(shop.client, UPDATE_ORDER_STATUS, input={"id": "424242", "status": "X"})

    assert caught.value.code == "C0120E"
    assert "424242" in str(caught.value)
