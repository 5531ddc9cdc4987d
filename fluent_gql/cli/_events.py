"""``fluent-gql event send`` and ``event get``: Fluent's Event API, which moves
entities through their workflows (cancel an order, pick a fulfilment ...).

``--json`` output (keys camelCase, times ISO 8601):

- ``event send``: Fluent's answer: ``eventId``, ``entityId``, ``eventStatus``
  (``COMPLETE`` or ``FAILED`` with ``--sync``; ``null`` when queued) and ``mode``;
- ``event get``: the event as Fluent's Event API lists it; nothing, and exit
  status 9, when no event has the id.

Exit statuses beyond the shared ones: ``event send --sync`` exits with 9 when no
ruleset of the entity's workflow matched the event, and with 1 when the
workflow ran and the event FAILED; a refused event (any other 4xx, e.g. async
mode's "no ruleset matched") exits with 6, as other refusals over HTTP do.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click

from fluent_gql._client import FluentClient
from fluent_gql._exceptions import FluentEventError, FluentNoRulesetMatchedError
from fluent_gql.cli._options import (
    CliOptions,
    CommandFailed,
    ExitCode,
    connection_options,
    print_json,
    print_record,
    resolve_config,
)
from fluent_gql.cli._variables import json_or_text

__all__ = ["event_get", "event_send"]

#: An event the workflow ran and failed (``--sync``): the status Fluent answers.
FAILED_STATUS = "FAILED"


def _parse_attributes(
    ctx: click.Context | None, param: click.Parameter | None, given: Sequence[str]
) -> dict[str, Any]:
    attributes: dict[str, Any] = {}
    for item in given:
        name, eq, value = item.partition("=")
        if not eq or not name.strip():
            raise click.BadParameter(
                f"{item!r} is not NAME=VALUE (e.g. cancelReason=Damaged)", ctx, param
            )
        attributes[name.strip()] = json_or_text(value)
    return attributes


@click.command("send")
@click.argument("name")
@click.option(
    "--entity-type",
    required=True,
    metavar="TYPE",
    help="The entity's type: ORDER, FULFILMENT, LOCATION, ...",
)
@click.option("--entity-ref", metavar="REF", help="The entity's ref.")
@click.option("--entity-id", metavar="ID", help="The entity's id.")
@click.option(
    "--entity-subtype", metavar="SUBTYPE", help="The entity's subtype (HD, CC ...)."
)
@click.option(
    "--root-entity-type",
    metavar="TYPE",
    help="The root entity's type (ORDER for a fulfilment); an order, location "
    "... is its own root when not given.",
)
@click.option("--root-entity-ref", metavar="REF", help="The root entity's ref.")
@click.option("--root-entity-id", metavar="ID", help="The root entity's id.")
@click.option(
    "--attribute",
    "attributes",
    multiple=True,
    metavar="NAME=VALUE",
    callback=_parse_attributes,
    help="An attribute the ruleset reads; repeatable (a repeated NAME keeps the "
    "last). VALUE is sent as JSON when it parses as JSON (5, true, null, "
    '[1,2], {"a":1}), else as text; quote it to force text: '
    "--attribute 'code=\"007\"'.",
)
@click.option(
    "--sync",
    is_flag=True,
    help="Wait for the workflow to run and show the event's status (sync mode); "
    "default: queue it (async mode).",
)
@connection_options
def event_send(
    name: str,
    entity_type: str,
    entity_ref: str | None,
    entity_id: str | None,
    entity_subtype: str | None,
    root_entity_type: str | None,
    root_entity_ref: str | None,
    root_entity_id: str | None,
    attributes: dict[str, Any],
    sync: bool,
    opts: CliOptions,
) -> None:
    """Send the workflow event NAME about an entity (POST /api/v4.1/event).

    NAME is one your account's workflow has a ruleset for (CancelOrder ...).
    The retailer is --retailer-id (or FLUENT_RETAILER_ID), else the login's.

    An event is never sent twice, even when its arrival is unknown.

    \b
    Exit statuses besides the usual ones:
      9  --sync: no ruleset matched the event; nothing changed
      1  --sync: the workflow ran and the event FAILED
      6  Fluent refused the event (async mode's "no ruleset matched")
    """
    about = f"event {name!r} on {_entity(entity_type, entity_ref, entity_id)}"
    try:
        with FluentClient(resolve_config(opts)) as client:
            result = client.send_event(
                name,
                entity_type,
                entity_ref=entity_ref,
                entity_id=entity_id,
                root_entity_type=root_entity_type,
                root_entity_ref=root_entity_ref,
                root_entity_id=root_entity_id,
                entity_subtype=entity_subtype,
                attributes=attributes or None,
                mode="sync" if sync else "async",
            )
    except FluentNoRulesetMatchedError as exc:
        raise CommandFailed(
            f"no ruleset matched {about} (nothing changed): {exc}",
            ExitCode.NOT_FOUND,
        ) from exc
    except FluentEventError as exc:
        raise CommandFailed(
            f"Fluent refused {about}: {exc}",
            ExitCode.HTTP,
        ) from exc
    if result.event_status == FAILED_STATUS:
        raise CommandFailed(
            f"the workflow ran {about} and it FAILED (event id "
            f"{result.event_id}; see: fluent-gql event get {result.event_id})",
            ExitCode.ERROR,
        )
    if opts.as_json:
        print_json(result)
    else:
        print_record(result, title="Event sent")


def _entity(kind: str, ref: str | None, id_: str | None) -> str:
    """``ORDER 'HD-1'``: the entity as the user named it."""
    named = ref if ref is not None else id_
    return kind if named is None else f"{kind} {named!r}"


@click.command("get")
@click.argument("id_", metavar="ID")
@connection_options
def event_get(id_: str, opts: CliOptions) -> None:
    """Show the event with this ID (GET /api/v4.1/event/ID).

    Exits with status 9 when there is none.
    """
    with FluentClient(resolve_config(opts)) as client:
        found = client.get_event(id_)
    if found is None:
        raise CommandFailed(f"no event has the id {id_!r}", ExitCode.NOT_FOUND)
    if opts.as_json:
        print_json(found)
    else:
        print_record(found, title="Event")
