"""The subcommands of ``fluent-gql``: where each lives and what ``--help`` says.

Read by the entry point (:mod:`fluent_gql.cli`) and the click group
(:mod:`fluent_gql.cli._app`) alike; it imports nothing, so neither loads the other.
"""

from __future__ import annotations

__all__ = ["COMMANDS", "SUMMARIES"]

#: Subcommand name -> "module:attribute" of its click command or group.
COMMANDS: dict[str, str] = {
    "config": "fluent_gql.cli._config:config",
    "customer": "fluent_gql.cli._groups:customer",
    "emulator": "fluent_gql.cli._emulator:emulator",
    "event": "fluent_gql.cli._groups:event",
    "fulfilment": "fluent_gql.cli._groups:fulfilment",
    "generate": "fluent_gql.cli._generate:generate",
    "import": "fluent_gql.cli._import:import_",
    "init": "fluent_gql.cli._init:init",
    "inventory": "fluent_gql.cli._groups:inventory",
    "location": "fluent_gql.cli._groups:location",
    "me": "fluent_gql.cli._actions:me",
    "order": "fluent_gql.cli._groups:order",
    "product": "fluent_gql.cli._groups:product",
    "query": "fluent_gql.cli._actions:query",
    "schema": "fluent_gql.cli._schema:schema",
    "validate": "fluent_gql.cli._validate:validate",
}


#: One-line help of each subcommand, so that ``fluent-gql --help`` lists them
#: without importing their modules (start-up time; a missing entry is imported).
SUMMARIES: dict[str, str] = {
    "config": "Show the resolved settings and the profiles found.",
    "customer": "Get, create and list customers.",
    "emulator": "Serve the local Fluent emulator.",
    "event": "Send workflow events (cancel an order ...) and read them back.",
    "fulfilment": "Get and list fulfilments.",
    "generate": "Compile your operations into your typed client package.",
    "import": "Import customers or products from CSV or JSON Lines.",
    "init": "Set a project up to compile its own operations (pyproject.toml).",
    "inventory": "List inventory positions (stock by product and location).",
    "location": "Get and list locations (stores, warehouses).",
    "me": "Show the user you are logged in as.",
    "order": "Get, list and create orders.",
    "product": "Create and list standard products.",
    "query": "Run any GraphQL query or mutation.",
    "schema": "Pull the live schema, or diff two schemas.",
    "validate": "Check operation files against the schema, like a compiler.",
}
