"""The plan of any operation: the typed ones' written by ``fluent-gql generate``,
a raw query's worked out on first use.

The plan itself (what is checked before sending, and how) is in ``_plan``, which
both this module and ``_operation_analysis`` import; graphql-core is imported on
the first raw query planned, never by ``import fluent_gql`` nor by typed calls.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from fluent_gql._plan import OperationPlan

if TYPE_CHECKING:
    from graphql import GraphQLSchema

__all__ = [
    "plan_for",
]

#: How many distinct operation texts keep their plan (typed operations are few;
#: raw queries may be many).
PLAN_CACHE_SIZE = 512


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
