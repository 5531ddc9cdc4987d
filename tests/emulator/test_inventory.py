"""Inventory: the seeded catalogue, positions and quantities, their error codes."""

from __future__ import annotations

import time
from typing import Any

import pytest

from .entities import (
    CREATE_POSITION,
    CREATE_QUANTITY,
    INVENTORY_CATALOGUE,
    UPDATE_POSITION,
    UPDATE_QUANTITY,
    create_location,
    create_position,
    create_quantity,
    nodes,
)
from .support import Api, unique

POSITIONS = """
query Positions($product: [String!], $location: [String], $status: [String],
                $catalogue: InventoryCatalogueKey, $first: Int, $after: String) {
  inventoryPositions(productRef: $product, locationRef: $location, status: $status,
                     catalogue: $catalogue, first: $first, after: $after) {
    edges { cursor node {
      ref productRef locationRef onHand
      quantities { edges { node { ref type quantity } } }
    } }
    pageInfo { hasNextPage }
  }
}
"""


@pytest.fixture(scope="module")
def store_ref(api: Api) -> str:
    """A location for the module's positions."""
    return str(create_location(api)["ref"])


def test_the_default_inventory_catalogue_is_seeded(api: Api) -> None:
    """Every emulator has ``DEFAULT:1``, Fluent's name for retailer 1's catalogue."""
    data = api.data(
        """{ inventoryCatalogue(ref: "DEFAULT:1") {
             ref type status name workflowRef workflowVersion retailerRefs }
           inventoryCatalogues(ref: ["DEFAULT:1"]) { edges { node { ref } } } }"""
    )

    assert data["inventoryCatalogue"] == {
        "ref": "DEFAULT:1",
        "type": "DEFAULT",
        "status": "ACTIVE",
        "name": "Default inventory catalogue",
        "workflowRef": "INVENTORY_CATALOGUE::DEFAULT",
        "workflowVersion": 1,
        "retailerRefs": ["EMULATOR-RETAILER"],
    }
    assert nodes(data["inventoryCatalogues"]) == [{"ref": "DEFAULT:1"}]
    assert api.emulator.inventory_catalogue_ref == "DEFAULT:1"


def test_create_position_stores_it_in_the_catalogues_workflow(
    api: Api, store_ref: str
) -> None:
    """A new position is CREATED, in workflow ``INVENTORY_CATALOGUE::DEFAULT``."""
    made = create_position(
        api,
        store_ref,
        attributes=[{"name": "safetyStock", "type": "INTEGER", "value": 2}],
    )

    assert made["id"].isdigit()
    assert (made["status"], made["workflowRef"], made["workflowVersion"]) == (
        "CREATED",
        "INVENTORY_CATALOGUE::DEFAULT",
        1,
    )
    assert (made["locationRef"], made["onHand"], made["type"]) == (
        store_ref,
        10,
        "DEFAULT",
    )
    assert made["catalogue"] == INVENTORY_CATALOGUE
    assert made["attributes"] == [
        {"name": "safetyStock", "type": "INTEGER", "value": 2}
    ]


def test_a_position_is_found_by_ref_within_its_catalogue(
    api: Api, store_ref: str
) -> None:
    """``inventoryPosition(ref, catalogue)``; another catalogue finds nothing."""
    made = create_position(api, store_ref)
    query = """query($ref: String!, $c: InventoryCatalogueKey!) {
      inventoryPosition(ref: $ref, catalogue: $c) { id ref
        location { ref city } catalogue { ref } } }"""

    found = api.data(query, {"ref": made["ref"], "c": INVENTORY_CATALOGUE})
    elsewhere = api.data(query, {"ref": made["ref"], "c": {"ref": "DEFAULT:2"}})

    assert found["inventoryPosition"]["id"] == made["id"]
    assert found["inventoryPosition"]["location"]["city"] == "Sydney"
    assert elsewhere == {"inventoryPosition": None}


def test_positions_by_product_and_location_come_with_their_quantities(
    api: Api, store_ref: str
) -> None:
    """The stock question: a product at a location, and its quantities."""
    product = unique("SKU")
    other_store = create_location(api)["ref"]
    here = create_position(api, store_ref, productRef=product, onHand=7)
    create_position(api, other_store, productRef=product)
    create_position(api, store_ref)
    on_hand = create_quantity(api, here["ref"], quantity=7)
    reserved = create_quantity(api, here["ref"], type="RESERVED", quantity=-2)

    data = api.data(POSITIONS, {"product": [product], "location": [store_ref]})
    [position] = nodes(data["inventoryPositions"])
    both = api.data(POSITIONS, {"product": [product]})["inventoryPositions"]

    assert (position["ref"], position["onHand"]) == (here["ref"], 7)
    assert nodes(position["quantities"]) == [
        {"ref": on_hand["ref"], "type": "LAST_ON_HAND", "quantity": 7},
        {"ref": reserved["ref"], "type": "RESERVED", "quantity": -2},
    ]
    assert [n["locationRef"] for n in nodes(both)] == [store_ref, other_store]


def test_positions_page_by_cursor(api: Api, store_ref: str) -> None:
    """Following ``after`` visits every position of a product once."""
    product = unique("SKU")
    refs = [
        create_position(api, store_ref, productRef=product)["ref"] for _ in range(3)
    ]

    seen: list[str] = []
    after = None
    while True:
        page = api.data(POSITIONS, {"product": [product], "first": 2, "after": after})
        seen += [n["ref"] for n in nodes(page["inventoryPositions"])]
        if not page["inventoryPositions"]["pageInfo"]["hasNextPage"]:
            break
        after = page["inventoryPositions"]["edges"][-1]["cursor"]

    assert seen == refs


def test_positions_of_an_unknown_catalogue_are_empty(api: Api, store_ref: str) -> None:
    """A catalogue filter that names no catalogue matches nothing."""
    product = unique("SKU")
    create_position(api, store_ref, productRef=product)

    found = api.data(
        POSITIONS, {"product": [product], "catalogue": INVENTORY_CATALOGUE}
    )
    nothing = api.data(POSITIONS, {"product": [product], "catalogue": {"ref": "X"}})

    assert len(nodes(found["inventoryPositions"])) == 1
    assert nodes(nothing["inventoryPositions"]) == []


def test_quantities_are_found_by_ref_and_filtered(api: Api, store_ref: str) -> None:
    """``inventoryQuantity`` by ref; ``inventoryQuantities`` by type and quantity."""
    position = create_position(api, store_ref)
    made = create_quantity(
        api,
        position["ref"],
        type="ON_ORDER",
        quantity=5,
        expectedOn="2030-01-02T03:04:05Z",
        storageAreaRef="BACK",
        condition="NEW",
    )
    query = """query($ref: String!, $refs: [String!], $c: InventoryCatalogueKey!) {
      one: inventoryQuantity(ref: $ref, catalogue: $c) {
        ref quantity expectedOn storageAreaRef condition position { ref } }
      byType: inventoryQuantities(ref: $refs, type: ["ON_ORDER"], catalogue: $c) {
        edges { node { ref } } }
      byOtherType: inventoryQuantities(ref: $refs, type: ["SALE"]) {
        edges { node { ref } } }
      expected: inventoryQuantities(
        ref: $refs, expectedOn: {to: "2030-01-01T00:00:00Z"}
      ) { edges { node { ref } } } }"""

    data = api.data(
        query, {"ref": made["ref"], "refs": [made["ref"]], "c": INVENTORY_CATALOGUE}
    )

    assert data["one"] == {
        "ref": made["ref"],
        "quantity": 5,
        "expectedOn": "2030-01-02T03:04:05.000Z",
        "storageAreaRef": "BACK",
        "condition": "NEW",
        "position": {"ref": position["ref"]},
    }
    assert nodes(data["byType"]) == [{"ref": made["ref"]}]
    assert nodes(data["byOtherType"]) == nodes(data["expected"]) == []


def test_update_position_changes_on_hand_status_and_attributes(
    api: Api, store_ref: str
) -> None:
    """Given fields change; attributes merge; updatedOn moves."""
    made = create_position(
        api, store_ref, attributes=[{"name": "a", "type": "STRING", "value": "1"}]
    )
    time.sleep(0.002)

    updated = api.data(
        UPDATE_POSITION,
        {
            "input": {
                "ref": made["ref"],
                "catalogue": INVENTORY_CATALOGUE,
                "onHand": 3,
                "status": "ACTIVE",
                "attributes": [{"name": "b", "type": "STRING", "value": "2"}],
            }
        },
    )["updateInventoryPosition"]

    assert (updated["onHand"], updated["status"], updated["productRef"]) == (
        3,
        "ACTIVE",
        made["productRef"],
    )
    assert [a["name"] for a in updated["attributes"]] == ["a", "b"]
    assert updated["updatedOn"] > made["updatedOn"]


def test_update_quantity_changes_its_quantity_and_status(
    api: Api, store_ref: str
) -> None:
    """A quantity is changed by catalogue and ref."""
    position = create_position(api, store_ref)
    made = create_quantity(api, position["ref"])

    updated = api.data(
        UPDATE_QUANTITY,
        {
            "input": {
                "ref": made["ref"],
                "catalogue": INVENTORY_CATALOGUE,
                "quantity": 4,
                "status": "ACTIVE",
            }
        },
    )["updateInventoryQuantity"]

    assert (updated["quantity"], updated["status"], updated["type"]) == (
        4,
        "ACTIVE",
        "LAST_ON_HAND",
    )


def test_inventory_mutations_refuse_unknown_references(
    api: Api, store_ref: str
) -> None:
    """Unknown catalogues, locations, positions and quantities are C0120E."""
    position = create_position(api, store_ref)
    unknown = {"ref": "NO-SUCH-CATALOGUE"}
    cases: list[tuple[str, dict[str, Any]]] = [
        (
            CREATE_POSITION,
            {
                "ref": unique("P"),
                "catalogue": unknown,
                "type": "DEFAULT",
                "productRef": "SKU",
                "locationRef": store_ref,
            },
        ),
        (
            CREATE_POSITION,
            {
                "ref": unique("P"),
                "catalogue": INVENTORY_CATALOGUE,
                "type": "DEFAULT",
                "productRef": "SKU",
                "locationRef": "NO-SUCH-LOCATION",
            },
        ),
        (UPDATE_POSITION, {"ref": "NO-SUCH", "catalogue": INVENTORY_CATALOGUE}),
        (UPDATE_POSITION, {"ref": position["ref"], "catalogue": unknown}),
        (
            CREATE_QUANTITY,
            {
                "ref": unique("Q"),
                "catalogue": INVENTORY_CATALOGUE,
                "position": {"ref": "NO-SUCH", "catalogue": INVENTORY_CATALOGUE},
                "type": "LAST_ON_HAND",
                "quantity": 1,
            },
        ),
        (UPDATE_QUANTITY, {"ref": "NO-SUCH", "catalogue": INVENTORY_CATALOGUE}),
    ]

    errors = [api.error(query, {"input": values}) for query, values in cases]

    assert [e["extensions"]["code"] for e in errors] == ["C0120E"] * len(cases)
    assert (
        errors[0]["message"]
        == "InventoryCatalogue with ref NO-SUCH-CATALOGUE not found"
    )


def test_a_taken_position_or_quantity_ref_is_c0123e(api: Api, store_ref: str) -> None:
    """Refs are unique within the catalogue."""
    position = create_position(api, store_ref)
    quantity = create_quantity(api, position["ref"])
    position_again = {
        "ref": position["ref"],
        "catalogue": INVENTORY_CATALOGUE,
        "type": "DEFAULT",
        "productRef": "SKU",
        "locationRef": store_ref,
    }
    quantity_again = {
        "ref": quantity["ref"],
        "catalogue": INVENTORY_CATALOGUE,
        "position": {"ref": position["ref"], "catalogue": INVENTORY_CATALOGUE},
        "type": "LAST_ON_HAND",
        "quantity": 1,
    }

    one = api.error(CREATE_POSITION, {"input": position_again})
    two = api.error(CREATE_QUANTITY, {"input": quantity_again})

    assert one["extensions"] == two["extensions"] == {"code": "C0123E"}


def test_linking_quantities_from_a_position_is_not_emulated(
    api: Api, store_ref: str
) -> None:
    """``quantities`` on a position input answers S9998E and stores nothing."""
    ref = unique("P")
    values = {
        "ref": ref,
        "catalogue": INVENTORY_CATALOGUE,
        "type": "DEFAULT",
        "productRef": "SKU",
        "locationRef": store_ref,
        "quantities": [{"ref": "Q", "catalogue": INVENTORY_CATALOGUE}],
    }

    error = api.error(CREATE_POSITION, {"input": values})
    found = api.data(
        "query($r: String!) { inventoryPosition(ref: $r, catalogue: "
        '{ref: "DEFAULT:1"}) { id } }',
        {"r": ref},
    )

    assert error["extensions"] == {"code": "S9998E"}
    assert found == {"inventoryPosition": None}


def test_a_too_long_position_type_is_c0141e(api: Api, store_ref: str) -> None:
    """The schema documents 50 characters for a position's type."""
    values = {
        "ref": unique("P"),
        "catalogue": INVENTORY_CATALOGUE,
        "type": "x" * 51,
        "productRef": "SKU",
        "locationRef": store_ref,
    }

    error = api.error(CREATE_POSITION, {"input": values})

    assert error["extensions"] == {"code": "C0141E"}


def test_a_catalogues_positions_and_a_positions_product(
    api: Api, store_ref: str
) -> None:
    """``InventoryCatalogue.inventoryPositions`` and ``InventoryPosition.product``."""
    product = api.create_product()
    made = create_position(api, store_ref, productRef=product["ref"])

    data = api.data(
        """query($p: [String!], $r: String!) {
          inventoryCatalogue(ref: "DEFAULT:1") {
            inventoryPositions(productRef: $p) { edges { node { ref } } } }
          inventoryPosition(ref: $r, catalogue: {ref: "DEFAULT:1"}) {
            product { __typename ref } } }""",
        {"p": [product["ref"]], "r": made["ref"]},
    )

    assert nodes(data["inventoryCatalogue"]["inventoryPositions"]) == [
        {"ref": made["ref"]}
    ]
    assert data["inventoryPosition"]["product"] == {
        "__typename": "StandardProduct",
        "ref": product["ref"],
    }
