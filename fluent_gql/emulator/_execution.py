"""Running one GraphQL request against the emulator's schema.

Parsing, validation and execution are separate steps so that request errors
(syntax, validation, variable coercion) are answered without a ``data`` key, as the
GraphQL over HTTP spec asks, while field errors keep ``data`` with nulls.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    execute_sync,
    parse,
    validate,
)

from fluent_gql.emulator._errors import INTERNAL_ERROR
from fluent_gql.emulator._events import EventLog
from fluent_gql.emulator._shared import RequestContext
from fluent_gql.emulator._store import Store

logger = logging.getLogger("fluent_gql.emulator")

INTERNAL_ERROR_MESSAGE = "Internal error in the fluent-gql emulator"

DOCUMENT_CACHE_SIZE = 256
"""How many parsed and validated query documents an executor remembers."""

MAX_CACHED_QUERY_LENGTH = 16_384
"""Longer query texts (generated batches, say) are not worth keeping."""


@dataclass(frozen=True)
class GraphQLRequest:
    """The three parts of a GraphQL POST body."""

    query: str
    variables: dict[str, Any] | None = None
    operation_name: str | None = None


def internal_error_response() -> dict[str, Any]:
    """The body sent when the emulator itself fails (code ``S9999E``)."""
    return {
        "errors": [
            {"message": INTERNAL_ERROR_MESSAGE, "extensions": {"code": INTERNAL_ERROR}}
        ]
    }


def _public(error: GraphQLError) -> GraphQLError:
    # Errors we raised on purpose (and graphql-core's own) are meant for the
    # caller; anything else is an emulator bug whose text may expose internals.
    if error.original_error is None or isinstance(error.original_error, GraphQLError):
        return error
    logger.error(
        "unexpected error in a resolver at %s",
        error.path,
        exc_info=error.original_error,
    )
    return GraphQLError(
        INTERNAL_ERROR_MESSAGE,
        error.nodes,
        path=error.path,
        extensions={"code": INTERNAL_ERROR},
    )


class Executor:
    """Executes GraphQL requests against one schema, for any store.

    Parsed and validated documents are remembered across requests and stores
    (an emulator's :meth:`~fluent_gql.emulator.Emulator.reset` keeps them).

    Args:
        schema: An executable schema (see ``executable_schema``).
    """

    def __init__(self, schema: GraphQLSchema) -> None:
        self._schema = schema
        # Parsing and validating cost several times more than executing, and
        # clients send the same few documents again and again.
        self._prepare_cached = lru_cache(maxsize=DOCUMENT_CACHE_SIZE)(self._prepare)

    def _prepare(self, query: str) -> DocumentNode | list[GraphQLError]:
        try:
            document = parse(query)
        except GraphQLError as error:
            return [error]
        return validate(self._schema, document) or document

    def execute(
        self,
        request: GraphQLRequest,
        user_id: int,
        store: Store,
        events: EventLog | None = None,
    ) -> dict[str, Any]:
        """Run a request as a user over ``store`` and return the response body.

        Events the platform raises (an order's ``CREATE``) go to ``events``; a
        log of their own if ``None``.
        """
        if len(request.query) <= MAX_CACHED_QUERY_LENGTH:
            prepared = self._prepare_cached(request.query)
        else:
            prepared = self._prepare(request.query)
        if isinstance(prepared, list):
            return {"errors": [error.formatted for error in prepared]}
        document = prepared
        result = execute_sync(
            self._schema,
            document,
            variable_values=request.variables,
            operation_name=request.operation_name,
            context_value=RequestContext(
                store, user_id, EventLog() if events is None else events
            ),
        )
        response: dict[str, Any] = {}
        if result.errors:
            response["errors"] = [_public(error).formatted for error in result.errors]
        # Every root field is nullable, so data is only None when execution never
        # started (bad variables, unknown operation): a request error.
        if result.data is not None:
            response["data"] = result.data
        return response
