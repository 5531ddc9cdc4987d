"""``fluent-gql fulfilment get`` and ``fulfilment list``.

``--json`` output (keys are Fluent's camelCase field names, times ISO 8601):
``fulfilment get`` prints the fulfilment with all its items (nothing, and exit
status 9, when no fulfilment has the id); ``fulfilment list`` a JSON array of
them. The table shows the main columns; ``--json`` has every field.
"""

from __future__ import annotations

from datetime import datetime

import click

from fluent_gql._client import FluentClient
from fluent_gql.cli._list import _paging_options, _print, _range, _when
from fluent_gql.cli._options import (
    CliOptions,
    CommandFailed,
    ExitCode,
    connection_options,
    print_json,
    print_record,
    print_table,
    resolve_config,
)
from fluent_gql.cli._order_view import FULFILMENT_COLUMNS
from fluent_gql.cli._output import to_jsonable

__all__ = ["FULFILMENT_ITEM_COLUMNS", "fulfilment_get", "fulfilment_list"]

#: The columns of a fulfilment's items table.
FULFILMENT_ITEM_COLUMNS = (
    "ref",
    "orderItem.ref",
    "requestedQuantity",
    "filledQuantity",
    "rejectedQuantity",
    "status",
)


@click.command("get")
@click.argument("id_", metavar="ID")
@connection_options
def fulfilment_get(id_: str, opts: CliOptions) -> None:
    """Show the fulfilment with this ID and its items (Get Fulfilment by Id).

    Exits with status 9 when there is none.
    """
    with FluentClient(resolve_config(opts)) as client:
        found = client.fulfilment_by_id(id_)
    if found is None:
        raise CommandFailed(f"no fulfilment has the id {id_!r}", ExitCode.NOT_FOUND)
    if opts.as_json:
        print_json(found)
        return
    data = to_jsonable(found)
    items = data.pop("items", None) or {}
    print_record(data, title="Fulfilment")
    nodes = [e["node"] for e in items.get("edges") or [] if e and e.get("node")]
    print_table(nodes, columns=FULFILMENT_ITEM_COLUMNS, title="Items")


@click.command("list")
@click.option("--order-id", metavar="ID", help="Only this order's fulfilments.")
@click.option("--status", multiple=True, help="A status such as CREATED; repeatable.")
@click.option(
    "--from-location-ref", metavar="REF", help="Only those sent from this location."
)
@click.option(
    "--delivery-type",
    "delivery_types",
    multiple=True,
    help="A delivery type such as STANDARD; repeatable.",
)
@click.option("--type", "types", multiple=True, help="A type (HD_PFS); repeatable.")
@click.option(
    "--ref",
    "refs",
    multiple=True,
    help="A fulfilment ref; repeatable (not with --order-id).",
)
@_when("--created-from", "Created at or after TIME (ISO 8601; UTC if no zone).")
@_when("--created-to", "Created at or before TIME.")
@_when("--updated-from", "Updated at or after TIME.")
@_when("--updated-to", "Updated at or before TIME.")
@_paging_options
@connection_options
def fulfilment_list(
    order_id: str | None,
    status: tuple[str, ...],
    from_location_ref: str | None,
    delivery_types: tuple[str, ...],
    types: tuple[str, ...],
    refs: tuple[str, ...],
    created_from: datetime | None,
    created_to: datetime | None,
    updated_from: datetime | None,
    updated_to: datetime | None,
    page_size: int,
    max_items: int | None,
    opts: CliOptions,
) -> None:
    """List the fulfilments that match every filter given, with their items."""
    if order_id is not None and refs:
        raise click.UsageError(
            "--ref cannot be combined with --order-id (Fluent lists an order's "
            "fulfilments by the other filters only)"
        )
    with FluentClient(resolve_config(opts)) as client:
        fulfilments = client.iter_fulfilments(
            order_id=order_id,
            status=status,
            from_location_ref=from_location_ref,
            delivery_type=delivery_types,
            type=types,
            ref=refs or None,
            created_on=_range(created_from, created_to),
            updated_on=_range(updated_from, updated_to),
            page_size=page_size,
            max_items=max_items,
        )
        _print(fulfilments, FULFILMENT_COLUMNS, opts.as_json)
