"""``fluent-gql location get`` and ``location list``.

``--json`` output (keys are Fluent's camelCase field names, times ISO 8601):
``location get`` prints the location with its primary address (nothing, and
exit status 9, when no location has the ref); ``location list`` a JSON array
of them. The table shows the main columns; ``--json`` has every field.
"""

from __future__ import annotations

import click

from fluent_gql._client import FluentClient
from fluent_gql.cli._list import _paging_options, _print
from fluent_gql.cli._options import (
    CliOptions,
    CommandFailed,
    ExitCode,
    connection_options,
    print_json,
    print_record,
    resolve_config,
)

__all__ = ["LOCATION_COLUMNS", "location_get", "location_list"]

#: The columns of ``location list``'s table.
LOCATION_COLUMNS = (
    "id",
    "ref",
    "type",
    "status",
    "name",
    "primaryAddress.city",
    "retailer.ref",
)


@click.command("get")
@click.argument("ref")
@connection_options
def location_get(ref: str, opts: CliOptions) -> None:
    """Show the location with this REF and its primary address (Get Location).

    Exits with status 9 when there is none.
    """
    with FluentClient(resolve_config(opts)) as client:
        found = client.location_by_ref(ref)
    if found is None:
        raise CommandFailed(f"no location has the ref {ref!r}", ExitCode.NOT_FOUND)
    if opts.as_json:
        print_json(found)
    else:
        print_record(found, title="Location")


@click.command("list")
@click.option("--ref", "refs", multiple=True, help="A location ref; repeatable.")
@click.option("--type", "types", multiple=True, help="A type (STORE); repeatable.")
@click.option("--status", multiple=True, help="A status such as ACTIVE; repeatable.")
@click.option("--name", "names", multiple=True, help="A name (exact); repeatable.")
@_paging_options
@connection_options
def location_list(
    refs: tuple[str, ...],
    types: tuple[str, ...],
    status: tuple[str, ...],
    names: tuple[str, ...],
    page_size: int,
    max_items: int | None,
    opts: CliOptions,
) -> None:
    """List the locations that match every filter given."""
    with FluentClient(resolve_config(opts)) as client:
        locations = client.iter_locations(
            ref=refs,
            type=types,
            status=status,
            name=names,
            page_size=page_size,
            max_items=max_items,
        )
        _print(locations, LOCATION_COLUMNS, opts.as_json)
