"""``fluent-gql inventory list``: inventory positions, the stock of a product at
a location.

``--json`` writes a JSON array of positions (keys are Fluent's camelCase field
names, times ISO 8601). The table shows the main columns; ``--json`` has every
field.
"""

from __future__ import annotations

import click

from fluent_gql._client import FluentClient
from fluent_gql.cli._list import _paging_options, _print
from fluent_gql.cli._options import CliOptions, connection_options, resolve_config

__all__ = ["POSITION_COLUMNS", "inventory_list"]

#: The columns of ``inventory list``'s table.
POSITION_COLUMNS = (
    "ref",
    "productRef",
    "locationRef",
    "onHand",
    "status",
    "type",
    "catalogue.ref",
    "updatedOn",
)


@click.command("list")
@click.option(
    "--catalogue-ref",
    metavar="REF",
    help="Only this inventory catalogue's positions (DEFAULT:<retailer id> is a "
    "retailer's default one).",
)
@click.option(
    "--product-ref", "product_refs", multiple=True, help="A product ref; repeatable."
)
@click.option(
    "--location-ref", "location_refs", multiple=True, help="A location ref; repeatable."
)
@click.option("--status", multiple=True, help="A status such as ACTIVE; repeatable.")
@click.option("--type", "types", multiple=True, help="A type (DEFAULT); repeatable.")
@_paging_options
@connection_options
def inventory_list(
    catalogue_ref: str | None,
    product_refs: tuple[str, ...],
    location_refs: tuple[str, ...],
    status: tuple[str, ...],
    types: tuple[str, ...],
    page_size: int,
    max_items: int | None,
    opts: CliOptions,
) -> None:
    """List the inventory positions that match every filter given."""
    with FluentClient(resolve_config(opts)) as client:
        positions = client.iter_inventory_positions(
            catalogue_ref=catalogue_ref,
            product_ref=product_refs,
            location_ref=location_refs,
            status=status,
            type=types,
            page_size=page_size,
            max_items=max_items,
        )
        _print(positions, POSITION_COLUMNS, opts.as_json)
