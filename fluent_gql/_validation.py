"""Checking a query against the schema before it is sent.

:func:`validate_query` parses and validates a query against the bundled schema (or
one the caller gives) and remembers the result by query text, so a raw query sent
in a loop is parsed and validated once.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from graphql import DocumentNode, GraphQLError, GraphQLSchema, parse, validate

from fluent_gql._exceptions import FluentQueryValidationError, GraphQLErrorEntry
from fluent_gql._schema import bundled_schema

__all__ = ["VALIDATION_CACHE_SIZE", "error_entry", "validate_query"]

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
