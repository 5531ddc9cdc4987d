"""Checking a query against the schema before it is sent.

:func:`validate_query` parses and validates a query against the bundled schema (or
one the caller gives) and remembers the result by query text, so a raw query sent
in a loop is parsed and validated once. :func:`check_query` applies the rules of
the schema's source: the account's own schema refuses whatever does not fit it,
while the bundled snapshot refuses only what no schema version could fix and
warns about the rest (see :mod:`fluent_gql._account_schema`).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from graphql import DocumentNode, GraphQLError, GraphQLSchema, parse, validate
from graphql.validation import (
    ExecutableDefinitionsRule,
    KnownFragmentNamesRule,
    LoneAnonymousOperationRule,
    NoFragmentCyclesRule,
    NoUndefinedVariablesRule,
    NoUnusedFragmentsRule,
    NoUnusedVariablesRule,
    UniqueArgumentNamesRule,
    UniqueFragmentNamesRule,
    UniqueInputFieldNamesRule,
    UniqueOperationNamesRule,
    UniqueVariableNamesRule,
)

from fluent_gql._account_schema import SchemaSource
from fluent_gql._exceptions import (
    FluentQueryValidationError,
    FluentSchemaWarning,
    GraphQLErrorEntry,
)
from fluent_gql._schema import bundled_schema

__all__ = [
    "VALIDATION_CACHE_SIZE",
    "check_query",
    "error_entry",
    "schema_differences",
    "validate_query",
]

#: How many (query, schema) pairs keep their parsed and validated document. Big
#: enough for every distinct raw query of a typical program; small enough that a
#: program building query text on the fly cannot grow it without bound.
VALIDATION_CACHE_SIZE = 512


def error_entry(error: GraphQLError) -> GraphQLErrorEntry:
    """Turn a graphql-core error into an entry with ``line`` and ``column``."""
    locations = [
        {"line": where.line, "column": where.column} for where in error.locations or ()
    ]
    return GraphQLErrorEntry(message=error.message, locations=locations or None)


@lru_cache(maxsize=VALIDATION_CACHE_SIZE)
def _checked(
    query: str, schema: GraphQLSchema
) -> DocumentNode | tuple[GraphQLErrorEntry, ...]:
    # The schema is a key by identity (graphql-core schemas do not define __eq__).
    # Failures are cached as data, so that each call raises an exception of its own.
    try:
        document = parse(query)
    except GraphQLError as exc:
        return (error_entry(exc),)
    errors: Sequence[GraphQLError] = validate(schema, document)
    if errors:
        return tuple(error_entry(e) for e in errors)
    return document


def validate_query(query: str, schema: GraphQLSchema | None = None) -> DocumentNode:
    """Parse ``query`` and validate it against ``schema``; return the document.

    The bundled Fluent schema is used when ``schema`` is ``None``. Results are
    cached by query text and schema, so repeating a query costs a dictionary look-up.
    The returned document is shared between callers: do not modify it.

    Example::

        document = validate_query("query { me { id username } }")

    Raises:
        FluentQueryValidationError: a syntax or validation error; each entry of
            ``errors`` carries its ``line`` and ``column`` in ``locations``.
    """
    checked = _checked(query, bundled_schema() if schema is None else schema)
    if isinstance(checked, DocumentNode):
        return checked
    raise FluentQueryValidationError(checked)


#: The rules no schema version can change the verdict of: a document that breaks
#: one is malformed for every Fluent account.
SCHEMA_INDEPENDENT_RULES = (
    ExecutableDefinitionsRule,
    UniqueOperationNamesRule,
    LoneAnonymousOperationRule,
    UniqueFragmentNamesRule,
    KnownFragmentNamesRule,
    NoUnusedFragmentsRule,
    NoFragmentCyclesRule,
    UniqueVariableNamesRule,
    NoUndefinedVariablesRule,
    NoUnusedVariablesRule,
    UniqueArgumentNamesRule,
    UniqueInputFieldNamesRule,
)

# graphql-core's messages for names a schema does not know, and how to name them.
_UNKNOWN_NAMES = (
    (re.compile(r"Cannot query field '(\w+)' on type '(\w+)'"), "{1}.{0}"),
    (re.compile(r"Unknown argument '(\w+)' on field '([\w.]+)'"), "{1}({0})"),
    (re.compile(r"Unknown type '(\w+)'"), "{0}"),
    (re.compile(r"Field '(\w+)' is not defined by type '(\w+)'"), "{1}.{0}"),
    (re.compile(r"Value '(\w+)' does not exist in '(\w+)' enum"), "{1}.{0}"),
)


def _unknown_name(message: str) -> str | None:
    for pattern, template in _UNKNOWN_NAMES:
        found = pattern.match(message)
        if found:
            return template.format(*found.groups())
    return None


@dataclass(frozen=True)
class _Differs:
    """A well-formed query that does not fit the bundled snapshot."""

    document: DocumentNode
    unknown: tuple[str, ...]
    other: tuple[str, ...]


@lru_cache(maxsize=VALIDATION_CACHE_SIZE)
def _leniently_checked(
    query: str, schema: GraphQLSchema
) -> DocumentNode | tuple[GraphQLErrorEntry, ...] | _Differs:
    try:
        document = parse(query)
    except GraphQLError as exc:
        return (error_entry(exc),)
    malformed = validate(schema, document, SCHEMA_INDEPENDENT_RULES)
    if malformed:
        return tuple(error_entry(e) for e in malformed)
    errors = validate(schema, document)
    if not errors:
        return document
    names = [_unknown_name(e.message) for e in errors]
    return _Differs(
        document,
        unknown=tuple(dict.fromkeys(n for n in names if n)),
        other=tuple(e.message for e, n in zip(errors, names, strict=True) if not n),
    )


def schema_differences(unknown: Sequence[str], other: Sequence[str]) -> str:
    """The warning's text for a query the bundled snapshot does not fully know."""
    snapshot = "the bundled Fluent schema (a 2023 snapshot)"
    parts = []
    if unknown:
        parts.append(f"uses names {snapshot} does not know: {', '.join(unknown)}")
    if other:
        fits = "otherwise does not fit it" if unknown else f"does not fit {snapshot}"
        parts.append(f"{fits}: " + " ".join(other).rstrip("."))
    return (
        f"the query {'; and '.join(parts)}. It is sent as it is: your account's "
        "schema decides. To check queries against your account's own schema, run "
        "`fluent-gql schema pull` (or pass schema= or set FLUENT_SCHEMA)."
    )


def check_query(
    query: str, source: SchemaSource, *, stacklevel: int = 2
) -> DocumentNode | None:
    """Check ``query`` by the rules of ``source``; return its validated document.

    Against the account's own schema, a query that does not fit is refused.
    Against the bundled snapshot only a malformed query is refused (a syntax
    error, an unused variable, ...): one that uses names the snapshot does not
    know, or fits it otherwise badly, issues a :class:`FluentSchemaWarning` and
    ``None`` is returned: the query should be sent unchecked.

    Raises:
        FluentQueryValidationError: the query is refused, with line and column.
    """
    if source.authoritative:
        return validate_query(query, source.schema)
    checked = _leniently_checked(query, source.schema)
    if isinstance(checked, DocumentNode):
        return checked
    if isinstance(checked, tuple):
        raise FluentQueryValidationError(checked)
    warnings.warn(
        schema_differences(checked.unknown, checked.other),
        FluentSchemaWarning,
        stacklevel=stacklevel,
    )
    return None
