"""The JSON file of ``fluent-gql order create``, read and checked whole before
anything is sent.

The file is one JSON object holding the keyword arguments of
:meth:`FluentClient.create_order` (``ref``, ``type``, ``customer_id``,
``items``, and optionally ``retailer_id``, ``fulfilment_choice``,
``attributes``, ``total_price``, ``total_tax_price``), or ``customer`` (the new
customer's fields) instead of ``customer_id``, for
:meth:`FluentClient.create_order_and_customer`. Inside ``items``,
``fulfilment_choice`` and ``customer`` a field may be named as the keyword
(``product_ref``) or as Fluent names it (``productRef``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fluent_gql._connector._order_input import (
    attribute_inputs,
    customer_input,
    fulfilment_choice,
    order_items,
)
from fluent_gql._exceptions import FluentInputError

__all__ = ["ORDER_KEYS", "OrderRequest", "read_order_file"]

#: Every key the file may hold, sorted as the error message lists them.
ORDER_KEYS = (
    "attributes",
    "customer",
    "customer_id",
    "fulfilment_choice",
    "items",
    "ref",
    "retailer_id",
    "total_price",
    "total_tax_price",
    "type",
)

#: Stands in for the retailer while a new customer is checked: the real one
#: (given, configured or the login's) is known only once the client logs in.
_CHECK_RETAILER = "0"


@dataclass(frozen=True)
class OrderRequest:
    """A checked order file.

    Attributes:
        arguments: keyword arguments for ``create_order`` or, when
            ``with_customer``, ``create_order_and_customer``.
        with_customer: the file gave ``customer`` (a new customer).
    """

    arguments: Mapping[str, Any]
    with_customer: bool


def read_order_file(text: str) -> OrderRequest:
    """Parse and check the text of an order file.

    Raises:
        FluentInputError: the text is not a JSON object of known keys, or a
            value is missing or malformed; ``field`` (and the message) names it,
            e.g. ``items[1].quantity``.
    """
    data = _json_object(text)
    unknown = sorted(str(key) for key in data if key not in ORDER_KEYS)
    if unknown:
        raise FluentInputError(
            f"unknown key {unknown[0]!r}; known: {', '.join(ORDER_KEYS)}",
            field=unknown[0],
        )
    with_customer = _check_customer_keys(data)
    arguments: dict[str, Any] = {
        "ref": _text(data, "ref"),
        "type": _text(data, "type"),
        "items": order_items(_required(data, "items")),
    }
    if with_customer:
        # Checked here so that a malformed customer is refused before login;
        # the client fills the real retailer in when it sends.
        customer_input(data["customer"], _CHECK_RETAILER)
        arguments["customer"] = data["customer"]
    else:
        arguments["customer_id"] = _text(data, "customer_id")
    arguments.update(_optional_arguments(data))
    return OrderRequest(arguments=arguments, with_customer=with_customer)


def _json_object(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise FluentInputError(
            f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    if not isinstance(data, dict):
        raise FluentInputError(
            "must be a JSON object of create_order's arguments (ref, type, "
            f"customer_id or customer, items ...), got {_kind(data)}"
        )
    return data


def _no_constant(name: str) -> Any:
    # Python's json reads NaN and Infinity, which are not JSON (nor a price).
    raise FluentInputError(f"not valid JSON: {name} is not a JSON number")


def _check_customer_keys(data: Mapping[str, Any]) -> bool:
    if "customer" in data and "customer_id" in data:
        raise FluentInputError(
            "give customer_id (an existing customer) or customer (a new one), not both",
            field="customer",
        )
    if "customer" not in data and "customer_id" not in data:
        raise FluentInputError(
            "customer_id (an existing customer) or customer (a new one) is required",
            field="customer_id",
        )
    return "customer" in data


def _optional_arguments(data: Mapping[str, Any]) -> dict[str, Any]:
    given: dict[str, Any] = {}
    if data.get("retailer_id") is not None:
        retailer = data["retailer_id"]
        if isinstance(retailer, bool) or not isinstance(retailer, str | int):
            raise FluentInputError(
                f"retailer_id must be a string or an integer, got {_kind(retailer)}",
                field="retailer_id",
            )
        given["retailer_id"] = retailer
    if data.get("fulfilment_choice") is not None:
        given["fulfilment_choice"] = fulfilment_choice(data["fulfilment_choice"])
    if data.get("attributes") is not None:
        given["attributes"] = attribute_inputs(data["attributes"])
    for key in ("total_price", "total_tax_price"):
        if data.get(key) is not None:
            given[key] = _number(data[key], key)
    return given


def _required(data: Mapping[str, Any], key: str) -> Any:
    if data.get(key) is None:
        raise FluentInputError(f"{key} is required", field=key)
    return data[key]


def _text(data: Mapping[str, Any], key: str) -> str:
    value = _required(data, key)
    if not isinstance(value, str):
        raise FluentInputError(f"{key} must be a string, got {_kind(value)}", field=key)
    if not value.strip():
        raise FluentInputError(f"{key} must not be blank", field=key)
    return value


def _number(value: object, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FluentInputError(f"{key} must be a number, got {_kind(value)}", field=key)
    if not math.isfinite(value):
        raise FluentInputError(f"{key} must be a finite number", field=key)
    return float(value)


def _kind(value: object) -> str:
    """A JSON value's kind, as the file's author knows it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
