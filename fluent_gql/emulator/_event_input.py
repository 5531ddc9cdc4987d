"""Reading the body of ``POST /api/v4.1/event/{sync,async}``.

The body is a JSON object with the event fields Fluent documents:
``name`` and ``entityType`` are required non-empty strings; ``retailerId`` is a
string or an integer; the ids, refs, subtype and ``accountId`` are strings;
``attributes`` is any JSON object or array; ``meta`` is an object; ``type`` is a
non-empty string, ``"NORMAL"`` by default. ``null`` counts as not given, and keys
Fluent does not define are ignored. Anything else is refused naming the field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fluent_gql.emulator._events import DEFAULT_EVENT_TYPE
from fluent_gql.emulator._json_body import BadRequestError, read_json


@dataclass(frozen=True, kw_only=True)
class EventRequest:
    """A valid event request, with :class:`EmulatorEvent`'s attribute names."""

    name: str
    type: str = DEFAULT_EVENT_TYPE
    retailer_id: str | None = None
    entity_type: str
    entity_id: str | None = None
    entity_ref: str | None = None
    entity_subtype: str | None = None
    root_entity_type: str | None = None
    root_entity_id: str | None = None
    root_entity_ref: str | None = None
    attributes: Any = None
    account_id: str | None = None
    meta: Mapping[str, Any] | None = None


def _kind(value: object) -> str:
    """How a JSON value's type is named in an error message."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "an empty string" if not value.strip() else "a string"
    if isinstance(value, list):
        return "an array"
    return "an object" if isinstance(value, dict) else "null"


def _refuse(name: str, requirement: str, value: object) -> BadRequestError:
    return BadRequestError(f"'{name}' must be {requirement}, got {_kind(value)}")


def _text(payload: Mapping[str, Any], name: str, *, required: bool) -> str | None:
    value = payload.get(name)
    if value is None and not required:
        return None
    if value is None:
        return _missing(name)
    if not isinstance(value, str):
        raise _refuse(name, "a string", value)
    return value


def _missing(name: str) -> str:
    raise BadRequestError(f"'{name}' is required: a non-empty string")


def _non_blank(payload: Mapping[str, Any], name: str) -> str:
    value = _text(payload, name, required=True)
    if not value or not value.strip():
        raise _refuse(name, "a non-empty string", value)
    return value


def _retailer_id(payload: Mapping[str, Any]) -> str | None:
    value = payload.get("retailerId")
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise _refuse("retailerId", "a string or an integer", value)


def _event_type(payload: Mapping[str, Any]) -> str:
    if payload.get("type") is None:
        return DEFAULT_EVENT_TYPE
    return _non_blank(payload, "type")


def _json_value(payload: Mapping[str, Any], name: str, *, arrays: bool) -> Any:
    value = payload.get(name)
    if value is None or isinstance(value, dict) or (arrays and isinstance(value, list)):
        return value
    raise _refuse(name, "a JSON object or array" if arrays else "an object", value)


def parse_event_body(body: bytes) -> EventRequest:
    """The event request a body holds.

    Raises:
        BadRequestError: The body is not JSON or not an object, or a field is
            missing, blank or of the wrong type; the message names the field.
    """
    payload = read_json(body)
    if not isinstance(payload, dict):
        raise BadRequestError("The request body must be a JSON object")

    def text(name: str) -> str | None:
        return _text(payload, name, required=False)

    return EventRequest(
        name=_non_blank(payload, "name"),
        entity_type=_non_blank(payload, "entityType"),
        type=_event_type(payload),
        retailer_id=_retailer_id(payload),
        entity_id=text("entityId"),
        entity_ref=text("entityRef"),
        entity_subtype=text("entitySubtype"),
        root_entity_type=text("rootEntityType"),
        root_entity_id=text("rootEntityId"),
        root_entity_ref=text("rootEntityRef"),
        attributes=_json_value(payload, "attributes", arrays=True),
        account_id=text("accountId"),
        meta=_json_value(payload, "meta", arrays=False),
    )
