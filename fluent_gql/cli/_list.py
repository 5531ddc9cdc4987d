"""``fluent-gql customer list`` and ``fluent-gql product list``, over the iterators.

Pages are fetched as they are printed. ``--json`` writes one JSON array, streamed
item by item (keys are Fluent's camelCase field names, times ISO 8601), so memory
stays flat however long the list; if a page fails part-way, the array is cut
short and the exit status says so. The table shows the main columns; ``--json``
has every field.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, TypeVar

import click

from fluent_gql._client import FluentClient
from fluent_gql._pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, MIN_PAGE_SIZE
from fluent_gql.cli._options import (
    CliOptions,
    connection_options,
    print_table,
    resolve_config,
)
from fluent_gql.cli._output import to_jsonable
from fluent_gql_generated.input_types import DateRange

__all__ = ["customer_list", "product_list"]

CUSTOMER_COLUMNS = (
    "id",
    "username",
    "primaryEmail",
    "firstName",
    "lastName",
    "status",
    "createdOn",
)
PRODUCT_COLUMNS = ("ref", "name", "gtin", "type", "status", "catalogue.ref", "prices")


def _moment(
    ctx: click.Context | None, param: click.Parameter | None, given: str | None
) -> datetime | None:
    """An ISO 8601 date or time; one without a zone is UTC (as the help says)."""
    if given is None:
        return None
    try:
        moment = datetime.fromisoformat(given)
    except ValueError:
        raise click.BadParameter(
            f"{given!r} is not an ISO 8601 date or time (2025-01-31, "
            "2025-01-31T09:00:00Z)",
            ctx,
            param,
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _range(start: datetime | None, end: datetime | None) -> DateRange | None:
    if start is None and end is None:
        return None
    return DateRange.model_validate({"from": start, "to": end})


def _paging_options(command: Any) -> Any:
    options = (
        click.option(
            "--page-size",
            type=click.IntRange(MIN_PAGE_SIZE, MAX_PAGE_SIZE),
            default=DEFAULT_PAGE_SIZE,
            show_default=True,
            help="Items per request.",
        ),
        click.option(
            "--max",
            "max_items",
            type=click.IntRange(min=0),
            metavar="N",
            help="Stop after N items [default: all].",
        ),
    )
    for option in reversed(options):
        command = option(command)
    return command


def _print(items: Iterable[Any], columns: Iterable[str], as_json: bool) -> None:
    if not as_json:
        print_table(items, columns=list(columns))
        return
    click.echo("[", nl=False)
    separator = "\n"
    for item in items:
        text = json.dumps(to_jsonable(item), indent=2, ensure_ascii=False)
        click.echo(separator + "  " + text.replace("\n", "\n  "), nl=False)
        separator = ",\n"
    click.echo("\n]" if separator != "\n" else "]")


_F = TypeVar("_F", bound=Callable[..., Any])


def _when(option: str, help_text: str) -> Callable[[_F], _F]:
    return click.option(option, callback=_moment, metavar="TIME", help=help_text)


@click.command("list")
@click.option(
    "--email",
    "emails",
    multiple=True,
    help="A primary e-mail address (exact); repeatable, any matches.",
)
@click.option(
    "--customer-username",
    "usernames",
    multiple=True,
    metavar="USERNAME",
    help="A customer's username; repeatable. (--username is the user you log in as.)",
)
@click.option("--status", multiple=True, help="A status such as ACTIVE; repeatable.")
@_when("--created-from", "Created at or after TIME (ISO 8601; UTC if no zone).")
@_when("--created-to", "Created at or before TIME.")
@_when("--updated-from", "Updated at or after TIME.")
@_when("--updated-to", "Updated at or before TIME.")
@_paging_options
@connection_options
def customer_list(
    emails: tuple[str, ...],
    usernames: tuple[str, ...],
    status: tuple[str, ...],
    created_from: datetime | None,
    created_to: datetime | None,
    updated_from: datetime | None,
    updated_to: datetime | None,
    page_size: int,
    max_items: int | None,
    opts: CliOptions,
) -> None:
    """List the customers that match every filter given."""
    with FluentClient(resolve_config(opts)) as client:
        customers = client.iter_customers(
            emails=emails,
            usernames=usernames,
            status=status,
            created_on=_range(created_from, created_to),
            updated_on=_range(updated_from, updated_to),
            page_size=page_size,
            max_items=max_items,
        )
        _print(customers, CUSTOMER_COLUMNS, opts.as_json)


@click.command("list")
@click.option("--catalogue-ref", metavar="REF", help="Only this catalogue's products.")
@click.option("--ref", "refs", multiple=True, help="A product ref; repeatable.")
@click.option("--status", multiple=True, help="A status such as CREATED; repeatable.")
@_paging_options
@connection_options
def product_list(
    catalogue_ref: str | None,
    refs: tuple[str, ...],
    status: tuple[str, ...],
    page_size: int,
    max_items: int | None,
    opts: CliOptions,
) -> None:
    """List the standard products that match every filter given."""
    with FluentClient(resolve_config(opts)) as client:
        products = client.iter_standard_products(
            catalogue_ref=catalogue_ref,
            refs=refs,
            status=status,
            page_size=page_size,
            max_items=max_items,
        )
        _print(products, PRODUCT_COLUMNS, opts.as_json)
