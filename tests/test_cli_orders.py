"""`fluent-gql order|fulfilment|location|inventory|event` through the real entry
point, against the emulator over loopback."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from fluent_gql import FluentClient
from fluent_gql.emulator import EmulatorServer
from tests.conftest import Run

STORE_REF = "STORE-SYD"
CREATE_LOCATION = """
mutation CreateLocation($input: CreateLocationInput) {
  createLocation(input: $input) { id ref }
}
"""
CREATE_FULFILMENT = """
mutation CreateFulfilment($input: CreateFulfilmentInput) {
  createFulfilment(input: $input) { id ref }
}
"""
CREATE_POSITION = """
mutation CreatePosition($input: CreateInventoryPositionInput) {
  createInventoryPosition(input: $input) { id ref }
}
"""
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Shop:
    """What the `shop` fixture stored."""

    server: EmulatorServer
    customer_id: str
    hd_id: str
    cc_id: str
    fulfilment_id: str


def _item(ref: str, product_ref: str, quantity: int = 2) -> dict[str, Any]:
    return {
        "ref": ref,
        "product_ref": product_ref,
        "quantity": quantity,
        "price": 7.5,
        "currency": "AUD",
    }


def _store(client: FluentClient) -> None:
    schedule: dict[str, Any] = {"allHours": False}
    for day in DAYS:
        schedule |= {f"{day}Start": 900, f"{day}End": 1700}
    client.graphql(
        CREATE_LOCATION,
        {
            "input": {
                "ref": STORE_REF,
                "type": "STORE",
                "name": "Sydney CBD",
                "retailer": {"id": "1"},
                "openingSchedule": schedule,
                "primaryAddress": {
                    "ref": f"{STORE_REF}-ADDR",
                    "name": "Sydney CBD",
                    "street": "1 George St",
                    "city": "Sydney",
                    "postcode": "2000",
                    "country": "AU",
                    "latitude": -33.86,
                    "longitude": 151.21,
                },
            }
        },
    )


def _stock(client: FluentClient, catalogue: str) -> None:
    for ref, location, on_hand in (
        ("POS-1", STORE_REF, 10),
        ("POS-2", STORE_REF, 3),
        ("POS-3", "EMULATOR-WAREHOUSE", 50),
    ):
        product = "SKU-1" if ref != "POS-2" else "SKU-2"
        client.graphql(
            CREATE_POSITION,
            {
                "input": {
                    "ref": ref,
                    "catalogue": {"ref": catalogue},
                    "type": "DEFAULT",
                    "productRef": product,
                    "locationRef": location,
                    "onHand": on_hand,
                }
            },
        )


def _fulfil(client: FluentClient, order_id: str) -> str:
    order = client.order_by_id(order_id)
    assert order is not None and order.items is not None
    lines = [e.node for e in order.items.edges or [] if e and e.node]
    data = client.graphql(
        CREATE_FULFILMENT,
        {
            "input": {
                "ref": "F-1",
                "type": "HD_PFS",
                "order": {"id": order_id},
                "deliveryType": "EXPRESS",
                "fromAddress": {"id": _store_address_id(client)},
                "items": [
                    {
                        "ref": f"{line.ref}-F",
                        "orderItem": {"id": line.id},
                        "requestedQuantity": line.quantity,
                        "filledQuantity": 0,
                        "rejectedQuantity": 0,
                    }
                    for line in lines
                ],
            }
        },
    )
    return str(data["createFulfilment"]["id"])


def _store_address_id(client: FluentClient) -> str:
    store = client.location_by_ref(STORE_REF)
    assert store is not None and store.primary_address is not None
    return store.primary_address.id


@pytest.fixture
def shop(emulator_env: EmulatorServer, monkeypatch: pytest.MonkeyPatch) -> Shop:
    """A store, two products, an HD order (fulfilled from the store) and a CC
    order of one customer, and stock; tables 200 columns wide."""
    monkeypatch.setenv("COLUMNS", "200")
    emu = emulator_env.emulator
    with FluentClient(emulator_env.config()) as client:
        customer = client.create_customer(
            email="ada@example.com", first_name="Ada", last_name="Lovelace"
        ).create_customer
        assert customer is not None
        for ref in ("SKU-1", "SKU-2"):
            client.create_product(
                catalogue_ref=emu.catalogue_ref,
                ref=ref,
                name=f"Tea {ref}",
                gtin="9300633603140",
                price_currency="AUD",
                price_value=7.5,
            )
        _store(client)
        hd = client.create_order(
            ref="HD-1",
            type="HD",
            customer_id=customer.id,
            items=[_item("L1", "SKU-1"), _item("L2", "SKU-2", 1)],
            fulfilment_choice={
                "delivery_type": "STANDARD",
                "delivery_address": {"ref": "A1", "name": "Ada", "city": "Melbourne"},
            },
            total_price=22.5,
        ).create_order
        cc = client.create_order(
            ref="CC-1",
            type="CC",
            customer_id=customer.id,
            items=[_item("L1", "SKU-2", 1)],
            fulfilment_choice={
                "delivery_type": "STANDARD",
                "pickup_location_ref": STORE_REF,
            },
        ).create_order
        assert hd is not None and cc is not None
        fulfilment_id = _fulfil(client, hd.id)
        _stock(client, emu.inventory_catalogue_ref)
    return Shop(emulator_env, customer.id, hd.id, cc.id, fulfilment_id)


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings for a server that is not there (no retries): a command that
    sends anything fails with the transport status, 5, instead of its own."""
    for name, value in {
        "BASE_URL": "http://127.0.0.1:1",
        "USERNAME": "u",
        "PASSWORD": "p",
        "CLIENT_ID": "c",
        "CLIENT_SECRET": "s",
        "MAX_RETRIES": "0",
    }.items():
        monkeypatch.setenv(f"FLUENT_{name}", value)


def _json(run: Run, *args: str) -> Any:
    code, out, err = run(*args, "--json")
    assert code == 0, err
    return json.loads(out)


def _refs(run: Run, *args: str) -> list[str]:
    return [item["ref"] for item in _json(run, *args)]


# order get


def test_order_get_json_is_the_whole_order(run: Run, shop: Shop) -> None:
    """Items, fulfilment choice with its address, customer and fulfilments."""
    order = _json(run, "order", "get", "HD-1")

    assert (order["id"], order["ref"], order["type"]) == (shop.hd_id, "HD-1", "HD")
    assert order["status"] == "CREATED" and order["totalPrice"] == 22.5
    assert order["customer"]["primaryEmail"] == "ada@example.com"
    choice = order["fulfilmentChoice"]
    assert choice["deliveryType"] == "STANDARD"
    assert choice["deliveryAddress"]["city"] == "Melbourne"
    lines = [e["node"] for e in order["items"]["edges"]]
    assert [(i["ref"], i["product"]["ref"], i["quantity"]) for i in lines] == [
        ("L1", "SKU-1", 2),
        ("L2", "SKU-2", 1),
    ]
    [fulfilment] = [e["node"] for e in order["fulfilments"]["edges"]]
    assert (fulfilment["id"], fulfilment["ref"]) == (shop.fulfilment_id, "F-1")
    assert fulfilment["fromLocation"]["ref"] == STORE_REF


def test_order_get_by_id_finds_the_same_order(run: Run, shop: Shop) -> None:
    """--id ID reads the order REF names."""
    by_id = _json(run, "order", "get", "--id", shop.cc_id)

    assert by_id == _json(run, "order", "get", "CC-1")
    assert by_id["fulfilmentChoice"]["pickupLocationRef"] == STORE_REF


def test_order_get_prints_a_summary_with_items_and_fulfilments(
    run: Run, shop: Shop
) -> None:
    """The table shows the order's fields, then its items and fulfilments."""
    code, out, err = run("order", "get", "HD-1")

    assert code == 0, err
    assert "Order" in out and "HD-1" in out
    assert "fulfilmentChoice.deliveryAddress.city" in out and "Melbourne" in out
    assert "customer.primaryEmail" in out and "ada@example.com" in out
    assert "Items" in out and "Tea SKU-2" in out and "product.ref" in out
    assert "Fulfilments" in out and "F-1" in out and "EXPRESS" in out
    assert "totalTaxPrice" not in out  # empty fields are left out


def test_order_get_of_an_unknown_ref_or_id_exits_9(run: Run, shop: Shop) -> None:
    """No order: the not-found message on stderr, nothing on stdout, status 9."""
    code, out, err = run("order", "get", "NOPE", "--json")
    id_code, _, id_err = run("order", "get", "--id", "999")

    assert (code, id_code) == (9, 9)
    assert out == ""
    assert err == "Error: no order has the ref 'NOPE'\n"
    assert id_err == "Error: no order has the id '999'\n"


@pytest.mark.parametrize("args", [(), ("HD-1", "--id", "1")])
@pytest.mark.usefixtures("offline")
def test_order_get_needs_a_ref_or_an_id(run: Run, args: tuple[str, ...]) -> None:
    """Neither or both of REF and --id is a usage error, unsent."""
    code, out, err = run("order", "get", *args)

    assert code == 2
    assert "give the order's REF or --id ID" in err and out == ""


# order list


def test_order_list_filters_by_type_status_ref_and_customer(
    run: Run, shop: Shop
) -> None:
    """Each filter narrows the list; repeated values match any."""
    assert _refs(run, "order", "list") == ["HD-1", "CC-1"]
    assert _refs(run, "order", "list", "--type", "CC") == ["CC-1"]
    assert _refs(run, "order", "list", "--ref", "HD-1", "--ref", "X") == ["HD-1"]
    assert _refs(run, "order", "list", "--status", "CREATED", "--max", "1") == ["HD-1"]
    assert _refs(run, "order", "list", "--status", "BOOKED") == []
    assert _refs(run, "order", "list", "--customer-ref", "nobody@example.com") == []


def test_order_list_filters_by_time(run: Run, shop: Shop) -> None:
    """Windows on created and updated times; --updated-since polls."""
    assert _refs(run, "order", "list", "--created-to", "2000-01-01") == []
    assert len(_refs(run, "order", "list", "--updated-from", "2000-01-01")) == 2
    assert len(_refs(run, "order", "list", "--updated-since", "2000-01-01")) == 2
    assert _refs(run, "order", "list", "--updated-since", "2999-01-01T00:00Z") == []


def test_order_list_prints_a_table(run: Run, shop: Shop) -> None:
    """The table has the main columns and a row per order."""
    code, out, err = run("order", "list", "--page-size", "1")

    assert code == 0, err
    assert "customer.username" in out and "fulfilmentChoice.deliveryType" in out
    assert out.index("HD-1") < out.index("CC-1")
    assert "ada@example.com" in out


@pytest.mark.usefixtures("offline")
def test_updated_since_with_an_updated_window_is_a_usage_error(run: Run) -> None:
    """--updated-since and --updated-from are two ways to say one thing."""
    code, out, err = run(
        "order", "list", "--updated-since", "2020-01-01", "--updated-from", "2020-01-01"
    )

    assert code == 2
    assert "give --updated-since or --updated-from/--updated-to, not both" in err
    assert out == ""


# order create


def _write(tmp_path: Path, data: Any, name: str = "order.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


def test_order_create_makes_a_home_delivery_order(
    run: Run, shop: Shop, tmp_path: Path
) -> None:
    """An HD file: items, delivery address, attributes and prices reach Fluent."""
    path = _write(
        tmp_path,
        {
            "ref": "HD-2",
            "type": "HD",
            "customer_id": shop.customer_id,
            "items": [
                _item("L1", "SKU-1", 3),
                {"ref": "L2", "productRef": "SKU-2", "quantity": 1},
            ],
            "fulfilment_choice": {
                "delivery_type": "EXPRESS",
                "delivery_address": {"ref": "A2", "name": "Ada", "city": "Perth"},
            },
            "attributes": [{"name": "channel", "type": "STRING", "value": "web"}],
            "total_price": 30,
            "total_tax_price": 3,
        },
    )

    created = _json(run, "order", "create", str(path))

    found = _json(run, "order", "get", "HD-2")
    assert created["ref"] == "HD-2" and created["id"] == found["id"]
    assert created["customer"]["id"] == shop.customer_id
    assert created["fulfilmentChoice"]["deliveryAddress"]["city"] == "Perth"
    assert [e["node"]["quantity"] for e in found["items"]["edges"]] == [3, 1]
    assert found["attributes"] == [
        {"name": "channel", "type": "STRING", "value": "web"}
    ]
    assert (found["totalPrice"], found["totalTaxPrice"]) == (30.0, 3.0)


def test_order_create_reads_a_click_and_collect_file_from_stdin(
    run: Run, shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    """FILE '-' is stdin; a CC order is picked up at a location."""
    order = {
        "ref": "CC-2",
        "type": "CC",
        "customer_id": shop.customer_id,
        "retailer_id": 1,
        "items": [_item("L1", "SKU-1", 1)],
        "fulfilment_choice": {
            "delivery_type": "STANDARD",
            "pickup_location_ref": STORE_REF,
        },
    }
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(order)))

    code, out, err = run("order", "create", "-")

    assert code == 0, err
    assert "Created order" in out and "CC-2" in out
    found = _json(run, "order", "get", "CC-2")
    assert found["type"] == "CC"
    assert found["fulfilmentChoice"]["pickupLocationRef"] == STORE_REF
    assert found["retailer"]["id"] == "1"


def test_order_create_with_a_customer_creates_both(
    run: Run, shop: Shop, tmp_path: Path
) -> None:
    """ "customer" instead of "customer_id" creates the order and its customer."""
    path = _write(
        tmp_path,
        {
            "ref": "HD-3",
            "type": "HD",
            "customer": {"primary_email": "bo@example.com", "firstName": "Bo"},
            "items": [_item("L1", "SKU-1")],
        },
    )

    created = _json(run, "order", "create", str(path))

    assert created["ref"] == "HD-3"
    assert created["customer"]["primaryEmail"] == "bo@example.com"
    assert created["customer"]["id"] != shop.customer_id
    customer = _json(run, "customer", "get", "--email", "bo@example.com")
    assert customer["firstName"] == "Bo" and customer["username"] == "bo@example.com"


GOOD = {
    "ref": "BAD-1",
    "type": "HD",
    "customer_id": "1",
    "items": [_item("L1", "SKU-1")],
}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{ref: 1", "not valid JSON: Expecting property name enclosed in double"),
        ("[1, 2]", "must be a JSON object of create_order's arguments"),
        ('{"ref": NaN}', "not valid JSON: NaN is not a JSON number"),
        ({**GOOD, "customerId": "1"}, "unknown key 'customerId'; known: attributes"),
        (
            {
                **GOOD,
                "items": [
                    _item("L1", "SKU-1"),
                    {**_item("L2", "X"), "quantity": "two"},
                ],
            },
            "items[1].quantity: Input should be a valid integer",
        ),
        (
            {**GOOD, "items": [{**_item("L1", "S"), "sku": "S"}]},
            "items[0] has unknown field 'sku'",
        ),
        ({**GOOD, "items": []}, "an order needs at least one item"),
        ({k: v for k, v in GOOD.items() if k != "items"}, "items is required"),
        ({**GOOD, "ref": 7}, "ref must be a string, got a number"),
        (
            {**GOOD, "customer": {"primary_email": "x@example.com"}},
            "give customer_id (an existing customer) or customer (a new one), not both",
        ),
        (
            {
                **{k: v for k, v in GOOD.items() if k != "customer_id"},
                "customer": {
                    "primary_email": "x@example.com",
                    "promotionOptIn": "maybe",
                },
            },
            "customer.promotion_opt_in: Input should be a valid boolean",
        ),
        (
            {**GOOD, "fulfilment_choice": {"pickup_location_ref": "S"}},
            "fulfilment_choice.delivery_type: Field required",
        ),
        ({**GOOD, "total_price": "12"}, "total_price must be a number, got a string"),
        ({**GOOD, "attributes": [{"name": "a"}]}, "attributes[0].type"),
    ],
)
@pytest.mark.usefixtures("offline")
def test_a_malformed_order_file_exits_8_naming_the_field(
    run: Run, tmp_path: Path, content: Any, message: str
) -> None:
    """One line naming the file and the field; status 8, not 5: nothing sent."""
    path = _write(tmp_path, content)

    code, out, err = run("order", "create", str(path))

    assert code == 8
    assert out == ""
    assert err.startswith(f"Error: {path}: ") and message in err
    assert err.count("\n") == 1


def test_a_malformed_order_leaves_the_emulator_untouched(
    run: Run, shop: Shop, tmp_path: Path
) -> None:
    """A wrong items[1].quantity: status 8, no login, no new order."""
    logins = len(shop.server.emulator.token_requests)
    items = [_item("L1", "SKU-1"), {**_item("L2", "SKU-2"), "quantity": 1.5}]
    path = _write(tmp_path, {**GOOD, "customer_id": shop.customer_id, "items": items})

    code, out, err = run("order", "create", str(path))

    assert (code, out) == (8, "")
    assert "items[1].quantity: Input should be a valid integer" in err
    assert len(shop.server.emulator.token_requests) == logins
    assert _refs(run, "order", "list") == ["HD-1", "CC-1"]


@pytest.mark.usefixtures("offline")
def test_a_missing_order_file_is_a_usage_error(run: Run, tmp_path: Path) -> None:
    """A FILE that cannot be opened is click's usage error."""
    code, _, err = run("order", "create", str(tmp_path / "absent.json"))

    assert code == 2
    assert "absent.json" in err


# fulfilments


def test_fulfilment_list_filters_and_shows_items(run: Run, shop: Shop) -> None:
    """By order, status, location, delivery type, type and ref; items in JSON."""
    [fulfilment] = _json(run, "fulfilment", "list", "--order-id", shop.hd_id)

    assert fulfilment["id"] == shop.fulfilment_id
    assert fulfilment["order"]["ref"] == "HD-1"
    items = [e["node"] for e in fulfilment["items"]["edges"]]
    assert [(i["ref"], i["requestedQuantity"]) for i in items] == [
        ("L1-F", 2),
        ("L2-F", 1),
    ]
    assert _refs(run, "fulfilment", "list", "--order-id", shop.cc_id) == []
    assert _refs(run, "fulfilment", "list", "--from-location-ref", STORE_REF) == ["F-1"]
    assert _refs(run, "fulfilment", "list", "--delivery-type", "STANDARD") == []
    assert _refs(run, "fulfilment", "list", "--type", "HD_PFS", "--ref", "F-1") == [
        "F-1"
    ]
    assert _refs(run, "fulfilment", "list", "--status", "PICKED") == []


def test_fulfilment_list_table_and_get(run: Run, shop: Shop) -> None:
    """The list's table names the order and location; get shows the items."""
    code, table, _ = run("fulfilment", "list")
    get_code, shown, _ = run("fulfilment", "get", shop.fulfilment_id)
    found = _json(run, "fulfilment", "get", shop.fulfilment_id)

    assert (code, get_code) == (0, 0)
    assert "order.ref" in table and "HD-1" in table and STORE_REF in table
    assert "Fulfilment" in shown and "L2-F" in shown and "requestedQuantity" in shown
    assert found["ref"] == "F-1" and found["deliveryType"] == "EXPRESS"


def test_fulfilment_by_order_and_ref_is_a_usage_error_and_unknown_is_9(
    run: Run, shop: Shop
) -> None:
    """--order-id with --ref exits 2; an unknown fulfilment id exits 9."""
    code, _, err = run("fulfilment", "list", "--order-id", "1", "--ref", "F-1")
    missing, out, missing_err = run("fulfilment", "get", "999")

    assert code == 2 and "--ref cannot be combined with --order-id" in err
    assert missing == 9 and out == ""
    assert missing_err == "Error: no fulfilment has the id '999'\n"


# locations and inventory


def test_location_get_and_list(run: Run, shop: Shop) -> None:
    """A location by ref with its address; lists filtered by type, status, name."""
    store = _json(run, "location", "get", STORE_REF)
    code, table, _ = run("location", "get", STORE_REF)

    assert store["name"] == "Sydney CBD" and store["type"] == "STORE"
    assert store["primaryAddress"]["city"] == "Sydney"
    assert code == 0 and "primaryAddress.street" in table and "1 George St" in table
    assert _refs(run, "location", "list") == ["EMULATOR-WAREHOUSE", STORE_REF]
    assert _refs(run, "location", "list", "--type", "STORE") == [STORE_REF]
    assert _refs(run, "location", "list", "--name", "Emulator Warehouse") == [
        "EMULATOR-WAREHOUSE"
    ]
    assert _refs(run, "location", "list", "--ref", STORE_REF, "--status", "X") == []


def test_location_list_table_and_an_unknown_location(run: Run, shop: Shop) -> None:
    """The table shows the city; an unknown ref exits 9."""
    code, table, _ = run("location", "list")
    missing, out, err = run("location", "get", "NOWHERE", "--json")

    assert code == 0 and "primaryAddress.city" in table and "Sydney" in table
    assert (missing, out) == (9, "")
    assert err == "Error: no location has the ref 'NOWHERE'\n"


def test_inventory_list_filters_by_catalogue_product_and_location(
    run: Run, shop: Shop
) -> None:
    """Positions by catalogue, product and location; the table shows stock."""
    catalogue = shop.server.emulator.inventory_catalogue_ref
    positions = _json(run, "inventory", "list", "--catalogue-ref", catalogue)
    code, table, _ = run("inventory", "list", "--location-ref", STORE_REF)

    assert [(p["ref"], p["onHand"]) for p in positions] == [
        ("POS-1", 10),
        ("POS-2", 3),
        ("POS-3", 50),
    ]
    assert _refs(run, "inventory", "list", "--product-ref", "SKU-1") == [
        "POS-1",
        "POS-3",
    ]
    assert _refs(
        run, "inventory", "list", "--product-ref", "SKU-1", "--location-ref", STORE_REF
    ) == ["POS-1"]
    assert _refs(run, "inventory", "list", "--catalogue-ref", "NONE:9") == []
    assert code == 0 and "onHand" in table and "POS-2" in table
    assert "POS-3" not in table


# events


def test_event_send_queues_an_event_with_parsed_attributes(
    run: Run, shop: Shop
) -> None:
    """Async by default; --attribute values are JSON when they parse, else text."""
    shop.server.emulator.on_event("Note", lambda e: None)

    result = _json(
        run, "event", "send", "Note", "--entity-type", "ORDER", "--entity-ref",
        "HD-1", "--attribute", "reason=Customer request", "--attribute", "count=3",
        "--attribute", "urgent=true", "--attribute", 'tags=["a","b"]',
        "--attribute", 'code="007"', "--attribute", "nothing=null",
        "--attribute", "blank=",
    )  # fmt: skip

    [event] = [e for e in shop.server.emulator.events if e.name == "Note"]
    assert result["mode"] == "async"
    assert (event.entity_type, event.entity_ref, event.mode) == (
        "ORDER",
        "HD-1",
        "async",
    )
    assert event.root_entity_type == "ORDER" and event.root_entity_ref == "HD-1"
    assert event.attributes == {
        "reason": "Customer request",
        "count": 3,
        "urgent": True,
        "tags": ["a", "b"],
        "code": "007",
        "nothing": None,
        "blank": "",
    }


def test_event_send_sync_runs_the_workflow(run: Run, shop: Shop) -> None:
    """--sync waits for the ruleset: the order is CANCELLED, the event COMPLETE."""
    emu = shop.server.emulator
    emu.on_event(
        "CancelOrder", lambda e: emu.set_status("ORDER", "CANCELLED", ref=e.entity_ref)
    )

    result = _json(
        run, "event", "send", "CancelOrder", "--entity-type", "ORDER",
        "--entity-ref", "HD-1", "--entity-subtype", "HD", "--sync",
    )  # fmt: skip

    assert result["mode"] == "sync" and result["eventStatus"] == "COMPLETE"
    assert _json(run, "order", "get", "HD-1")["status"] == "CANCELLED"
    assert _json(run, "order", "get", "CC-1")["status"] == "CREATED"
    event = _json(run, "event", "get", result["eventId"])
    assert event["name"] == "CancelOrder" and event["eventStatus"] == "COMPLETE"
    assert event["context"]["entityRef"] == "HD-1"
    assert event["context"]["entitySubtype"] == "HD"


def test_event_send_prints_a_table(run: Run, shop: Shop) -> None:
    """Without --json the answer is a two-column table."""
    emu = shop.server.emulator
    emu.on_event("Ping", lambda e: None)

    code, out, err = run(
        "event", "send", "Ping", "--entity-type", "LOCATION", "--entity-ref",
        STORE_REF, "--sync",
    )  # fmt: skip

    assert code == 0, err
    assert "Event sent" in out and "eventStatus" in out and "COMPLETE" in out


def test_a_sync_event_no_ruleset_matches_exits_9(run: Run, shop: Shop) -> None:
    """No handler: a clear message naming the event and entity; status 9."""
    code, out, err = run(
        "event", "send", "CancelOrder", "--entity-type", "ORDER", "--entity-ref",
        "HD-1", "--sync",
    )  # fmt: skip

    assert code == 9
    assert out == ""
    assert err.startswith(
        "Error: no ruleset matched event 'CancelOrder' on ORDER 'HD-1' "
        "(nothing changed): "
    )
    assert "No workflow rule matched this event" in err
    assert _json(run, "order", "get", "HD-1")["status"] == "CREATED"


def test_a_failed_sync_event_exits_1_naming_the_event(run: Run, shop: Shop) -> None:
    """A ruleset that fails: the event id in the message, status 1."""

    def fail(event: Any) -> None:
        raise RuntimeError("boom")

    shop.server.emulator.on_event("Explode", fail)

    code, out, err = run(
        "event", "send", "Explode", "--entity-type", "ORDER", "--entity-ref", "HD-1",
        "--sync",
    )  # fmt: skip

    [event] = [e for e in shop.server.emulator.events if e.name == "Explode"]
    assert code == 1 and out == ""
    assert "the workflow ran event 'Explode' on ORDER 'HD-1' and it FAILED" in err
    assert f"fluent-gql event get {event.id}" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--attribute", "novalue"), "'novalue' is not NAME=VALUE"),
        (("--attribute", "=5"), "'=5' is not NAME=VALUE"),
        ((), "Missing option '--entity-type'"),
    ],
)
@pytest.mark.usefixtures("offline")
def test_bad_event_options_are_usage_errors(
    run: Run, args: tuple[str, ...], message: str
) -> None:
    """A malformed --attribute or no --entity-type exits 2, unsent."""
    entity = ("--entity-type", "ORDER") if args else ()

    code, out, err = run("event", "send", "E", "--entity-ref", "R", *entity, *args)

    assert code == 2
    assert message in err and out == ""


def test_event_get_prints_an_event_or_exits_9(run: Run, shop: Shop) -> None:
    """The order's CREATE event is found by id; an unknown id exits 9."""
    [created] = [
        e
        for e in shop.server.emulator.events
        if e.name == "CREATE" and e.entity_ref == "HD-1"
    ]

    code, out, err = run("event", "get", created.id)
    missing, missing_out, missing_err = run("event", "get", "no-such-event")

    assert code == 0, err
    assert "Event" in out and "CREATE" in out and "context.entityRef" in out
    assert (missing, missing_out) == (9, "")
    assert missing_err == "Error: no event has the id 'no-such-event'\n"


def test_the_help_lists_the_new_groups(run: Run) -> None:
    """fluent-gql --help lists each new group; each group lists its commands."""
    code, out, _ = run("--help")
    _, order_help, _ = run("order", "--help")
    _, event_help, _ = run("event", "send", "--help")
    event_help = " ".join(event_help.split())

    assert code == 0
    for name in ("order", "fulfilment", "location", "inventory", "event"):
        assert f"  {name} " in out
    assert all(f"  {name} " in order_help for name in ("create", "get", "list"))
    assert "sent as JSON when it parses as JSON" in event_help
    assert "9 --sync: no ruleset matched the event" in event_help
