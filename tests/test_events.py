"""The Event API through both clients, against the emulator over loopback HTTP:
sync and async events, no ruleset matched, registered handlers, reading events
back, paging, and an event never resent after its arrival is in doubt."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from fluent_gql import (
    AsyncFluentClient,
    FluentClient,
    FluentEventError,
    FluentInputError,
    FluentNoRulesetMatchedError,
    FluentTransportError,
    RetryPolicy,
)
from fluent_gql.emulator import EmulatorEvent, EmulatorServer


def _order(client: FluentClient, ref: str) -> str:
    """Create a customer's HD order (and its product); return the order's id."""
    email = f"{ref.lower()}@example.com"
    catalogue = client.iter_standard_products(refs="SKU-1", max_items=1)
    if not list(catalogue):
        client.create_product(
            catalogue_ref="PC:MASTER:1",
            ref="SKU-1",
            name="Tea",
            gtin="1",
            price_currency="AUD",
            price_value=7.5,
        )
    customer = client.create_customer(email=email, first_name="Ev").create_customer
    assert customer is not None
    order = client.create_order(
        ref=ref,
        type="HD",
        customer_id=customer.id,
        items=[{"ref": "L1", "product_ref": "SKU-1", "quantity": 1}],
    ).create_order
    assert order is not None
    return order.id


@pytest.fixture
def cancel_handler(fluent_emulator: EmulatorServer) -> Iterator[list[EmulatorEvent]]:
    """CancelOrder sets the order's status to CANCELLED; the events it saw."""
    emu = fluent_emulator.emulator
    seen: list[EmulatorEvent] = []

    def cancel(event: EmulatorEvent) -> None:
        seen.append(event)
        emu.set_status("ORDER", "CANCELLED", ref=event.entity_ref)

    emu.on_event("CancelOrder", cancel)
    yield seen
    emu.on_event("CancelOrder", None)


def test_cancel_order_runs_the_registered_ruleset(
    fluent_client: FluentClient,
    fluent_emulator: EmulatorServer,
    cancel_handler: list[EmulatorEvent],
) -> None:
    order_id = _order(fluent_client, "HD-EV1")

    result = fluent_client.cancel_order(ref="HD-EV1", reason="Customer request")

    assert result.mode == "sync"
    assert result.event_status == "COMPLETE"
    assert result.entity_id == order_id
    assert result.event_id
    order = fluent_client.order_by_ref(ref="HD-EV1")
    assert order is not None and order.status == "CANCELLED"
    [event] = cancel_handler
    assert (event.name, event.entity_type, event.entity_ref) == (
        "CancelOrder",
        "ORDER",
        "HD-EV1",
    )
    assert (event.root_entity_type, event.root_entity_ref) == ("ORDER", "HD-EV1")
    assert event.attributes == {"cancelReason": "Customer request"}
    assert event.retailer_id == fluent_emulator.emulator.retailer_id


def test_a_sync_event_no_ruleset_matches_raises_the_named_error(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    _order(fluent_client, "HD-EV2")

    with pytest.raises(FluentNoRulesetMatchedError) as caught:
        fluent_client.cancel_order(ref="HD-EV2")

    assert caught.value.status_code == 404
    assert "No workflow rule matched" in str(caught.value)
    assert fluent_client.order_by_ref(ref="HD-EV2").status == "CREATED"  # type: ignore[union-attr]
    assert fluent_emulator.emulator.events[-1].status == "NO_MATCH"


def test_an_async_event_no_ruleset_matches_is_refused(
    fluent_client: FluentClient,
) -> None:
    with pytest.raises(FluentEventError) as caught:
        fluent_client.send_event(name="Nobody", entity_type="ORDER", entity_ref="X")

    assert not isinstance(caught.value, FluentNoRulesetMatchedError)
    assert caught.value.status_code == 400


def test_an_async_event_with_a_handler_is_accepted_and_run(
    fluent_client: FluentClient,
    fluent_emulator: EmulatorServer,
    cancel_handler: list[EmulatorEvent],
) -> None:
    _order(fluent_client, "HD-EV3")

    result = fluent_client.send_event(
        name="CancelOrder",
        entity_type="ORDER",
        entity_ref="HD-EV3",
        attributes={"cancelReason": "late", "n": 2},
    )

    assert result.mode == "async" and result.event_id
    assert result.event_status is None
    assert fluent_client.order_by_ref(ref="HD-EV3").status == "CANCELLED"  # type: ignore[union-attr]
    event = fluent_client.get_event(result.event_id)
    assert event is not None
    assert (event.id, event.name, event.event_status) == (
        result.event_id,
        "CancelOrder",
        "COMPLETE",
    )
    assert event.context is not None and event.context.entity_ref == "HD-EV3"
    assert event.attributes == {"cancelReason": "late", "n": 2}
    assert event.generated_on is not None and event.generated_on.tzinfo is not None


def test_get_event_of_an_unknown_id_is_none(fluent_client: FluentClient) -> None:
    assert fluent_client.get_event("00000000-0000-0000-0000-000000000000") is None


def test_create_order_records_the_platform_create_event(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    order_id = _order(fluent_client, "HD-EV4")

    creates = [e for e in fluent_emulator.emulator.events if e.name == "CREATE"]
    assert [(e.entity_type, e.entity_ref, e.entity_id) for e in creates] == [
        ("ORDER", "HD-EV4", order_id)
    ]
    listed = list(fluent_client.iter_events(name="CREATE", entity_ref="HD-EV4"))
    assert [e.context.entity_id for e in listed if e.context] == [order_id]


def test_iter_events_filters_and_pages_by_start_and_count(
    fluent_client: FluentClient,
    fluent_emulator: EmulatorServer,
) -> None:
    fluent_emulator.emulator.on_event("Ping", lambda event: None)
    sent = [
        fluent_client.send_event(
            name="Ping", entity_type="LOCATION", entity_ref=f"LOC-{i}"
        ).event_id
        for i in range(5)
    ]

    for size in (1, 2, 5000):
        got = [e.id for e in fluent_client.iter_events(name="Ping", page_size=size)]
        assert got == sent[::-1], size  # newest first, each once
    assert [
        e.context.entity_ref
        for e in fluent_client.iter_events(name="Ping", entity_ref="LOC-3")
        if e.context
    ] == ["LOC-3"]
    assert len(list(fluent_client.iter_events(name="Ping", max_items=3))) == 3
    later = datetime.now(UTC) + timedelta(minutes=1)
    assert list(fluent_client.iter_events(name="Ping", from_=later)) == []
    assert (
        len(list(fluent_client.iter_events(event_status="COMPLETE", name="Ping"))) == 5
    )


def test_bad_event_arguments_fail_before_sending(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    before = len(fluent_emulator.emulator.events)
    cases = [
        ({"name": "", "entity_type": "ORDER"}, "name"),
        ({"name": "X", "entity_type": None}, "entity_type"),
        ({"name": "X", "entity_type": "ORDER", "mode": "later"}, "mode"),
        ({"name": "X", "entity_type": "ORDER", "attributes": [1]}, "attributes"),
        (
            {"name": "X", "entity_type": "ORDER", "attributes": {"v": float("nan")}},
            "attributes.v",
        ),
    ]
    for kwargs, field in cases:
        with pytest.raises(FluentInputError) as caught:
            fluent_client.send_event(**kwargs)  # type: ignore[arg-type]
        assert caught.value.field == field, kwargs
    with pytest.raises(FluentInputError):
        list(fluent_client.iter_events(from_=datetime(2025, 1, 1)))  # naive
    with pytest.raises(FluentInputError):
        fluent_client.iter_events(page_size=0)

    assert len(fluent_emulator.emulator.events) == before


@pytest.mark.fluent_faults(drop_after_rate=1.0)
def test_an_event_whose_arrival_is_in_doubt_is_never_resent(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    emu = fluent_emulator.emulator
    emu.on_event("Ping", lambda event: None)
    client = fluent_client.with_options(retry_policy=RetryPolicy(max_retries=5))

    for mode in ("async", "sync"):
        with pytest.raises(FluentTransportError) as caught:
            client.send_event(
                name="Ping", entity_type="ORDER", entity_ref="X", mode=mode
            )
        assert caught.value.maybe_applied

    assert [e.mode for e in emu.events if e.name == "Ping"] == ["async", "sync"]


@pytest.mark.anyio
async def test_the_async_client_sends_reads_and_lists_events(
    async_fluent_client: AsyncFluentClient,
    fluent_emulator: EmulatorServer,
) -> None:
    emu = fluent_emulator.emulator
    emu.on_event("Ping", lambda event: None)

    sync = await async_fluent_client.send_event(
        name="Ping", entity_type="LOCATION", entity_ref="L1", mode="sync"
    )
    queued = await async_fluent_client.send_event(
        name="Ping", entity_type="LOCATION", entity_ref="L2"
    )
    assert sync.event_status == "COMPLETE" and queued.mode == "async"
    assert queued.event_id is not None
    event = await async_fluent_client.get_event(queued.event_id)
    assert event is not None and event.context is not None
    assert event.context.entity_ref == "L2"
    listed = [
        e.id async for e in async_fluent_client.iter_events(name="Ping", page_size=1)
    ]
    assert listed == [queued.event_id, sync.event_id]
    with pytest.raises(FluentNoRulesetMatchedError):
        await async_fluent_client.cancel_order(ref="NOPE")
