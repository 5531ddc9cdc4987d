"""The connector's actions as commands: ``me``, ``customer get``, ``customer create``,
``product create`` and ``query`` (the Generic GraphQL Request).

The ``customer`` and ``product`` groups are in :mod:`fluent_gql.cli._groups`; the
connection options, exit statuses and printing helpers in
:mod:`fluent_gql.cli._options`.

``--json`` output (stable; keys are Fluent's camelCase field names, times ISO 8601):

- ``me``: the ``me`` object of the Get Current User query;
- ``customer get``: the customer object; nothing (and exit status 9) when no
  customer has the e-mail address;
- ``customer create``: the ``createCustomer`` result;
- ``product create``: the ``createStandardProduct`` result;
- ``query``: the response's ``data`` object.

On an error nothing is printed on stdout; the message goes to stderr.
"""

from __future__ import annotations

import functools
import json
import math
import sys
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

import click
import pydantic

from fluent_gql._client import FluentClient
from fluent_gql._exceptions import FluentError, FluentResponseError
from fluent_gql.cli._options import (
    CliOptions,
    CommandFailed,
    ExitCode,
    connection_options,
    print_json,
    print_record,
    resolve_config,
)
from fluent_gql.cli._output import print_data, to_jsonable
from fluent_gql.cli._variables import coerce_variables, json_or_text
from fluent_gql_generated.base_model import UNSET
from fluent_gql_generated.input_types import AttributeInput

if TYPE_CHECKING:
    from graphql import GraphQLNamedType

__all__ = ["customer_create", "customer_get", "me", "product_create", "query"]

#: Attribute types whose value is always the text given, never parsed as JSON.
_TEXT_ATTRIBUTE_TYPES = frozenset({"STRING", "TEXT"})


def _parse_attribute(
    ctx: click.Context | None, param: click.Parameter | None, given: Sequence[str]
) -> list[AttributeInput]:
    attributes = []
    for item in given:
        name, eq, rest = item.partition("=")
        type_, colon, value = rest.partition(":")
        if not (eq and colon and name.strip() and type_.strip()):
            raise click.BadParameter(
                f"{item!r} is not NAME=TYPE:VALUE (e.g. loyaltyTier=STRING:Gold)",
                ctx,
                param,
            )
        type_ = type_.strip()
        parsed = (
            value if type_.upper() in _TEXT_ATTRIBUTE_TYPES else json_or_text(value)
        )
        attributes.append(AttributeInput(name=name.strip(), type_=type_, value=parsed))
    return attributes


def _parse_attributes_json(
    ctx: click.Context | None, param: click.Parameter | None, given: str | None
) -> list[AttributeInput]:
    if given is None:
        return []
    try:
        data = json.loads(given)
        if not isinstance(data, list):
            raise ValueError("not a list")
        return [AttributeInput.model_validate(item) for item in data]
    except (ValueError, pydantic.ValidationError):
        raise click.BadParameter(
            'must be a JSON list of {"name": ..., "type": ..., "value": ...} objects',
            ctx,
            param,
        ) from None


def _parse_vars(
    ctx: click.Context | None, param: click.Parameter | None, given: Sequence[str]
) -> dict[str, str]:
    """``--var NAME=VALUE``s as name -> text; the query's declarations type them."""
    variables: dict[str, str] = {}
    for item in given:
        name, eq, value = item.partition("=")
        if not eq or not name.strip():
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", ctx, param)
        variables[name.strip()] = value
    return variables


def _parse_variables_json(
    ctx: click.Context | None, param: click.Parameter | None, given: str | None
) -> dict[str, Any]:
    if given is None:
        return {}
    try:
        data = json.loads(given)
    except json.JSONDecodeError as exc:
        raise click.BadParameter(f"not valid JSON: {exc.msg}", ctx, param) from None
    if not isinstance(data, dict):
        raise click.BadParameter("must be a JSON object", ctx, param)
    return data


def _finite(
    ctx: click.Context | None, param: click.Parameter | None, value: float
) -> float:
    if not math.isfinite(value):
        raise click.BadParameter("must be a finite number", ctx, param)
    return value


_attribute_options = (
    click.option(
        "--attribute",
        "attribute",
        multiple=True,
        metavar="NAME=TYPE:VALUE",
        callback=_parse_attribute,
        help="An attribute, e.g. loyaltyTier=STRING:Gold; repeatable. The value is "
        "parsed as JSON when it parses (except for STRING and TEXT), else text.",
    ),
    click.option(
        "--attributes",
        metavar="JSON",
        callback=_parse_attributes_json,
        help='Attributes as a JSON list: [{"name": ..., "type": ..., "value": ...}].',
    ),
)


def _with_attribute_options(command: Any) -> Any:
    for option in reversed(_attribute_options):
        command = option(command)
    return command


@click.command()
@connection_options
def me(opts: CliOptions) -> None:
    """Show the user you are logged in as (Get Current User)."""
    with FluentClient(resolve_config(opts)) as client:
        user = client.me().me
    if user is None:
        raise FluentResponseError("Fluent returned no current user")
    if opts.as_json:
        print_json(user)
        return
    shown = to_jsonable(user)
    shown["roles"] = [_role_summary(r) for r in shown.get("roles") or [] if r]
    print_record(shown, title="Current user")


def _role_summary(role: dict[str, Any]) -> str:
    """``NAME (CONTEXT id, ...)``: a role without its (long) list of permissions."""
    name = (role.get("role") or {}).get("name", "?")
    contexts = ", ".join(
        f"{c.get('contextType')} {c.get('contextId')}"
        for c in role.get("contexts") or []
        if c
    )
    return f"{name} ({contexts})" if contexts else name


@click.command("get")
@click.option("--email", required=True, help="The customer's primary e-mail address.")
@connection_options
def customer_get(email: str, opts: CliOptions) -> None:
    """Show the customer with this e-mail address (Get Customer by Email).

    Exits with status 9 when there is none.
    """
    with FluentClient(resolve_config(opts)) as client:
        found = client.customer_by_email(email)
    if found is None:
        raise CommandFailed(
            f"no customer has the e-mail address {email!r}", ExitCode.NOT_FOUND
        )
    if opts.as_json:
        print_json(found)
    else:
        print_record(found, title="Customer")


@click.command("create")
@click.option("--email", required=True, help="Primary e-mail address.")
@click.option("--first-name", required=True, help="First name.")
@click.option("--last-name", help="Last name.")
@click.option("--phone", help="Primary phone number.")
@click.option("--country", help="Country.")
@click.option(
    "--timezone",
    default="UTC",
    show_default=True,
    help="Time zone, e.g. Australia/Sydney (at most 32 characters).",
)
@click.option(
    "--promotion-opt-in/--no-promotion-opt-in",
    default=False,
    show_default=True,
    help="Whether the customer wants promotions.",
)
@click.option(
    "--customer-username",
    metavar="USERNAME",
    help="The customer's username; default: the e-mail address. (--username is "
    "the user you log in as.)",
)
@_with_attribute_options
@connection_options
def customer_create(
    email: str,
    first_name: str,
    last_name: str | None,
    phone: str | None,
    country: str | None,
    timezone: str,
    promotion_opt_in: bool,
    customer_username: str | None,
    attribute: list[AttributeInput],
    attributes: list[AttributeInput],
    opts: CliOptions,
) -> None:
    """Create a customer (Create Customer).

    The retailer is --retailer-id (or FLUENT_RETAILER_ID, or the profile's
    --retailer), else the one of the user you log in as.
    """
    every_attribute = [*attributes, *attribute]
    with FluentClient(resolve_config(opts)) as client:
        created = client.create_customer(
            email=email,
            first_name=first_name,
            username=customer_username,
            last_name=last_name if last_name is not None else UNSET,
            phone=phone if phone is not None else UNSET,
            country=country if country is not None else UNSET,
            timezone=timezone,
            promotion_opt_in=promotion_opt_in,
            attributes=list(every_attribute) if every_attribute else UNSET,
        ).create_customer
    if opts.as_json:
        print_json(created)
    else:
        print_record(created, title="Created customer")


@click.command("create")
@click.option("--catalogue-ref", required=True, help="The product catalogue's ref.")
@click.option("--ref", required=True, help="The product's ref (SKU).")
@click.option("--name", required=True, help="The product's name.")
@click.option("--gtin", required=True, help="The product's GTIN (barcode).")
@click.option("--type", "type_", default="STANDARD", show_default=True, help="Type.")
@click.option("--summary", help="A short description.")
@click.option(
    "--price-currency", required=True, metavar="CODE", help="e.g. AUD (the RRP)."
)
@click.option(
    "--price-value",
    required=True,
    type=float,
    callback=_finite,
    metavar="AMOUNT",
    help="e.g. 7.5 (the RRP).",
)
@_with_attribute_options
@connection_options
def product_create(
    catalogue_ref: str,
    ref: str,
    name: str,
    gtin: str,
    type_: str,
    summary: str | None,
    price_currency: str,
    price_value: float,
    attribute: list[AttributeInput],
    attributes: list[AttributeInput],
    opts: CliOptions,
) -> None:
    """Create a standard product with one RRP price (Create Product)."""
    every_attribute = [*attributes, *attribute]
    with FluentClient(resolve_config(opts)) as client:
        created = client.create_product(
            catalogue_ref=catalogue_ref,
            ref=ref,
            name=name,
            gtin=gtin,
            price_currency=price_currency,
            price_value=price_value,
            type=type_,
            summary=summary if summary is not None else UNSET,
            attributes=list(every_attribute) if every_attribute else UNSET,
        ).create_standard_product
    if opts.as_json:
        print_json(created)
    else:
        print_record(created, title="Created product")


@click.command()
@click.argument("text", metavar="[QUERY]", required=False)
@click.option(
    "--file",
    "file",
    type=click.File("r", encoding="utf-8"),
    metavar="PATH",
    help="Read the query from PATH ('-' for stdin).",
)
@click.option(
    "--var",
    "var",
    multiple=True,
    metavar="NAME=VALUE",
    callback=_parse_vars,
    help="A variable; repeatable. VALUE is read as the query declares the "
    "variable: String and ID as given (--var ref=12345), Int, Float and Boolean "
    "as such (--var first=5), enums by name, lists and input objects as JSON "
    '(--var \'refs=["A","B"]\'). Wins over --variables.',
)
@click.option(
    "--variables",
    metavar="JSON",
    callback=_parse_variables_json,
    help="Variables as one JSON object.",
)
@click.option("--operation-name", metavar="NAME", help="The operation to run.")
@connection_options
def query(
    text: str | None,
    file: TextIO | None,
    var: dict[str, str],
    variables: dict[str, Any],
    operation_name: str | None,
    opts: CliOptions,
) -> None:
    """Run any GraphQL query or mutation (the Generic GraphQL Request).

    QUERY is the query text, or '-' to read it from stdin; or use --file.
    Prints the response's data. A --var value is read as the query declares the
    variable; one the query does not declare is a usage error.
    """
    source = _query_text(text, file)
    with (
        FluentClient(resolve_config(opts)) as client,
        warnings.catch_warnings(record=True) as warned,
    ):
        warnings.simplefilter("always")
        typed = coerce_variables(
            var, source, operation_name, functools.partial(_type_named, client)
        )
        try:
            data = client.graphql(
                source, {**variables, **typed} or None, operation_name=operation_name
            )
        finally:  # a warning about the query matters most when the query failed
            for warning in warned:
                click.echo(f"warning: {warning.message}", err=True)
    if opts.as_json:
        print_json(data)
    else:
        print_data(data)


def _type_named(client: FluentClient, name: str) -> GraphQLNamedType | None:
    """The type ``name`` in the schema the client checks queries against."""
    try:
        return client.schema_source.schema.get_type(name)
    except FluentError:  # an unusable schema file: the query's own check says so
        return None


def _query_text(text: str | None, file: TextIO | None) -> str:
    if text is None and file is None:
        raise click.UsageError("give the query as QUERY, '-' for stdin, or --file PATH")
    if text is not None and file is not None:
        raise click.UsageError("give the query as QUERY or with --file, not both")
    if file is not None:
        source = file.read()
    elif text == "-":
        source = sys.stdin.read()
    else:
        source = text or ""
    if not source.strip():
        raise click.UsageError("the query is empty")
    return source
