"""What the client needs to know about an operation before sending it.

For each (query text, operation name) pair, once: whether it is a mutation (the
retry policy treats writes differently) and which variables feed input fields with
a length limit. Then, on every call, a cheap check of the variables against those
limits, so that a value Fluent would refuse fails here, naming the field and the
limit, before anything is sent.

Limits come from the schema's descriptions ("At most N characters"), and Fluent's
rule that a string input without a documented limit takes at most 255 characters
(API-NOTES 2.3).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from fluent_gql._exceptions import FluentInputError

if TYPE_CHECKING:
    from graphql import GraphQLSchema

__all__ = ["OperationPlan", "plan_for"]

#: Fluent's limit for string inputs that document none (API-NOTES 2.3).
DEFAULT_STRING_LIMIT = 255
#: How many distinct operation texts keep their plan (typed operations are few;
#: raw queries may be many).
PLAN_CACHE_SIZE = 512


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


# A limit tree: for a variable, either an int (string limit) or, for input objects,
# a mapping of field name -> limit tree.
Limits = int | dict[str, "Limits"]


@dataclass(frozen=True)
class OperationPlan:
    """The facts about one operation that the client acts on."""

    name: str | None
    is_mutation: bool
    #: Variable name -> its limit tree (only variables that reach limited inputs).
    limits: dict[str, Limits] = field(default_factory=dict)
    #: Variables of a non-null type without a default.
    required: tuple[str, ...] = ()

    def check(self, variables: Mapping[str, Any] | None) -> None:
        """Raise FluentInputError for a missing required value or one over its limit."""
        variables = variables or {}
        for name in self.required:
            if variables.get(name) is None:
                raise FluentInputError(
                    f"{_label(name)} is required", field=_snake(name)
                )
        for name, limit in self.limits.items():
            value = variables.get(name)
            if value is not None:
                _check(value, limit, _label(name))


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def _label(variable: str) -> str:
    """How a variable is named in messages: the Python keyword and the variable."""
    snake = _snake(variable)
    return f"{snake} (${variable})"


def _check(value: Any, limit: Limits, where: str) -> None:
    if isinstance(value, list | tuple):
        for i, item in enumerate(value):
            if item is not None:
                _check(item, limit, f"{where}[{i}]")
    elif isinstance(limit, int):
        if isinstance(value, str) and len(value) > limit:
            raise FluentInputError(
                f"{where} is {len(value)} characters long; Fluent allows at most "
                f"{limit}",
                field=where.split(" ")[0],
            )
    else:
        mapping = _as_mapping(value)
        for key, sub in limit.items():
            item = mapping.get(key)
            if item is not None:
                _check(item, sub, f"{where}.{key}")


def _as_mapping(value: Any) -> Mapping[str, Any]:
    if isinstance(value, Mapping):
        return value
    dump = getattr(value, "model_dump", None)  # a generated input model
    return dump(by_alias=True) if callable(dump) else {}


@lru_cache(maxsize=PLAN_CACHE_SIZE)
def plan_for(
    query: str, operation_name: str | None, schema: GraphQLSchema | None = None
) -> OperationPlan:
    """The plan for an operation against ``schema`` (the bundled one if ``None``),
    cached. Unparsable text is treated as a write, the conservative choice for
    retries; the server reports the syntax error."""
    # graphql-core is imported on the first call, not with fluent_gql (start-up).
    from fluent_gql._operation_analysis import analyse

    return analyse(query, operation_name, schema)
