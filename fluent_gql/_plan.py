"""What the client checks before sending an operation: the operation's plan.

For each operation, worked out once (by ``fluent-gql generate`` for the typed
operations, on first use for raw ones): whether it is a mutation (the retry policy
treats writes differently), which variables are required, and each variable's
declared type with the input objects and enums it reaches. Then, on every call, the
variables are checked against those types as a GraphQL server coerces them, so that
a value Fluent would refuse fails here, naming it, before anything is sent.

Types are written as in GraphQL (``[AttributeInput]!``); ``String(50)`` is a String
of at most 50 characters. That is the limit the schema documents ("At most 50
characters"), or 255, Fluent's limit for a string input that documents none. Length
limits are checked in mutations only: a query's filter stores nothing, and some
filters document limits smaller than those of the values they match (a location's
ref: 100 characters; the ref of a location link: 8).

This module imports nothing heavy: typed calls check their variables without
graphql-core (``_operation_analysis`` uses it to plan raw queries).
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from fluent_gql._constants import DEFAULT_STRING_LIMIT
from fluent_gql._exceptions import FluentInputError
from fluent_gql._naming import snake_case

__all__ = [
    "InputTypes",
    "OperationPlan",
    "documented_limit",
    "stated_limit",
]

#: GraphQL's Int is a 32-bit signed integer.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
#: How many characters of a refused string a message shows.
SHOWN_CHARACTERS = 40
#: How many of an enum's values a message lists.
SHOWN_ENUM_VALUES = 12

#: The input objects and enums that an operation's variables reach, by name: an
#: input object as ``{field: type}`` (``"Int! = 1"`` for a field with a default),
#: an enum as the tuple of its values.
InputTypes = Mapping[str, Mapping[str, str] | tuple[str, ...]]

_MAX_LENGTH = re.compile(
    r"at most (\d+) characters|max(?:imum)? character limit:? (\d+)", re.IGNORECASE
)


def stated_limit(description: str | None) -> int | None:
    """The length limit a description states (ours or Fluent's wording), if any."""
    found = _MAX_LENGTH.search(description or "")
    return int(next(g for g in found.groups() if g)) if found else None


def documented_limit(description: str | None) -> int:
    """The length limit a string input's description documents, else Fluent's 255."""
    stated = stated_limit(description)
    return DEFAULT_STRING_LIMIT if stated is None else stated


class _NotGiven:
    """The default of :attr:`OperationPlan.unset`: no value stands for "omitted"."""

    def __repr__(self) -> str:
        return "<not given>"


_NOT_GIVEN = _NotGiven()


@dataclass(frozen=True)
class OperationPlan:
    """The facts about one operation that the client acts on."""

    name: str | None
    is_mutation: bool
    #: Variable name -> its declared type, as in GraphQL (``String(50)``: at most
    #: 50 characters).
    variables: Mapping[str, str] = field(default_factory=dict)
    #: Variables of a non-null type without a default.
    required: tuple[str, ...] = ()
    #: The input objects and enums the variables reach (see :data:`InputTypes`);
    #: a name in neither is a custom scalar (``DateTime``, ``Json``): any value.
    types: InputTypes = field(default_factory=dict, repr=False)
    #: The generated package's marker of an omitted argument (``UNSET``): a
    #: variable holding it is not sent, so not checked.
    unset: object = field(default=_NOT_GIVEN, repr=False, compare=False)

    def check(self, variables: Mapping[str, Any] | None) -> None:
        """Check ``variables`` as Fluent would coerce them, before anything is sent.

        Raises:
            FluentInputError: a required value is missing, or a value does not fit
                its variable's type or length limit; ``field`` names it.
        """
        variables = variables or {}
        for name in self.required:
            value = variables.get(name)
            if value is None or value is self.unset:
                raise FluentInputError(
                    f"{_label(name)} is required", field=snake_case(name)
                )
        for name, (type_, non_null) in self._checks.items():
            value = variables.get(name, self.unset)
            if value is self.unset:
                continue
            if value is None:
                if non_null:  # not required: it has a default
                    raise FluentInputError(
                        f"{_label(name)} cannot be null; leave it out for its default",
                        field=snake_case(name),
                    )
                continue
            try:
                type_.check(value)
            except _RefusedError as refused:
                raise refused.error(name) from None

    @cached_property
    def _checks(self) -> dict[str, tuple[_Type, bool]]:
        """Each variable's type, ready to check values (built on first use)."""
        builder = _Builder(self.types, limits=self.is_mutation)
        return {name: builder.reference(ref) for name, ref in self.variables.items()}


def _label(variable: str, suffix: str = "") -> str:
    """How a value is named in messages: the Python keyword of the generated
    method, then the variable (``first_name ($firstName)``), with the path inside
    it (``attributes[0].name ($attributes[0].name)``)."""
    return f"{snake_case(variable)}{suffix} (${variable}{suffix})"


def _shown(value: Any) -> str:
    """A refused value as a message shows it: short, and without its contents when
    it is a container or an object."""
    if isinstance(value, str):
        if len(value) > SHOWN_CHARACTERS:
            return f"{value[:SHOWN_CHARACTERS]!r}... ({len(value)} characters)"
        return repr(value)
    if value is None or isinstance(value, bool | int | float):
        return repr(value)
    kind = type(value).__name__
    return f"{'an' if kind[:1].lower() in 'aeiou' else 'a'} {kind}"


class _RefusedError(Exception):
    """A value does not fit; ``path`` is filled in (innermost first) on the way out."""

    def __init__(self, problem: str, *, wrong_kind: bool = False) -> None:
        super().__init__(problem)
        self.problem = problem
        #: The value itself is of the wrong kind (not a problem inside it).
        self.wrong_kind = wrong_kind
        self.path: list[str] = []

    def at(self, segment: str) -> _RefusedError:
        self.path.append(segment)
        return self

    def error(self, variable: str) -> FluentInputError:
        suffix = "".join(reversed(self.path))
        return FluentInputError(
            f"{_label(variable, suffix)} {self.problem}",
            field=f"{snake_case(variable)}{suffix}",
        )


class _Type:
    """One GraphQL input type, ready to check a (non-null) value."""

    #: The type as GraphQL writes it, for messages.
    name: str = ""

    def check(self, value: Any) -> None:
        raise NotImplementedError


class _Anything(_Type):
    """A custom scalar (``DateTime``, ``Json``): Fluent decides what it accepts."""

    def __init__(self, name: str) -> None:
        self.name = name

    def check(self, value: Any) -> None:
        return None


class _Scalar(_Type):
    """A built-in scalar: ``fits`` says whether a value is one."""

    def __init__(self, name: str, fits: Callable[[Any], bool], wanted: str) -> None:
        self.name = name
        self._fits = fits
        self._wanted = wanted

    def check(self, value: Any) -> None:
        if not self._fits(value) and not self._fits(_as_sent(value)):
            raise _RefusedError(f"{self._wanted}, got {_shown(value)}", wrong_kind=True)


def _as_sent(value: Any) -> Any:
    """What the client sends for a value JSON has no form of its own for: an enum
    member as its value, a datetime as ISO 8601 text. Other values as they are."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


def _is_int(value: Any) -> bool:
    # JSON has one number type: graphql-core and graphql-java (Fluent) both take
    # a whole float (10.0) for an Int.
    if isinstance(value, float):
        return math.isfinite(value) and value.is_integer() and _in_range(value)
    return isinstance(value, int) and not isinstance(value, bool) and _in_range(value)


def _in_range(value: float) -> bool:
    return INT_MIN <= value <= INT_MAX


def _is_float(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, int) and not isinstance(value, bool)


def _is_id(value: Any) -> bool:
    return isinstance(value, str) or (
        isinstance(value, int) and not isinstance(value, bool)
    )


_SCALARS: dict[str, _Scalar] = {
    "Int": _Scalar(
        "Int", _is_int, f"must be a whole number from {INT_MIN} to {INT_MAX} (Int)"
    ),
    "Float": _Scalar("Float", _is_float, "must be a finite number (Float)"),
    "ID": _Scalar("ID", _is_id, "must be an ID (a string or a whole number)"),
    "Boolean": _Scalar(
        "Boolean", lambda v: isinstance(v, bool), "must be true or false"
    ),
}


class _String(_Type):
    """GraphQL's String, with the length limit to enforce (if any)."""

    name = "String"

    def __init__(self, limit: int | None) -> None:
        self._limit = limit

    def check(self, value: Any) -> None:
        text = value if isinstance(value, str) else _as_sent(value)
        if not isinstance(text, str):
            problem = f"must be a string, got {_shown(value)}"
            raise _RefusedError(problem, wrong_kind=True)
        if self._limit is not None and len(text) > self._limit:
            raise _RefusedError(
                f"is {len(text)} characters long; Fluent allows at most {self._limit}"
            )


class _Enum(_Type):
    """An enum: one of its values' names."""

    def __init__(self, name: str, values: tuple[str, ...]) -> None:
        self.name = name
        self._values = frozenset(values)
        listed = ", ".join(values[:SHOWN_ENUM_VALUES])
        more = ", ..." if len(values) > SHOWN_ENUM_VALUES else ""
        self._wanted = f"must be one of {listed}{more} ({name})"

    def check(self, value: Any) -> None:
        name = value if isinstance(value, str) else _as_sent(value)
        if not isinstance(name, str) or name not in self._values:
            raise _RefusedError(f"{self._wanted}, got {_shown(value)}", wrong_kind=True)


@dataclass
class _Field:
    type: _Type
    non_null: bool
    has_default: bool


class _InputObject(_Type):
    """An input object: a mapping (or a generated input model) of its fields."""

    def __init__(self, name: str) -> None:
        self.name = name
        # Filled in after construction: an input object may reach itself.
        self.fields: dict[str, _Field] = {}
        self.required: tuple[str, ...] = ()

    def check(self, value: Any) -> None:
        given = _as_mapping(value)
        if given is None:
            raise _RefusedError(
                f"must be an input object of type {self.name} (a dict, or the input "
                f"model), got {_shown(value)}",
                wrong_kind=True,
            )
        for key, item in given.items():
            try:
                self._check_field(key, item)
            except _RefusedError as refused:
                raise refused.at(f".{key}") from None
        for key in self.required:
            if key not in given:
                raise _RefusedError("is required").at(f".{key}")

    def _check_field(self, key: str, item: Any) -> None:
        known = self.fields.get(key)
        if known is None:
            raise _RefusedError(
                f"is not a field of {self.name} (its fields: {', '.join(self.fields)})"
            )
        if item is None:
            if known.non_null:
                raise _RefusedError(
                    "cannot be null" if known.has_default else "is required"
                )
            return
        known.type.check(item)


def _as_mapping(value: Any) -> Mapping[str, Any] | None:
    """An input object's fields under their GraphQL names, as they will be sent."""
    if isinstance(value, Mapping):
        return value
    dump = getattr(value, "model_dump", None)  # a generated input model
    if callable(dump):
        dumped: Mapping[str, Any] = dump(by_alias=True, exclude_unset=True)
        return dumped
    return None


class _List(_Type):
    """A list; a single value stands for a list of one (GraphQL's input coercion)."""

    def __init__(self, item: _Type, item_non_null: bool) -> None:
        self.name = f"[{item.name}{'!' if item_non_null else ''}]"
        self._item = item
        self._item_non_null = item_non_null

    def check(self, value: Any) -> None:
        if not isinstance(value, list | tuple):
            try:
                self._item.check(value)
            except _RefusedError as refused:
                if refused.wrong_kind and not refused.path:
                    raise _RefusedError(
                        f"must be a list of {self._item.name} (or a single one), "
                        f"got {_shown(value)}",
                        wrong_kind=True,
                    ) from None
                raise
            return
        for i, item in enumerate(value):
            if item is None:
                if self._item_non_null:
                    raise _RefusedError("cannot be null").at(f"[{i}]")
                continue
            try:
                self._item.check(item)
            except _RefusedError as refused:
                raise refused.at(f"[{i}]") from None


_NAMED = re.compile(r"(\w+)(?:\((\d+)\))?")


class _Builder:
    """Turns type references (``[AttributeInput]!``) into checkable types."""

    def __init__(self, types: InputTypes, *, limits: bool) -> None:
        self._types = types
        self._limits = limits
        self._built: dict[str, _Type] = {}

    def reference(self, ref: str) -> tuple[_Type, bool]:
        """The type ``ref`` names, and whether it is non-null."""
        ref = ref.strip()
        non_null = ref.endswith("!")
        if non_null:
            ref = ref[:-1].rstrip()
        if ref.startswith("[") and ref.endswith("]"):
            item, item_non_null = self.reference(ref[1:-1])
            return _List(item, item_non_null), non_null
        found = _NAMED.fullmatch(ref)
        if found is None:
            raise ValueError(f"not a GraphQL type reference: {ref!r}")
        name, limit = found.groups()
        return self._named(name, int(limit) if limit else None), non_null

    def _named(self, name: str, limit: int | None) -> _Type:
        if name == "String":
            return _String(limit if self._limits else None)
        if name in _SCALARS:
            return _SCALARS[name]
        if name in self._built:
            return self._built[name]
        spec = self._types.get(name)
        if isinstance(spec, tuple):
            self._built[name] = _Enum(name, spec)
        elif spec is None:
            self._built[name] = _Anything(name)
        else:
            self._built[name] = self._input_object(name, spec)
        return self._built[name]

    def _input_object(self, name: str, spec: Mapping[str, str]) -> _InputObject:
        built = self._built[name] = _InputObject(name)
        required = []
        for key, ref in spec.items():
            type_ref, default_mark, _ = ref.partition("=")
            type_, non_null = self.reference(type_ref)
            has_default = bool(default_mark)
            built.fields[key] = _Field(type_, non_null, has_default)
            if non_null and not has_default:
                required.append(key)
        built.required = tuple(required)
        return built
