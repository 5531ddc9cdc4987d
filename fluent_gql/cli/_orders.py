"""``fluent-gql order get``, ``order list`` and ``order create``.

``--json`` output (keys are Fluent's camelCase field names, times ISO 8601):

- ``order get``: the order, with its ``items``, ``fulfilmentChoice`` (and its
  ``deliveryAddress``), ``customer`` and ``fulfilments`` (each with its items);
  nothing, and exit status 9, when no order has the ref or id;
- ``order list``: a JSON array of orders, without items and fulfilments (read
  one whole with ``order get``);
- ``order create``: the created order, as ``order get`` prints it.

On an error nothing is printed on stdout; the message goes to stderr.
"""

from __future__ import annotations

from datetime import datetime
from typing import TextIO

import click

from fluent_gql._client import FluentClient
from fluent_gql._exceptions import FluentInputError
from fluent_gql.cli._list import _paging_options, _print, _range, _when
from fluent_gql.cli._options import (
    CliOptions,
    CommandFailed,
    ExitCode,
    connection_options,
    print_json,
    resolve_config,
)
from fluent_gql.cli._order_file import read_order_file
from fluent_gql.cli._order_view import print_order

__all__ = ["ORDER_COLUMNS", "order_create", "order_get", "order_list"]

#: The columns of ``order list``'s table; ``--json`` has every field.
ORDER_COLUMNS = (
    "id",
    "ref",
    "type",
    "status",
    "customer.username",
    "fulfilmentChoice.deliveryType",
    "totalPrice",
    "createdOn",
)


@click.command("get")
@click.argument("ref", required=False)
@click.option("--id", "id_", metavar="ID", help="Look the order up by id instead.")
@connection_options
def order_get(ref: str | None, id_: str | None, opts: CliOptions) -> None:
    """Show the order with this REF (or --id): its items, fulfilment choice and
    delivery address, customer and fulfilments (Get Order).

    Exits with status 9 when there is none.
    """
    if (ref is None) == (id_ is None):
        raise click.UsageError("give the order's REF or --id ID (one of them)")
    with FluentClient(resolve_config(opts)) as client:
        if id_ is not None:
            found, what = client.order_by_id(id_), f"the id {id_!r}"
        else:
            found, what = client.order_by_ref(str(ref)), f"the ref {ref!r}"
    if found is None:
        raise CommandFailed(f"no order has {what}", ExitCode.NOT_FOUND)
    if opts.as_json:
        print_json(found)
    else:
        print_order(found, title="Order")


@click.command("list")
@click.option("--status", multiple=True, help="A status such as BOOKED; repeatable.")
@click.option("--type", "types", multiple=True, help="A type (HD, CC); repeatable.")
@click.option("--ref", "refs", multiple=True, help="An order ref; repeatable.")
@click.option("--customer-ref", metavar="REF", help="Only this customer's orders.")
@_when("--created-from", "Created at or after TIME (ISO 8601; UTC if no zone).")
@_when("--created-to", "Created at or before TIME.")
@_when("--updated-from", "Updated at or after TIME.")
@_when("--updated-to", "Updated at or before TIME.")
@_when("--updated-since", "Updated at or after TIME (the usual poll).")
@_paging_options
@connection_options
def order_list(
    status: tuple[str, ...],
    types: tuple[str, ...],
    refs: tuple[str, ...],
    customer_ref: str | None,
    created_from: datetime | None,
    created_to: datetime | None,
    updated_from: datetime | None,
    updated_to: datetime | None,
    updated_since: datetime | None,
    page_size: int,
    max_items: int | None,
    opts: CliOptions,
) -> None:
    """List the orders that match every filter given (without their items)."""
    if updated_since is not None and (updated_from, updated_to) != (None, None):
        raise click.UsageError(
            "give --updated-since or --updated-from/--updated-to, not both"
        )
    with FluentClient(resolve_config(opts)) as client:
        orders = client.iter_orders(
            status=status,
            type=types,
            ref=refs,
            customer_ref=customer_ref,
            created_on=_range(created_from, created_to),
            updated_on=_range(updated_from, updated_to),
            updated_since=updated_since,
            page_size=page_size,
            max_items=max_items,
        )
        _print(orders, ORDER_COLUMNS, opts.as_json)


@click.command("create")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@connection_options
def order_create(file: TextIO, opts: CliOptions) -> None:
    """Create an order from FILE, a JSON object ('-' reads stdin).

    FILE holds the arguments of FluentClient.create_order: "ref", "type",
    "customer_id", "items" (a list of objects with "ref", "product_ref",
    "quantity", and optionally "price", "paid_price", "currency",
    "product_catalogue_ref" ...), and optionally "retailer_id",
    "fulfilment_choice" (an object: "delivery_type", and "delivery_address" for
    home delivery or "pickup_location_ref" for click and collect), "attributes"
    (a list of {"name", "type", "value"}), "total_price", "total_tax_price".

    Give "customer" (an object: "primary_email", "first_name" ...) instead of
    "customer_id" to create the order and its new customer together.

    The file is checked whole before anything is sent: a malformed one exits
    with status 8 and names the field (items[1].quantity). The ref is the
    order's idempotency key, so an unknown outcome is resolved by looking the
    order up, never by creating it twice.
    """
    try:
        request = read_order_file(file.read())
    except FluentInputError as exc:
        raise CommandFailed(f"{file.name}: {exc}", ExitCode.INPUT) from exc
    with FluentClient(resolve_config(opts)) as client:
        if request.with_customer:
            created = client.create_order_and_customer(
                **request.arguments
            ).create_order_and_customer
        else:
            created = client.create_order(**request.arguments).create_order
    if opts.as_json:
        print_json(created)
    else:
        print_order(created, title="Created order")
