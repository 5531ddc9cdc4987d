"""Order inputs as the connector takes them: models or plain dicts, checked before
anything is sent, with errors that name the field (``items[2].quantity``).

Amounts follow one rule wherever the connector takes them (order lines, order
totals, fulfilment prices, a product's price, and the bulk importer's rows): a
finite number, never negative. A line's quantity is a whole number from 1.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import pydantic

from fluent_gql._exceptions import FluentInputError
from fluent_gql_generated.base_model import UNSET, UnsetType
from fluent_gql_generated.input_types import (
    AttributeInput,
    CreateCustomerInput,
    CreateFulfilmentChoiceWithOrderInput,
    CreateOrderItemWithOrderInput,
    RetailerId,
)

_Input = TypeVar("_Input", bound=pydantic.BaseModel)

OrderItem = CreateOrderItemWithOrderInput | Mapping[str, Any]
"""An order line: the input model, or a dict of its fields (``product_ref`` or
``productRef``)."""
FulfilmentChoice = CreateFulfilmentChoiceWithOrderInput | Mapping[str, Any]
CustomerInput = CreateCustomerInput | Mapping[str, Any]
Attribute = AttributeInput | Mapping[str, Any]
"""An attribute: the input model, or a dict with ``name``, ``type`` and ``value``."""


def _names(model: type[pydantic.BaseModel]) -> dict[str, str]:
    """Every accepted key (field name or GraphQL alias) -> the field name."""
    names = {}
    for name, info in model.model_fields.items():
        names[name] = name
        if info.alias:
            names[info.alias] = name
    return names


def _as_model(model: type[_Input], value: object, where: str) -> _Input:
    if isinstance(value, model):
        return value
    if not isinstance(value, Mapping):
        raise FluentInputError(
            f"{where} must be a {model.__name__} or a dict, got {type(value).__name__}",
            field=where,
        )
    known = _names(model)
    unknown = [str(key) for key in value if key not in known]
    if unknown:
        raise FluentInputError(
            f"{where} has unknown field {unknown[0]!r}; known: "
            + ", ".join(sorted(model.model_fields)),
            field=f"{where}.{unknown[0]}",
        )
    try:
        return model.model_validate(dict(value))
    except pydantic.ValidationError as exc:
        problem = exc.errors()[0]
        path = ".".join(_field(known, part) for part in problem["loc"])
        raise FluentInputError(
            f"{where}.{path}: {problem['msg']}", field=f"{where}.{path}"
        ) from None


def amount(value: object, where: str) -> float:
    """``value`` if it is a price: a finite number, not negative.

    Raises:
        FluentInputError: anything else, naming ``where``.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FluentInputError(
            f"{where} must be a number, got {type(value).__name__}", field=where
        )
    if not math.isfinite(value):
        raise FluentInputError(
            f"{where} must be a finite number, got {value!r}", field=where
        )
    if value < 0:
        raise FluentInputError(
            f"{where} must not be negative, got {value!r}", field=where
        )
    return value


def optional_amount(value: object, where: str) -> None:
    """Check ``value`` with :func:`amount` unless it is omitted (None or UNSET)."""
    if value is not None and not isinstance(value, UnsetType):
        amount(value, where)


_ITEM_AMOUNTS = ("price", "paid_price", "tax_price", "total_price", "total_tax_price")
_CHOICE_AMOUNTS = ("fulfilment_price", "fulfilment_tax_price")


def _checked_item(
    item: CreateOrderItemWithOrderInput, where: str
) -> CreateOrderItemWithOrderInput:
    if isinstance(item.quantity, bool) or item.quantity < 1:
        raise FluentInputError(
            f"{where}.quantity must be a whole number from 1, got {item.quantity!r}",
            field=f"{where}.quantity",
        )
    for name in _ITEM_AMOUNTS:
        optional_amount(getattr(item, name), f"{where}.{name}")
    return item


def _field(known: Mapping[str, str], part: object) -> str:
    return known.get(str(part), str(part)) if not isinstance(part, int) else f"[{part}]"


def order_items(items: object) -> list[CreateOrderItemWithOrderInput]:
    """The order's lines as input models.

    Raises:
        FluentInputError: not a non-empty list, or a line is malformed (named).
    """
    if isinstance(items, str | bytes | Mapping) or not isinstance(items, Sequence):
        raise FluentInputError(
            "items must be a list of order items (models or dicts)", field="items"
        )
    if not items:
        raise FluentInputError("an order needs at least one item", field="items")
    return [
        _checked_item(
            _as_model(CreateOrderItemWithOrderInput, item, f"items[{i}]"), f"items[{i}]"
        )
        for i, item in enumerate(items)
    ]


def fulfilment_choice(
    choice: FulfilmentChoice | None | UnsetType,
) -> CreateFulfilmentChoiceWithOrderInput | UnsetType:
    """The fulfilment choice as an input model; omitted when ``None``."""
    if choice is None or isinstance(choice, UnsetType):
        return UNSET
    where = "fulfilment_choice"
    model = _as_model(CreateFulfilmentChoiceWithOrderInput, choice, where)
    for name in _CHOICE_AMOUNTS:
        optional_amount(getattr(model, name), f"{where}.{name}")
    return model


def customer_input(customer: object, retailer_id: str) -> CreateCustomerInput:
    """The new customer of ``create_order_and_customer``, with the connector's
    defaults: ``username`` = the e-mail, ``timezone`` UTC, ``promotion_opt_in``
    false, and the order's retailer."""
    if isinstance(customer, CreateCustomerInput):
        return customer
    if not isinstance(customer, Mapping):
        raise FluentInputError(
            "customer must be a CreateCustomerInput or a dict, got "
            f"{type(customer).__name__}",
            field="customer",
        )
    known = _names(CreateCustomerInput)
    given = {known.get(str(key), str(key)): value for key, value in customer.items()}
    email = given.get("primary_email")
    defaults: dict[str, Any] = {
        "timezone": "UTC",
        "promotion_opt_in": False,
        "retailer": RetailerId(id=retailer_id),
    }
    if isinstance(email, str):
        defaults["username"] = email
    return _as_model(CreateCustomerInput, {**defaults, **given}, "customer")


def attribute_inputs(attributes: object) -> list[AttributeInput]:
    """Attributes as input models.

    Raises:
        FluentInputError: not a list, or an attribute is malformed (named).
    """
    if isinstance(attributes, str | bytes | Mapping) or not isinstance(
        attributes, Sequence
    ):
        raise FluentInputError(
            "attributes must be a list of attributes (models or dicts with name, "
            "type and value)",
            field="attributes",
        )
    return [
        _as_model(AttributeInput, attribute, f"attributes[{i}]")
        for i, attribute in enumerate(attributes)
    ]
