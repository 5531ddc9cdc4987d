"""Locations: createLocation, updateLocation, location(s) and their addresses."""

from __future__ import annotations

import time
from typing import Any

import pytest

from .entities import (
    CREATE_LOCATION,
    UPDATE_LOCATION,
    create_location,
    create_order,
    location_input,
    nodes,
)
from .support import Api, unique

LOCATIONS = """
query Locations($ref: [String], $type: [String], $status: [String], $name: [String],
                $first: Int, $after: String) {
  locations(ref: $ref, type: $type, status: $status, name: $name, first: $first,
            after: $after) {
    edges { cursor node { ref } }
    pageInfo { hasNextPage }
  }
}
"""


def _refs(api: Api, **variables: Any) -> list[str]:
    return [n["ref"] for n in nodes(api.data(LOCATIONS, variables)["locations"])]


def test_create_location_stores_its_address_and_opening_schedule(api: Api) -> None:
    """A new location is ACTIVE, with a StoreAddress that links back to it."""
    fields = location_input(
        supportPhoneNumber="+61 2 9999 0000",
        defaultCarrier="AUSPOST",
        attributes=[{"name": "region", "type": "STRING", "value": "NSW"}],
    )

    made = api.data(CREATE_LOCATION, {"input": fields})["createLocation"]

    assert made["id"].isdigit()
    assert (made["ref"], made["type"], made["status"], made["name"]) == (
        fields["ref"],
        "STORE",
        "ACTIVE",
        "Sydney CBD",
    )
    assert (made["supportPhoneNumber"], made["defaultCarrier"]) == (
        "+61 2 9999 0000",
        "AUSPOST",
    )
    assert made["attributes"] == fields["attributes"]
    assert made["retailer"] == {"id": "1"}
    address = made["primaryAddress"]
    assert address["__typename"] == "StoreAddress"
    assert address["location"] == {"ref": fields["ref"]}
    assert {k: address[k] for k in fields["primaryAddress"]} == fields["primaryAddress"]
    schedule = made["openingSchedule"]
    assert schedule["id"]
    assert (schedule["allHours"], schedule["monStart"], schedule["sunEnd"]) == (
        False,
        900,
        1700,
    )


def test_location_is_found_by_ref_or_id(api: Api) -> None:
    """``location(ref)``, ``location(id)`` and ``locationById`` agree."""
    made = create_location(api)

    data = api.data(
        """query($id: ID!, $ref: String) {
          a: location(ref: $ref) { id } b: location(id: $id) { ref }
          c: locationById(id: $id) { ref } d: location { id }
          e: location(ref: "NO-SUCH-LOCATION") { id } }""",
        {"id": made["id"], "ref": made["ref"]},
    )

    assert data == {
        "a": {"id": made["id"]},
        "b": {"ref": made["ref"]},
        "c": {"ref": made["ref"]},
        "d": None,
        "e": None,
    }


def test_the_seeded_warehouse_is_a_location(api: Api) -> None:
    """The location every emulator starts with is listed too."""
    found = _refs(api, ref=["EMULATOR-WAREHOUSE"])

    assert found == ["EMULATOR-WAREHOUSE"]


def test_locations_filter_by_type_status_and_name(api: Api) -> None:
    """List filters match exactly and combine."""
    name = unique("Name")
    store = create_location(api, name=name)
    warehouse = create_location(api, name=name, type="WAREHOUSE")
    api.data(UPDATE_LOCATION, {"input": {"id": warehouse["id"], "status": "INACTIVE"}})

    assert _refs(api, name=[name]) == [store["ref"], warehouse["ref"]]
    assert _refs(api, name=[name], type=["WAREHOUSE"]) == [warehouse["ref"]]
    assert _refs(api, name=[name], status=["ACTIVE"]) == [store["ref"]]


def test_locations_page_by_cursor(api: Api) -> None:
    """Following ``after`` visits every matching location once."""
    name = unique("Name")
    refs = [create_location(api, name=name)["ref"] for _ in range(3)]

    seen: list[str] = []
    after = None
    while True:
        page = api.data(LOCATIONS, {"name": [name], "first": 2, "after": after})
        seen += [n["ref"] for n in nodes(page["locations"])]
        if not page["locations"]["pageInfo"]["hasNextPage"]:
            break
        after = page["locations"]["edges"][-1]["cursor"]

    assert seen == refs


def test_update_location_changes_given_fields_address_and_schedule(api: Api) -> None:
    """Left-out fields stay; the address and schedule change where given."""
    made = create_location(
        api, attributes=[{"name": "a", "type": "STRING", "value": 1}]
    )
    time.sleep(0.002)

    updated = api.data(
        UPDATE_LOCATION,
        {
            "input": {
                "id": made["id"],
                "name": "Sydney CBD (closed)",
                "status": "INACTIVE",
                "attributes": [{"name": "b", "type": "STRING", "value": 2}],
                "primaryAddress": {
                    "id": made["primaryAddress"]["id"],
                    "street": "2 George St",
                    "directions": "Next to the station",
                },
                "openingSchedule": {
                    "id": made["openingSchedule"]["id"],
                    "allHours": True,
                },
            }
        },
    )["updateLocation"]

    assert (updated["name"], updated["status"], updated["type"]) == (
        "Sydney CBD (closed)",
        "INACTIVE",
        "STORE",
    )
    assert [a["name"] for a in updated["attributes"]] == ["a", "b"]
    address = updated["primaryAddress"]
    assert (address["street"], address["directions"], address["city"]) == (
        "2 George St",
        "Next to the station",
        "Sydney",
    )
    assert address["updatedOn"] > made["primaryAddress"]["updatedOn"]
    schedule = updated["openingSchedule"]
    assert (schedule["id"], schedule["allHours"], schedule["monStart"]) == (
        made["openingSchedule"]["id"],
        True,
        900,
    )
    assert updated["updatedOn"] > made["updatedOn"]


def test_update_location_refuses_unknown_and_foreign_keys(api: Api) -> None:
    """C0120E for a missing location, another location's address or schedule."""
    one, other = create_location(api), create_location(api)
    cases = [
        {"id": "999999"},
        {"id": one["id"], "primaryAddress": {"id": other["primaryAddress"]["id"]}},
        {"id": one["id"], "openingSchedule": {"id": other["openingSchedule"]["id"]}},
        {"id": one["id"], "retailer": {"id": "99"}},
        {"id": one["id"], "networks": [{"id": "1"}]},
    ]

    errors = [api.error(UPDATE_LOCATION, {"input": case}) for case in cases]

    assert [e["extensions"]["code"] for e in errors] == ["C0120E"] * len(cases)
    assert errors[0]["message"] == "Location with id 999999 not found"


def test_a_taken_location_ref_is_c0123e(api: Api) -> None:
    """Location refs are unique across the account."""
    made = create_location(api)

    error = api.error(CREATE_LOCATION, {"input": location_input(ref=made["ref"])})

    assert error["extensions"] == {"code": "C0123E"}
    assert error["message"] == f"Location with ref {made['ref']} already exists"


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"retailer": {"id": "99"}}, "C0120E"),
        ({"networks": [{"id": "7"}]}, "C0120E"),
        ({"storageAreas": [{"ref": "BACK-ROOM", "type": "STOCK"}]}, "S9998E"),
        ({"type": "x" * 26}, "C0141E"),
        ({"ref": "x" * 101}, "C0141E"),
    ],
)
def test_create_location_refuses_what_it_cannot_store(
    api: Api, overrides: dict[str, Any], code: str
) -> None:
    """Unknown retailers and networks, storage areas and long values are refused."""
    fields = location_input(**overrides)

    error = api.error(CREATE_LOCATION, {"input": fields})

    assert error["extensions"] == {"code": code}
    assert _refs(api, ref=[fields["ref"]]) == []


def test_addresses_are_listed_by_their_type(api: Api) -> None:
    """Store and customer addresses are separate lists and look-ups."""
    location = create_location(api)
    order = create_order(api)
    delivery = order["fulfilmentChoice"]["deliveryAddress"]

    data = api.data(
        """query($s: ID!, $c: ID!, $sref: [String], $cref: [String]) {
          store: storeAddressById(id: $s) { ref location { ref } }
          notStore: storeAddressById(id: $c) { ref }
          customer: customerAddressById(id: $c) { ref }
          stores: storeAddresses(ref: $sref) { edges { node { ref } } }
          customers: customerAddresses(ref: $cref) { edges { node { ref } } }
          mixed: customerAddresses(ref: $sref) { edges { node { ref } } } }""",
        {
            "s": location["primaryAddress"]["id"],
            "c": delivery["id"],
            "sref": [location["primaryAddress"]["ref"]],
            "cref": [delivery["ref"]],
        },
    )

    assert data["store"] == {
        "ref": location["primaryAddress"]["ref"],
        "location": {"ref": location["ref"]},
    }
    assert data["notStore"] is None
    assert data["customer"] == {"ref": delivery["ref"]}
    assert nodes(data["stores"]) == [{"ref": location["primaryAddress"]["ref"]}]
    assert nodes(data["customers"]) == [{"ref": delivery["ref"]}]
    assert nodes(data["mixed"]) == []
