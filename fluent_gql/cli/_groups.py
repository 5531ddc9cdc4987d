"""The command groups: ``customer``, ``product``, ``order``, ``fulfilment``,
``location``, ``inventory`` and ``event``.

Their subcommands are imported lazily, as the top-level ones are. To add one,
add a line to the group's table (:data:`CUSTOMER_COMMANDS` ...), mapping the
subcommand's name to the ``"module:attribute"`` of its click command, e.g.::

    "list": "fluent_gql.cli._list:customer_list",

and write the command with :func:`fluent_gql.cli._options.connection_options`.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

import click

__all__ = [
    "CUSTOMER_COMMANDS",
    "EVENT_COMMANDS",
    "FULFILMENT_COMMANDS",
    "INVENTORY_COMMANDS",
    "LOCATION_COMMANDS",
    "ORDER_COMMANDS",
    "PRODUCT_COMMANDS",
    "customer",
    "event",
    "fulfilment",
    "inventory",
    "location",
    "order",
    "product",
]

#: ``fluent-gql customer`` subcommands: name -> "module:attribute".
CUSTOMER_COMMANDS: dict[str, str] = {
    "create": "fluent_gql.cli._actions:customer_create",
    "get": "fluent_gql.cli._actions:customer_get",
    "list": "fluent_gql.cli._list:customer_list",
}

#: ``fluent-gql product`` subcommands: name -> "module:attribute".
PRODUCT_COMMANDS: dict[str, str] = {
    "create": "fluent_gql.cli._actions:product_create",
    "list": "fluent_gql.cli._list:product_list",
}

#: ``fluent-gql order`` subcommands: name -> "module:attribute".
ORDER_COMMANDS: dict[str, str] = {
    "create": "fluent_gql.cli._orders:order_create",
    "get": "fluent_gql.cli._orders:order_get",
    "list": "fluent_gql.cli._orders:order_list",
}

#: ``fluent-gql fulfilment`` subcommands: name -> "module:attribute".
FULFILMENT_COMMANDS: dict[str, str] = {
    "get": "fluent_gql.cli._fulfilments:fulfilment_get",
    "list": "fluent_gql.cli._fulfilments:fulfilment_list",
}

#: ``fluent-gql location`` subcommands: name -> "module:attribute".
LOCATION_COMMANDS: dict[str, str] = {
    "get": "fluent_gql.cli._locations:location_get",
    "list": "fluent_gql.cli._locations:location_list",
}

#: ``fluent-gql inventory`` subcommands: name -> "module:attribute".
INVENTORY_COMMANDS: dict[str, str] = {
    "list": "fluent_gql.cli._inventory:inventory_list",
}

#: ``fluent-gql event`` subcommands: name -> "module:attribute".
EVENT_COMMANDS: dict[str, str] = {
    "get": "fluent_gql.cli._events:event_get",
    "send": "fluent_gql.cli._events:event_send",
}


class TableGroup(click.Group):
    """A click group whose subcommands come from a name -> "module:attribute" table,
    each imported only when used (also by shell completion)."""

    def __init__(self, *args: Any, table: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.table = table

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.table})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = self.table.get(cmd_name)
        if target is None:
            return super().get_command(ctx, cmd_name)
        module, _, attr = target.partition(":")
        command = getattr(importlib.import_module(module), attr)
        if not isinstance(command, click.Command):
            raise TypeError(f"{target} is not a click command")
        return command


@click.group(cls=TableGroup, table=CUSTOMER_COMMANDS)
def customer() -> None:
    """Look up and create customers."""


@click.group(cls=TableGroup, table=PRODUCT_COMMANDS)
def product() -> None:
    """Create standard products."""


@click.group(cls=TableGroup, table=ORDER_COMMANDS)
def order() -> None:
    """Look up, list and create orders."""


@click.group(cls=TableGroup, table=FULFILMENT_COMMANDS)
def fulfilment() -> None:
    """Look up and list fulfilments."""


@click.group(cls=TableGroup, table=LOCATION_COMMANDS)
def location() -> None:
    """Look up and list locations (stores, warehouses)."""


@click.group(cls=TableGroup, table=INVENTORY_COMMANDS)
def inventory() -> None:
    """List inventory positions (stock of a product at a location)."""


@click.group(cls=TableGroup, table=EVENT_COMMANDS)
def event() -> None:
    """Send workflow events (cancel an order ...) and read them back."""
