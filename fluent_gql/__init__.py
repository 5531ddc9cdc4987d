"""fluent-gql: a typed Python client for the Fluent Commerce GraphQL API.

Example::

    from fluent_gql import FluentClient, FluentConfig

    with FluentClient(FluentConfig.from_env()) as client:
        print(client.me().me)

Generated result and input models are in :mod:`fluent_gql.types`; your own
operations compile into clients on :class:`FluentBaseClient` with
:mod:`fluent_gql.codegen` (``fluent-gql generate``); the local
Fluent-compatible server for tests is :mod:`fluent_gql.emulator` (the ``emulator``
extra).
"""

import importlib as _importlib
import typing as _typing

from fluent_gql._config import DEFAULT_TIMEOUT, FluentConfig
from fluent_gql._exceptions import (
    FluentAuthError,
    FluentComplexityWarning,
    FluentConfigError,
    FluentEndpointNotFoundError,
    FluentError,
    FluentEventError,
    FluentForbiddenError,
    FluentGraphQLError,
    FluentGraphQLRateLimitError,
    FluentHTTPError,
    FluentHTTPRateLimitError,
    FluentInputError,
    FluentNoRulesetMatchedError,
    FluentNotFoundError,
    FluentPayloadTooLargeError,
    FluentPermissionError,
    FluentQueryComplexityError,
    FluentQueryTooComplexError,
    FluentQueryValidationError,
    FluentRateLimitError,
    FluentRequestTooLargeError,
    FluentResponseError,
    FluentSchemaWarning,
    FluentServerError,
    FluentServerSideError,
    FluentTimeoutError,
    FluentTransportError,
    FluentUnauthorizedError,
    FluentValidationError,
    GraphQLErrorEntry,
)
from fluent_gql._response import FluentWarning, GraphQLData
from fluent_gql._retry import DEFAULT_MAX_RETRIES, RetryPolicy
from fluent_gql._version import __version__

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "AsyncFluentBaseClient",
    "AsyncFluentClient",
    "FluentAuthError",
    "FluentBaseClient",
    "FluentClient",
    "FluentComplexityWarning",
    "FluentConfig",
    "FluentConfigError",
    "FluentEndpointNotFoundError",
    "FluentError",
    "FluentEventError",
    "FluentForbiddenError",
    "FluentGraphQLError",
    "FluentGraphQLRateLimitError",
    "FluentHTTPError",
    "FluentHTTPRateLimitError",
    "FluentInputError",
    "FluentNoRulesetMatchedError",
    "FluentNotFoundError",
    "FluentPayloadTooLargeError",
    "FluentPermissionError",
    "FluentQueryComplexityError",
    "FluentQueryTooComplexError",
    "FluentQueryValidationError",
    "FluentRateLimitError",
    "FluentRequestTooLargeError",
    "FluentResponseError",
    "FluentSchemaWarning",
    "FluentServerError",
    "FluentServerSideError",
    "FluentTimeoutError",
    "FluentTransportError",
    "FluentUnauthorizedError",
    "FluentValidationError",
    "FluentWarning",
    "GraphQLData",
    "GraphQLErrorEntry",
    "RetryPolicy",
    "TokenInfo",
    "__version__",
]

# The clients (and the generated models they load) are imported on first use, so
# that `import fluent_gql`, and the command line's start-up, stay fast.
_LAZY = {
    "AsyncFluentBaseClient": "fluent_gql._base",
    "AsyncFluentClient": "fluent_gql._client",
    "FluentBaseClient": "fluent_gql._base",
    "FluentClient": "fluent_gql._client",
    "TokenInfo": "fluent_gql._auth",
}

if _typing.TYPE_CHECKING:
    from fluent_gql._auth import TokenInfo
    from fluent_gql._base import AsyncFluentBaseClient, FluentBaseClient
    from fluent_gql._client import AsyncFluentClient, FluentClient


def _public(value: _typing.Any) -> _typing.Any:
    """Present a public class as fluent_gql.X (in reprs, tracebacks and docs)."""
    if isinstance(value, type):
        value.__module__ = "fluent_gql"
    return value


def __getattr__(name: str) -> _typing.Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'fluent_gql' has no attribute {name!r}")
    value = _public(getattr(_importlib.import_module(module), name))
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


for _name in set(__all__) - set(_LAZY):
    _public(globals()[_name])
del _name
