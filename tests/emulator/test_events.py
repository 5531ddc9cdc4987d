"""The Event API over real HTTP: posting, handlers, recorded events, reading back."""

from __future__ import annotations

import dataclasses
import logging
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from fluent_gql.emulator import Emulator, EmulatorEvent, FaultPlan

from .entities import (
    CREATE_ORDER,
    CREATE_ORDER_AND_CUSTOMER,
    create_fulfilment,
    create_location,
    create_order,
    nodes,
    order_input,
)
from .support import Api, StartServer, customer_input

EVENT = "/api/v4.1/event"
ORDER_STATUS = "query($r: String) { order(ref: $r) { id status updatedOn } }"
FULFILMENT_STATUS = "query($id: ID!) { fulfilmentById(id: $id) { status } }"
LOCATION_STATUS = "query($r: String) { location(ref: $r) { id status } }"
NO_MATCH = "No workflow rule matched this event"


def _logged_in(start_server: StartServer, **kwargs: Any) -> Api:
    api = start_server(**kwargs)
    api.login()
    return api


def _auth(api: Api) -> dict[str, str]:
    return {"Authorization": f"Bearer {api.access_token}"}


def _post(api: Api, mode: str, body: Any) -> httpx.Response:
    """POST an event body (JSON, or bytes as they are) to /event/{mode}."""
    if isinstance(body, bytes):
        headers = {**_auth(api), "Content-Type": "application/json"}
        return api.http.post(f"{EVENT}/{mode}", content=body, headers=headers)
    return api.http.post(f"{EVENT}/{mode}", json=body, headers=_auth(api))


def _list(api: Api, **params: Any) -> httpx.Response:
    return api.http.get(EVENT, params=params, headers=_auth(api))


def _page(api: Api, **params: Any) -> Any:
    response = _list(api, **params)
    assert response.status_code == 200, response.text
    return response.json()


def _refs(page: Any) -> list[str]:
    return [event["context"]["entityRef"] for event in page["results"]]


def _cancel_order(order: Any, **overrides: Any) -> dict[str, Any]:
    """Fluent's documented CancelOrder event for an order."""
    body: dict[str, Any] = {
        "name": "CancelOrder",
        "retailerId": "1",
        "entityId": order["id"],
        "entityRef": order["ref"],
        "entityType": "ORDER",
        "rootEntityType": "ORDER",
        "rootEntityId": order["id"],
        "rootEntityRef": order["ref"],
        "attributes": {"cancelReason": "Stolen Credit Card"},
    }
    body.update(overrides)
    return body


def _cancels_orders(emulator: Emulator) -> None:
    emulator.on_event(
        "CancelOrder",
        lambda e: emulator.set_status("ORDER", "CANCELLED", ref=e.entity_ref),
    )


def _order(api: Api, ref: str) -> Any:
    return api.data(ORDER_STATUS, {"r": ref})["order"]


def _named(emulator: Emulator, name: str) -> list[EmulatorEvent]:
    return [event for event in emulator.events if event.name == name]


def _is_uuid(text: str) -> bool:
    return str(uuid.UUID(text)) == text


# -- Posting events --------------------------------------------------------------------


def test_a_sync_event_runs_its_handler_and_the_order_is_cancelled(
    start_server: StartServer,
) -> None:
    """The handler's status change is stored before the answer, which is COMPLETE."""
    api = _logged_in(start_server)
    order = create_order(api)
    _cancels_orders(api.emulator)
    api.emulator.events.clear()

    response = _post(api, "sync", _cancel_order(order))
    body = response.json()
    after = _order(api, order["ref"])
    [event] = api.emulator.events

    assert response.status_code == 200
    assert body == {
        "eventId": event.id,
        "entityId": order["id"],
        "eventStatus": "COMPLETE",
    }
    assert _is_uuid(event.id)
    assert after["status"] == "CANCELLED"
    assert after["updatedOn"] > order["updatedOn"]
    assert (event.name, event.mode, event.status) == ("CancelOrder", "sync", "COMPLETE")
    assert (event.entity_type, event.entity_ref) == ("ORDER", order["ref"])
    assert event.retailer_id == "1"
    assert event.attributes == {"cancelReason": "Stolen Credit Card"}
    assert event.generated_by == api.emulator.credentials.username
    assert event.account_id == api.emulator.credentials.client_id
    assert event.type == "NORMAL"


@pytest.mark.parametrize("kind", ["ORDER", "LOCATION", "FULFILMENT"])
def test_the_sync_answer_finds_the_entity_id_from_its_ref(
    start_server: StartServer, kind: str
) -> None:
    """An event naming an order, location or fulfilment by ref answers its id."""
    api = _logged_in(start_server)
    order = create_order(api)
    entity = {
        "ORDER": lambda: order,
        "LOCATION": lambda: create_location(api),
        "FULFILMENT": lambda: create_fulfilment(api, order),
    }[kind]()
    api.emulator.on_event("Touch", lambda e: None)

    body = _post(
        api, "sync", {"name": "Touch", "entityType": kind, "entityRef": entity["ref"]}
    ).json()

    assert body["entityId"] == entity["id"]
    assert api.emulator.events[-1].entity_id == entity["id"]


@pytest.mark.parametrize(
    ("fields", "entity_id"),
    [
        ({"entityType": "ORDER", "entityRef": "NO-SUCH-ORDER"}, None),
        ({"entityType": "ORDER", "entityId": "999999"}, "999999"),
        ({"entityType": "PRODUCT_CATALOGUE", "entityRef": "PC:MASTER:1"}, None),
        ({"entityType": "CONSIGNMENT", "entityId": "C-7"}, "C-7"),
    ],
)
def test_an_entity_the_emulator_cannot_find_keeps_the_given_id(
    start_server: StartServer, fields: dict[str, str], entity_id: str | None
) -> None:
    """Unknown orders and other entity types answer the given entityId, or null."""
    api = _logged_in(start_server)
    api.emulator.on_event("Touch", lambda e: None)

    body = _post(api, "sync", {"name": "Touch", **fields}).json()

    assert body["entityId"] == entity_id
    assert body["eventStatus"] == "COMPLETE"


def test_a_sync_event_without_a_handler_is_404_and_recorded_as_no_match(
    start_server: StartServer,
) -> None:
    """Fluent's answer when no ruleset matches; the order is left alone."""
    api = _logged_in(start_server)
    order = create_order(api)

    response = _post(api, "sync", _cancel_order(order))
    [event] = _named(api.emulator, "CancelOrder")

    assert response.status_code == 404
    assert response.json() == {"errors": [{"code": "404", "message": NO_MATCH}]}
    assert (event.mode, event.status) == ("sync", "NO_MATCH")
    assert _order(api, order["ref"])["status"] == "CREATED"


def test_an_async_event_runs_its_handler_before_the_answer(
    start_server: StartServer,
) -> None:
    """200 with the event id; the handler's effect is visible when the call returns."""
    api = _logged_in(start_server)
    order = create_order(api)
    _cancels_orders(api.emulator)

    response = _post(api, "async", _cancel_order(order))
    [event] = _named(api.emulator, "CancelOrder")

    assert response.status_code == 200
    assert response.json() == {"id": event.id}
    assert (event.mode, event.status) == ("async", "COMPLETE")
    assert _order(api, order["ref"])["status"] == "CANCELLED"


def test_an_async_event_without_a_handler_is_400_and_recorded_as_no_match(
    start_server: StartServer,
) -> None:
    """What Fluent's SDK observed for an event name with no ruleset."""
    api = _logged_in(start_server)

    response = _post(api, "async", {"name": "Nothing", "entityType": "ORDER"})
    [event] = api.emulator.events

    assert response.status_code == 400
    assert response.json() == {"errors": [{"code": "400", "message": NO_MATCH}]}
    assert (event.name, event.mode, event.status) == ("Nothing", "async", "NO_MATCH")


@pytest.mark.parametrize(
    ("mode", "answer"),
    [("sync", {"eventStatus": "FAILED"}), ("async", {})],
)
def test_a_handler_that_raises_fails_the_event(
    start_server: StartServer,
    caplog: pytest.LogCaptureFixture,
    mode: str,
    answer: dict[str, str],
) -> None:
    """Still HTTP 200; the event is FAILED and the cause a warning, not an error."""
    api = _logged_in(start_server)

    def broken(event: EmulatorEvent) -> None:
        raise RuntimeError("the ruleset broke")

    api.emulator.on_event("Break", broken)

    with caplog.at_level(logging.DEBUG, logger="fluent_gql.emulator"):
        response = _post(api, mode, {"name": "Break", "entityType": "ORDER"})
    [event] = api.emulator.events
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]

    assert response.status_code == 200
    assert answer.items() <= response.json().items()
    assert event.status == "FAILED"
    assert [r.levelno for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert len(warnings) == 1
    assert warnings[0].exc_info is not None
    assert str(warnings[0].exc_info[1]) == "the ruleset broke"


def test_handlers_get_the_pending_event_and_can_be_replaced_or_removed(
    start_server: StartServer,
) -> None:
    """The newest registration runs; after removal the event matches nothing."""
    api = _logged_in(start_server)
    seen: list[tuple[str, EmulatorEvent]] = []
    api.emulator.on_event("Ping", lambda e: seen.append(("first", e)))
    api.emulator.on_event("Ping", lambda e: seen.append(("second", e)))
    body = {"name": "Ping", "entityType": "ORDER", "entityRef": "R-1"}

    replaced = _post(api, "sync", body)
    api.emulator.on_event("Ping", None)
    removed = _post(api, "sync", body)

    assert replaced.status_code == 200
    assert [which for which, _ in seen] == ["second"]
    assert seen[0][1].status == "PENDING"
    assert seen[0][1].entity_ref == "R-1"
    assert removed.status_code == 404
    assert [e.status for e in api.emulator.events] == ["COMPLETE", "NO_MATCH"]


def test_registering_a_handler_checks_its_arguments() -> None:
    """A blank name is a ValueError, a handler that cannot be called a TypeError."""
    with Emulator() as emulator:
        with pytest.raises(ValueError, match="non-empty string"):
            emulator.on_event(" ", lambda e: None)
        with pytest.raises(TypeError, match="must be callable"):
            emulator.on_event("Ping", "not a function")  # type: ignore[arg-type]

        emulator.on_event("Ping", None)

        assert emulator.events == []


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        (
            {"name": "E", "entityType": "ORDER", "retailerId": 12, "unknown": [1]},
            {"retailer_id": "12", "type": "NORMAL", "attributes": None},
        ),
        (
            {"name": "E", "entityType": "ORDER", "attributes": [{"name": "a"}]},
            {"attributes": [{"name": "a"}], "retailer_id": None},
        ),
        (
            {
                "name": "E",
                "entityType": "ORDER",
                "type": "GENERAL",
                "accountId": "ACME",
                "meta": {"workflow": "x"},
                "entitySubtype": "HD",
                "retailerId": None,
            },
            {
                "type": "GENERAL",
                "account_id": "ACME",
                "meta": {"workflow": "x"},
                "entity_subtype": "HD",
            },
        ),
    ],
)
def test_valid_bodies_are_recorded_as_given(
    start_server: StartServer, body: dict[str, Any], fields: dict[str, Any]
) -> None:
    """Integer retailer ids become strings, unknown keys are ignored, null is absent."""
    api = _logged_in(start_server)
    api.emulator.on_event("E", lambda e: None)

    response = _post(api, "async", body)
    [event] = api.emulator.events

    assert response.status_code == 200
    assert {name: getattr(event, name) for name in fields} == fields


def _e(fields: str) -> bytes:
    """A body of event E on an ORDER, with more fields (JSON text)."""
    return f'{{"name": "E", "entityType": "ORDER", {fields}}}'.encode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "The request body is not JSON"),
        (b"[1, 2]", "The request body must be a JSON object"),
        (b'{"entityType": "ORDER"}', "'name' is required: a non-empty string"),
        (b'{"name": " ", "entityType": "ORDER"}', "'name' must be a non-empty string"),
        (
            b'{"name": 5, "entityType": "ORDER"}',
            "'name' must be a string, got a number",
        ),
        (b'{"name": "E"}', "'entityType' is required: a non-empty string"),
        (b'{"name": "E", "entityType": null}', "'entityType' is required"),
        (_e('"retailerId": true'), "'retailerId' must be a string or an integer"),
        (_e('"retailerId": 1.5'), "'retailerId' must be a string or an integer"),
        (_e('"entityId": 5'), "'entityId' must be a string, got a number"),
        (_e('"rootEntityRef": ["R"]'), "'rootEntityRef' must be a string, got an"),
        (_e('"attributes": "text"'), "'attributes' must be a JSON object or array"),
        (_e('"meta": []'), "'meta' must be an object, got an array"),
        (_e('"type": ""'), "'type' must be a non-empty string, got an empty string"),
        (
            _e('"attributes": {"qty": [1, NaN]}'),
            "The request body is not JSON: NaN is not a JSON value "
            "(at 'attributes.qty[1]')",
        ),
    ],
)
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_malformed_event_bodies_are_400_naming_the_field(
    start_server: StartServer, mode: str, content: bytes, message: str
) -> None:
    """Each refusal names the field, in Fluent's REST error shape; nothing is
    recorded and no handler runs."""
    api = _logged_in(start_server)
    ran: list[EmulatorEvent] = []
    api.emulator.on_event("E", ran.append)

    response = _post(api, mode, content)
    [error] = response.json()["errors"]

    assert response.status_code == 400
    assert error["code"] == "400"
    assert error["message"].startswith(message)
    assert api.emulator.events == []
    assert ran == []


# -- The platform's CREATE event -------------------------------------------------------


def test_create_order_records_exactly_one_create_event(
    start_server: StartServer,
) -> None:
    """A platform event of the new order, COMPLETE without any handler."""
    api = _logged_in(start_server)

    order = create_order(api)
    [event] = api.emulator.events

    assert event.name == "CREATE"
    assert (event.mode, event.status, event.type) == ("platform", "COMPLETE", "NORMAL")
    assert (event.entity_type, event.entity_id, event.entity_ref) == (
        "ORDER",
        order["id"],
        order["ref"],
    )
    assert (
        event.root_entity_type,
        event.root_entity_id,
        event.root_entity_ref,
    ) == ("ORDER", order["id"], order["ref"])
    assert event.entity_subtype == "HD"
    assert event.retailer_id == "1"
    assert event.generated_by == "Rubix User"


def test_create_order_and_customer_records_one_create_event(
    start_server: StartServer,
) -> None:
    """The same CREATE event for createOrderAndCustomer; none for the customer."""
    api = _logged_in(start_server)
    product = api.create_product()
    fields = order_input("unused", product["ref"], customer=customer_input())

    made = api.data(CREATE_ORDER_AND_CUSTOMER, {"input": fields})
    order = made["createOrderAndCustomer"]

    assert [(e.name, e.entity_type, e.entity_id) for e in api.emulator.events] == [
        ("CREATE", "ORDER", order["id"])
    ]


def test_a_failed_create_order_records_no_event(start_server: StartServer) -> None:
    """A duplicate ref is C0121E and adds no CREATE event; a CREATE handler
    does not run for it."""
    api = _logged_in(start_server)
    made = create_order(api)
    ran: list[str | None] = []
    api.emulator.on_event("CREATE", lambda e: ran.append(e.entity_ref))
    customer_id = made["customer"]["id"]
    product_ref = nodes(made["items"])[0]["product"]["ref"]
    again = order_input(customer_id, product_ref, ref=made["ref"])

    error = api.error(CREATE_ORDER, {"input": again})

    assert error["extensions"] == {"code": "C0121E"}
    assert [e.entity_ref for e in api.emulator.events] == [made["ref"]]
    assert ran == []


def test_a_create_handler_runs_once_the_order_is_stored(
    start_server: StartServer,
) -> None:
    """It can change the new order; the mutation still answers it as created."""
    api = _logged_in(start_server)
    api.emulator.on_event(
        "CREATE",
        lambda e: api.emulator.set_status("ORDER", "BOOKED", id=e.entity_id),
    )

    order = create_order(api)

    assert order["status"] == "CREATED"
    assert _order(api, order["ref"])["status"] == "BOOKED"
    assert [e.status for e in api.emulator.events] == ["COMPLETE"]


def test_a_create_handler_that_raises_fails_the_event_not_the_mutation(
    start_server: StartServer,
) -> None:
    """The order is stored and answered; its CREATE event is FAILED."""
    api = _logged_in(start_server)

    def broken(event: EmulatorEvent) -> None:
        raise LookupError("no such ruleset step")

    api.emulator.on_event("CREATE", broken)

    order = create_order(api)

    assert _order(api, order["ref"])["status"] == "CREATED"
    assert [(e.name, e.status) for e in api.emulator.events] == [("CREATE", "FAILED")]


# -- Reading events back ---------------------------------------------------------------


def test_an_event_reads_back_in_fluents_shape(start_server: StartServer) -> None:
    """GET /event/{id}: context, status, the poster and a millisecond UTC time."""
    api = _logged_in(start_server)
    order = create_order(api)
    _cancels_orders(api.emulator)
    event_id = _post(api, "sync", _cancel_order(order)).json()["eventId"]
    event = api.emulator.events[-1]

    response = api.http.get(f"{EVENT}/{event_id}", headers=_auth(api))

    assert response.status_code == 200
    assert response.json() == {
        "id": event_id,
        "name": "CancelOrder",
        "type": "ORCHESTRATION",
        "accountId": "EMULATOR",
        "retailerId": "1",
        "category": "ruleSet",
        "context": {
            "sourceEvents": [],
            "entityType": "ORDER",
            "entityId": order["id"],
            "entityRef": order["ref"],
            "entitySubtype": None,
            "rootEntityType": "ORDER",
            "rootEntityId": order["id"],
            "rootEntityRef": order["ref"],
        },
        "eventStatus": "COMPLETE",
        "attributes": {"cancelReason": "Stolen Credit Card"},
        "source": None,
        "generatedBy": "admin",
        "generatedOn": event.generated_on.strftime("%Y-%m-%dT%H:%M:%S.")
        + f"{event.generated_on.microsecond // 1000:03d}Z",
    }


def test_an_unmatched_event_reads_back_without_a_category(
    start_server: StartServer,
) -> None:
    """NO_MATCH events ran no ruleset; a platform CREATE is by the Rubix User."""
    api = _logged_in(start_server)
    create_order(api)
    _post(api, "async", {"name": "Nope", "entityType": "LOCATION"})
    create, nope = (
        api.http.get(f"{EVENT}/{event.id}", headers=_auth(api)).json()
        for event in api.emulator.events
    )

    assert (create["category"], create["generatedBy"]) == ("ruleSet", "Rubix User")
    assert (create["type"], create["eventStatus"]) == ("ORCHESTRATION", "COMPLETE")
    assert (nope["category"], nope["eventStatus"]) == (None, "NO_MATCH")
    assert nope["generatedBy"] == "admin"


def test_an_unknown_event_id_is_404(start_server: StartServer) -> None:
    """In Fluent's REST error shape, naming the id."""
    api = _logged_in(start_server)

    response = api.http.get(f"{EVENT}/no-such-event", headers=_auth(api))

    assert response.status_code == 404
    assert response.json() == {
        "errors": [{"code": "404", "message": "Event no-such-event not found"}]
    }


def _three_events(api: Api) -> None:
    """Posts O1 (A, ORDER), F2 (B, FULFILMENT of order 1) and L3 (A, LOCATION)."""
    api.emulator.on_event("A", lambda e: None)
    bodies = [
        {
            "name": "A",
            "entityType": "ORDER",
            "entityId": "1",
            "entityRef": "O1",
            "rootEntityType": "ORDER",
            "rootEntityId": "1",
            "rootEntityRef": "O1",
        },
        {
            "name": "B",
            "entityType": "FULFILMENT",
            "entityId": "2",
            "entityRef": "F2",
            "rootEntityType": "ORDER",
            "rootEntityId": "1",
            "rootEntityRef": "O1",
        },
        {
            "name": "A",
            "type": "GENERAL",
            "entityType": "LOCATION",
            "entityRef": "L3",
            "rootEntityType": "LOCATION",
            "rootEntityRef": "L3",
        },
    ]
    for body in bodies:
        _post(api, "async", body)


@pytest.mark.parametrize(
    ("params", "refs"),
    [
        ({}, ["L3", "F2", "O1"]),
        ({"name": "A"}, ["L3", "O1"]),
        ({"context.entityType": "FULFILMENT"}, ["F2"]),
        ({"context.entityId": "2"}, ["F2"]),
        ({"context.entityRef": "L3"}, ["L3"]),
        ({"context.rootEntityType": "ORDER"}, ["F2", "O1"]),
        ({"context.rootEntityId": "1"}, ["F2", "O1"]),
        ({"context.rootEntityRef": "L3"}, ["L3"]),
        ({"eventType": "GENERAL"}, ["L3"]),
        ({"eventType": "ORCHESTRATION"}, ["F2", "O1"]),
        ({"eventStatus": "NO_MATCH"}, ["F2"]),
        ({"eventStatus": "COMPLETE", "context.entityType": "ORDER"}, ["O1"]),
        ({"name": "A", "context.entityType": "FULFILMENT"}, []),
        ({"name": "", "unknown": "x"}, ["L3", "F2", "O1"]),
    ],
)
def test_the_list_filters_by_each_parameter(
    start_server: StartServer, params: dict[str, str], refs: list[str]
) -> None:
    """Exact matches, combined with AND, newest first; blanks and unknowns ignored."""
    api = _logged_in(start_server)
    _three_events(api)

    page = _page(api, **params)

    assert _refs(page) == refs
    assert (page["start"], page["count"], page["hasMore"]) == (0, len(refs), False)


def _fill(emulator: Emulator, count: int) -> list[str]:
    """Record ``count`` events a millisecond apart, the newest now; their refs,
    newest first."""
    newest = datetime.now(UTC) - timedelta(seconds=1)
    template = EmulatorEvent(
        id="", name="Filler", entity_type="ORDER", mode="async", generated_on=newest
    )
    for age in reversed(range(count)):
        emulator.events.append(
            dataclasses.replace(
                template,
                id=str(uuid.uuid4()),
                entity_ref=f"R{age}",
                generated_on=newest - timedelta(milliseconds=age),
                status="COMPLETE",
            )
        )
    return [f"R{age}" for age in range(count)]


@pytest.mark.parametrize(
    ("params", "window", "has_more"),
    [
        ({"count": 1}, slice(0, 1), True),
        ({"count": 2}, slice(0, 2), True),
        ({"count": 2, "start": 2}, slice(2, 4), True),
        ({"count": 2, "start": 6}, slice(6, 7), False),
        ({"start": 7}, slice(7, 7), False),
        ({"start": 50}, slice(7, 7), False),
        ({"count": 7}, slice(0, 7), False),
        ({"count": 5000}, slice(0, 7), False),
    ],
)
def test_pages_follow_start_and_count(
    start_server: StartServer,
    params: dict[str, int],
    window: slice,
    has_more: bool,
) -> None:
    """count is the page's size, hasMore whether matches remain after it."""
    api = _logged_in(start_server)
    refs = _fill(api.emulator, 7)

    page = _page(api, **params)

    assert _refs(page) == refs[window]
    assert page["start"] == params.get("start", 0)
    assert page["count"] == len(refs[window])
    assert page["hasMore"] is has_more


def test_a_page_holds_100_events_by_default(start_server: StartServer) -> None:
    """Fluent's default count."""
    api = _logged_in(start_server)
    refs = _fill(api.emulator, 150)

    page = _page(api)
    rest = _page(api, start=100)

    assert _refs(page) == refs[:100]
    assert (page["count"], page["hasMore"]) == (100, True)
    assert _refs(rest) == refs[100:]
    assert (rest["count"], rest["hasMore"]) == (50, False)


def _aged(emulator: Emulator, **ages: timedelta) -> dict[str, datetime]:
    """Record one event per ref, generated that long ago; their times."""
    now = datetime.now(UTC).replace(microsecond=0)
    times = {ref: now - age for ref, age in ages.items()}
    for ref, moment in times.items():
        emulator.events.append(
            EmulatorEvent(
                id=str(uuid.uuid4()),
                name="Old",
                entity_type="ORDER",
                entity_ref=ref,
                mode="sync",
                status="COMPLETE",
                generated_on=moment,
            )
        )
    return times


def test_without_from_the_list_covers_the_last_30_days(
    start_server: StartServer,
) -> None:
    """Older events are listed only when ``from`` reaches back to them."""
    api = _logged_in(start_server)
    _aged(api.emulator, D29=timedelta(days=29), D31=timedelta(days=31))
    long_ago = (datetime.now(UTC) - timedelta(days=40)).isoformat()

    recent = _page(api)
    everything = _page(api, **{"from": long_ago})

    assert _refs(recent) == ["D29"]
    assert _refs(everything) == ["D29", "D31"]


def test_from_and_to_are_inclusive_iso_times(start_server: StartServer) -> None:
    """Both ends match an event at exactly that time; no zone means UTC."""
    api = _logged_in(start_server)
    times = _aged(
        api.emulator,
        H1=timedelta(hours=1),
        H2=timedelta(hours=2),
        H3=timedelta(hours=3),
    )

    def z(ref: str) -> str:
        return times[ref].strftime("%Y-%m-%dT%H:%M:%S.000Z")

    def naive(ref: str) -> str:
        return times[ref].replace(tzinfo=None).isoformat()

    assert _refs(_page(api, **{"from": z("H3"), "to": z("H2")})) == ["H2", "H3"]
    assert _refs(_page(api, **{"from": z("H2"), "to": z("H2")})) == ["H2"]
    assert _refs(_page(api, **{"from": naive("H2")})) == ["H1", "H2"]
    assert _refs(_page(api, to=naive("H2"))) == ["H2", "H3"]
    assert _refs(_page(api, **{"from": z("H1"), "to": z("H3")})) == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"count": "0"},
            "Parameter 'count' must be an integer from 1 to 5000, got '0'",
        ),
        ({"count": "5001"}, "Parameter 'count' must be an integer from 1 to 5000"),
        ({"count": "ten"}, "Parameter 'count' must be an integer from 1 to 5000"),
        ({"count": "1.5"}, "Parameter 'count' must be an integer from 1 to 5000"),
        ({"count": "+5"}, "Parameter 'count' must be an integer from 1 to 5000"),
        ({"start": "-1"}, "Parameter 'start' must be an integer of 0 or more"),
        ({"start": "--1"}, "Parameter 'start' must be an integer of 0 or more"),
        ({"from": "yesterday"}, "Parameter 'from' must be an ISO-8601 date and time"),
        ({"to": "2024-13-01T00:00:00Z"}, "Parameter 'to' must be an ISO-8601 date"),
    ],
)
def test_bad_list_parameters_are_400_naming_them(
    api: Api, params: dict[str, str], message: str
) -> None:
    """Out-of-range or non-integer paging, and times that are not ISO-8601."""
    response = _list(api, **params)
    [error] = response.json()["errors"]

    assert response.status_code == 400
    assert error["code"] == "400"
    assert error["message"].startswith(message)


# -- HTTP: tokens, methods, sizes ------------------------------------------------------


_CALLS = [
    ("POST", f"{EVENT}/sync"),
    ("POST", f"{EVENT}/async"),
    ("GET", EVENT),
    ("GET", f"{EVENT}/some-id"),
]


@pytest.mark.parametrize(("method", "path"), _CALLS)
@pytest.mark.parametrize(
    ("headers", "description"),
    [
        ({}, "A bearer token is required"),
        ({"Authorization": "Bearer not-a-token"}, "The access token is not valid"),
    ],
)
def test_the_event_api_needs_a_bearer_token(
    start_server: StartServer,
    method: str,
    path: str,
    headers: dict[str, str],
    description: str,
) -> None:
    """The same 401 as /graphql, checked before the body; nothing is recorded."""
    api = start_server()
    api.emulator.on_event("E", lambda e: None)

    response = api.http.request(method, path, content=b"{not json", headers=headers)

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    assert response.json() == {
        "error": "invalid_token",
        "error_description": description,
    }
    assert api.emulator.events == []


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("GET", f"{EVENT}/sync", "POST"),
        ("PUT", f"{EVENT}/async", "POST"),
        ("POST", EVENT, "GET"),
        ("DELETE", f"{EVENT}/some-id", "GET"),
    ],
)
def test_other_methods_are_405_with_allow(
    api: Api, method: str, path: str, allow: str
) -> None:
    """Each Event API path names its one method, in Fluent's REST error shape."""
    response = api.http.request(method, path, headers=_auth(api))

    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert response.json() == {"errors": [{"code": "405", "message": f"Use {allow}"}]}


def test_paths_below_the_event_api_that_do_not_exist_are_404(api: Api) -> None:
    """An id has no sub-resources."""
    response = api.http.get(f"{EVENT}/some-id/more", headers=_auth(api))

    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "404"


def test_event_bodies_over_two_megabytes_are_413(start_server: StartServer) -> None:
    """Fluent's request size limit; the event is not recorded."""
    api = _logged_in(start_server)
    body = {"name": "E", "entityType": "ORDER", "attributes": {"x": "y" * 2**21}}

    response = _post(api, "async", body)

    assert response.status_code == 413
    assert response.json() == {
        "errors": [{"code": "413", "message": "Request Entity Too Large"}]
    }
    assert api.emulator.events == []


def test_an_internal_failure_is_a_logged_500_in_the_event_shape(
    start_server: StartServer, caplog: pytest.LogCaptureFixture
) -> None:
    """With its database closed under it, the Event API answers a JSON 500."""
    api = _logged_in(start_server)
    api.emulator.on_event("E", lambda e: None)
    api.emulator.close()

    with caplog.at_level(logging.ERROR, logger="fluent_gql.emulator"):
        response = _post(api, "sync", {"name": "E", "entityType": "ORDER"})
    causes = [r.exc_info[1] for r in caplog.records if r.exc_info]

    assert response.status_code == 500
    assert response.json() == {
        "errors": [
            {"code": "500", "message": "Internal error in the fluent-gql emulator"}
        ]
    }
    assert [type(cause).__name__ for cause in causes] == ["ProgrammingError"]
    assert api.emulator.events == []


# -- Faults ----------------------------------------------------------------------------


def test_a_dropped_async_event_is_recorded_exactly_once(
    start_server: StartServer,
) -> None:
    """drop_after runs the handler and records the event, then hangs up."""
    api = _logged_in(start_server)
    ran: list[str] = []
    api.emulator.on_event("Dropped", lambda e: ran.append(e.id))
    api.emulator.set_faults(FaultPlan(drop_after_rate=1.0))

    with pytest.raises(httpx.RemoteProtocolError):
        _post(api, "async", {"name": "Dropped", "entityType": "ORDER"})
    api.emulator.set_faults(None)
    [event] = api.emulator.events

    assert api.emulator.faults_injected == {"drop_after": 1}
    assert ran == [event.id]
    assert (event.name, event.mode, event.status) == ("Dropped", "async", "COMPLETE")


@pytest.mark.parametrize(
    ("kind", "status", "recorded"),
    [("server_error", None, 0), ("rate_limit", 429, 0), ("revoke", 401, 0)],
)
def test_graphql_faults_apply_to_the_event_api(
    start_server: StartServer, kind: str, status: int | None, recorded: int
) -> None:
    """Refused requests run no handler and record nothing."""
    api = _logged_in(start_server)
    api.emulator.on_event("E", lambda e: None)
    api.emulator.set_faults(FaultPlan.parse(f"{kind}_rate=1"))

    response = _post(api, "sync", {"name": "E", "entityType": "ORDER"})

    if status is None:
        assert response.status_code in (500, 502, 503, 504)
    else:
        assert response.status_code == status
    assert api.emulator.faults_injected == {kind: 1}
    assert len(api.emulator.events) == recorded


def test_event_requests_draw_from_the_graphql_sequence(
    start_server: StartServer,
) -> None:
    """Mixed /graphql and Event API requests meet the faults /graphql alone would."""
    plan = FaultPlan(server_error_rate=0.5, seed=7)
    graphql_only, mixed = _logged_in(start_server), _logged_in(start_server)
    mixed.emulator.on_event("E", lambda e: None)
    for api in (graphql_only, mixed):
        api.emulator.set_faults(plan)

    alone = [graphql_only.post("{ me { id } }").status_code for _ in range(12)]
    together = [
        (
            mixed.post("{ me { id } }")
            if number % 2
            else _post(mixed, "async", {"name": "E", "entityType": "ORDER"})
        ).status_code
        for number in range(12)
    ]

    assert [s >= 500 for s in together] == [s >= 500 for s in alone]
    assert 2 <= sum(s >= 500 for s in alone) <= 10
    assert len(mixed.emulator.events) == sum(
        s < 500 for number, s in enumerate(together) if number % 2 == 0
    )


# -- set_status ------------------------------------------------------------------------


def test_set_status_changes_a_location_and_a_fulfilment(
    start_server: StartServer,
) -> None:
    """By ref or by id (a string or an integer); GraphQL sees the new status."""
    api = _logged_in(start_server)
    location = create_location(api)
    fulfilment = create_fulfilment(api, create_order(api))

    api.emulator.set_status("LOCATION", "INACTIVE", ref=location["ref"])
    api.emulator.set_status("FULFILMENT", "PICKED", id=int(fulfilment["id"]))

    assert api.data(LOCATION_STATUS, {"r": location["ref"]})["location"] == {
        "id": location["id"],
        "status": "INACTIVE",
    }
    assert api.data(FULFILMENT_STATUS, {"id": fulfilment["id"]}) == {
        "fulfilmentById": {"status": "PICKED"}
    }


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "message"),
    [
        (("WIDGET", "DONE"), {"ref": "X"}, ValueError, "no 'WIDGET' entities"),
        (("ORDER", "DONE"), {"ref": "NO-SUCH"}, LookupError, "no ORDER with ref"),
        (("ORDER", "DONE"), {"id": "abc"}, LookupError, "no ORDER with id 'abc'"),
        (("LOCATION", "DONE"), {}, ValueError, "give the ref or the id"),
        (("ORDER", " "), {"ref": "X"}, ValueError, "a status must be a non-empty"),
    ],
)
def test_set_status_refuses_what_it_cannot_change(
    args: tuple[str, str], kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    """Unknown types and entities, no key, or a blank status, each named."""
    with Emulator() as emulator, pytest.raises(error, match=message):
        emulator.set_status(*args, **kwargs)


def test_set_status_refuses_a_fulfilment_ref_two_orders_use(
    start_server: StartServer,
) -> None:
    """A fulfilment's ref is unique within its order only: the id is needed."""
    api = _logged_in(start_server)
    first = create_fulfilment(api, create_order(api), ref="F-SAME")
    create_fulfilment(api, create_order(api), ref="F-SAME")

    with pytest.raises(
        LookupError, match=r"several FULFILMENT entities .* give the id"
    ):
        api.emulator.set_status("FULFILMENT", "PICKED", ref="F-SAME")
    api.emulator.set_status("FULFILMENT", "PICKED", ref="F-SAME", id=first["id"])

    assert api.data(FULFILMENT_STATUS, {"id": first["id"]}) == {
        "fulfilmentById": {"status": "PICKED"}
    }


def test_events_are_not_kept_in_the_database_file(
    start_server: StartServer, tmp_path: Any
) -> None:
    """Orders survive a restart; their recorded events do not."""
    db_path = tmp_path / "account.db"
    api = _logged_in(start_server, db_path=db_path)
    order = create_order(api)
    api.server.stop()
    api.emulator.close()

    with Emulator(db_path=db_path) as restarted:
        restarted.set_status("ORDER", "BOOKED", ref=order["ref"])

        assert restarted.events == []
