"""Helpers for the tests of orders, fulfilments, locations and inventory."""

from __future__ import annotations

from typing import Any

from .support import Api, input_mutation, unique

INVENTORY_CATALOGUE = {"ref": "DEFAULT:1"}

ADDRESS_FIELDS = """
    __typename id ref name companyName street street2 city state postcode region
    country email latitude longitude timeZone createdOn updatedOn
"""
ORDER_FIELDS = f"""
    id ref type status workflowRef workflowVersion createdOn updatedOn
    totalPrice totalTaxPrice
    attributes {{ name type value }}
    retailer {{ id }}
    customer {{ id username }}
    customerLink {{ ref }}
    payment {{ ref }}
    fulfilmentChoice {{
      id ref type status currency deliveryType deliveryInstruction fulfilmentType
      fulfilmentPrice fulfilmentTaxPrice pickupLocationRef
      deliveryAddress {{ {ADDRESS_FIELDS} }}
    }}
    items(first: 50) {{
      edges {{ node {{
        id ref status quantity paidPrice currency price taxPrice taxType totalPrice
        totalTaxPrice attributes {{ name type value }}
        product {{ __typename ref name }}
        fulfilmentChoice {{ ref }}
      }} }}
      pageInfo {{ hasNextPage }}
    }}
"""
CREATE_ORDER = input_mutation("createOrder", "CreateOrderInput", ORDER_FIELDS)
CREATE_ORDER_AND_CUSTOMER = input_mutation(
    "createOrderAndCustomer", "CreateOrderAndCustomerInput", ORDER_FIELDS
)
UPDATE_ORDER = input_mutation("updateOrder", "UpdateOrderInput", ORDER_FIELDS)
ORDER_BY_REF = f"""
query OrderByRef($ref: String) {{ order(ref: $ref) {{ {ORDER_FIELDS} }} }}
"""

LOCATION_FIELDS = f"""
    id ref type status name supportPhoneNumber defaultCarrier createdOn updatedOn
    attributes {{ name type value }}
    retailer {{ id }}
    primaryAddress {{
      {ADDRESS_FIELDS}
      ... on StoreAddress {{ directions location {{ ref }} }}
    }}
    openingSchedule {{ id allHours monStart monEnd sunStart sunEnd }}
"""
CREATE_LOCATION = input_mutation(
    "createLocation", "CreateLocationInput", LOCATION_FIELDS
)
UPDATE_LOCATION = input_mutation(
    "updateLocation", "UpdateLocationInput", LOCATION_FIELDS
)

FULFILMENT_FIELDS = """
    id ref type status workflowRef workflowVersion deliveryType eta expiryTime
    fulfilmentChoiceRef createdOn updatedOn
    attributes { name type value }
    order { id ref }
    user { id }
    fromLocation { ref }
    fromAddress { __typename id ref }
    toAddress { __typename id ref }
    items(first: 50) {
      edges { node {
        id ref status requestedQuantity filledQuantity rejectedQuantity
        orderItem { id ref }
        fulfilment { id }
      } }
    }
"""
CREATE_FULFILMENT = input_mutation(
    "createFulfilment", "CreateFulfilmentInput", FULFILMENT_FIELDS
)
UPDATE_FULFILMENT = input_mutation(
    "updateFulfilment", "UpdateFulfilmentInput", FULFILMENT_FIELDS
)

POSITION_FIELDS = """
    id ref type status workflowRef workflowVersion productRef locationRef onHand
    createdOn updatedOn
    attributes { name type value }
    catalogue { ref }
"""
QUANTITY_FIELDS = """
    id ref type status workflowRef workflowVersion quantity condition expectedOn
    storageAreaRef createdOn updatedOn
    attributes { name type value }
    catalogue { ref }
    position { ref }
"""
CREATE_POSITION = input_mutation(
    "createInventoryPosition", "CreateInventoryPositionInput", POSITION_FIELDS
)
UPDATE_POSITION = input_mutation(
    "updateInventoryPosition", "UpdateInventoryPositionInput", POSITION_FIELDS
)
CREATE_QUANTITY = input_mutation(
    "createInventoryQuantity", "CreateInventoryQuantityInput", QUANTITY_FIELDS
)
UPDATE_QUANTITY = input_mutation(
    "updateInventoryQuantity", "UpdateInventoryQuantityInput", QUANTITY_FIELDS
)


def opening_schedule(**overrides: Any) -> dict[str, Any]:
    """A CreateOpeningScheduleInput: 9 to 5 every day."""
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    values: dict[str, Any] = {"allHours": False}
    for day in days:
        values[f"{day}Start"] = 900
        values[f"{day}End"] = 1700
    values.update(overrides)
    return values


def location_input(**overrides: Any) -> dict[str, Any]:
    """A valid CreateLocationInput with a fresh ref."""
    ref = unique("LOC")
    values: dict[str, Any] = {
        "ref": ref,
        "type": "STORE",
        "name": "Sydney CBD",
        "retailer": {"id": "1"},
        "primaryAddress": {
            "ref": f"{ref}-ADDR",
            "name": "Sydney CBD",
            "street": "1 George St",
            "city": "Sydney",
            "state": "NSW",
            "postcode": "2000",
            "country": "AU",
            "latitude": -33.86,
            "longitude": 151.21,
            "timeZone": "Australia/Sydney",
        },
        "openingSchedule": opening_schedule(),
    }
    values.update(overrides)
    return values


def delivery_address(**overrides: Any) -> dict[str, Any]:
    """A CreateCustomerAddressInput."""
    values: dict[str, Any] = {
        "ref": unique("ADDR"),
        "name": "Ada Lovelace",
        "street": "10 Downing St",
        "city": "Melbourne",
        "state": "VIC",
        "postcode": "3000",
        "country": "AU",
    }
    values.update(overrides)
    return values


def order_input(customer_id: str, product_ref: str, **overrides: Any) -> dict[str, Any]:
    """A valid HD CreateOrderInput of one product, with a fresh ref."""
    values: dict[str, Any] = {
        "ref": unique("HD"),
        "type": "HD",
        "retailer": {"id": "1"},
        "customer": {"id": customer_id},
        "totalPrice": 15.0,
        "totalTaxPrice": 1.5,
        "items": [
            {
                "ref": f"{product_ref}-1",
                "productRef": product_ref,
                "quantity": 2,
                "price": 7.5,
                "paidPrice": 7.5,
                "totalPrice": 15.0,
                "currency": "AUD",
            }
        ],
        "fulfilmentChoice": {
            "deliveryType": "STANDARD",
            "deliveryAddress": delivery_address(),
        },
    }
    values.update(overrides)
    return values


def create_location(api: Api, **overrides: Any) -> Any:
    """Create a location and return it."""
    data = api.data(CREATE_LOCATION, {"input": location_input(**overrides)})
    return data["createLocation"]


def create_order(api: Api, **overrides: Any) -> Any:
    """Create an HD order of a new customer and a new product; return it."""
    customer = overrides.pop("customer_id", None) or api.create_customer()["id"]
    product = overrides.pop("product_ref", None) or api.create_product()["ref"]
    variables = {"input": order_input(customer, product, **overrides)}
    return api.data(CREATE_ORDER, variables)["createOrder"]


def create_fulfilment(api: Api, order: Any, **overrides: Any) -> Any:
    """Create a fulfilment of all of an order's items and return it."""
    items = [edge["node"] for edge in order["items"]["edges"]]
    values: dict[str, Any] = {
        "ref": unique("F"),
        "type": "HD_PFS",
        "order": {"id": order["id"]},
        "deliveryType": "STANDARD",
        "items": [
            {
                "ref": f"{item['ref']}-F",
                "orderItem": {"id": item["id"]},
                "requestedQuantity": item["quantity"],
                "filledQuantity": 0,
                "rejectedQuantity": 0,
            }
            for item in items
        ],
    }
    values.update(overrides)
    return api.data(CREATE_FULFILMENT, {"input": values})["createFulfilment"]


def create_position(api: Api, location_ref: str, **overrides: Any) -> Any:
    """Create an inventory position in the seeded catalogue and return it."""
    values: dict[str, Any] = {
        "ref": unique("POS"),
        "catalogue": INVENTORY_CATALOGUE,
        "type": "DEFAULT",
        "productRef": unique("SKU"),
        "locationRef": location_ref,
        "onHand": 10,
    }
    values.update(overrides)
    return api.data(CREATE_POSITION, {"input": values})["createInventoryPosition"]


def create_quantity(api: Api, position_ref: str, **overrides: Any) -> Any:
    """Create an inventory quantity of a position and return it."""
    values: dict[str, Any] = {
        "ref": unique("QTY"),
        "catalogue": INVENTORY_CATALOGUE,
        "position": {"ref": position_ref, "catalogue": INVENTORY_CATALOGUE},
        "type": "LAST_ON_HAND",
        "quantity": 10,
    }
    values.update(overrides)
    return api.data(CREATE_QUANTITY, {"input": values})["createInventoryQuantity"]


def nodes(connection: Any) -> list[Any]:
    """The nodes of a connection's edges."""
    return [edge["node"] for edge in connection["edges"]]
