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

from fluent_gql._exceptions import (
    FluentAuthError,
    FluentClientClosedError,
    FluentComplexityError,
    FluentComplexityEstimateError,
    FluentComplexityRefusedError,
    FluentComplexityWarning,
    FluentConfigError,
    FluentEndpointNotFoundError,
    FluentEntityNotFoundError,
    FluentError,
    FluentEventError,
    FluentForbiddenError,
    FluentGraphQLError,
    FluentGraphQLRateLimitError,
    FluentGraphQLServerError,
    FluentHTTPError,
    FluentHTTPRateLimitError,
    FluentHTTPServerError,
    FluentInputError,
    FluentNoRulesetMatchedError,
    FluentNotFoundError,
    FluentPayloadTooLargeError,
    FluentPermissionError,
    FluentQueryValidationError,
    FluentRateLimitError,
    FluentRequestTooLargeError,
    FluentResponseError,
    FluentSchemaWarning,
    FluentServerError,
    FluentTimeoutError,
    FluentTransportError,
    FluentUnauthorizedError,
    FluentValidationError,
    FluentValueRefusedError,
    GraphQLErrorEntry,
)
from fluent_gql._version import __version__

__all__ = [
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "AsyncFluentBaseClient",
    "AsyncFluentClient",
    "FluentAuthError",
    "FluentBaseClient",
    "FluentClient",
    "FluentClientClosedError",
    "FluentComplexityError",
    "FluentComplexityEstimateError",
    "FluentComplexityRefusedError",
    "FluentComplexityWarning",
    "FluentConfig",
    "FluentConfigError",
    "FluentEndpointNotFoundError",
    "FluentEntityNotFoundError",
    "FluentError",
    "FluentEventError",
    "FluentForbiddenError",
    "FluentGraphQLError",
    "FluentGraphQLRateLimitError",
    "FluentGraphQLServerError",
    "FluentHTTPError",
    "FluentHTTPRateLimitError",
    "FluentHTTPServerError",
    "FluentInputError",
    "FluentNoRulesetMatchedError",
    "FluentNotFoundError",
    "FluentPayloadTooLargeError",
    "FluentPermissionError",
    "FluentQueryValidationError",
    "FluentRateLimitError",
    "FluentRequestTooLargeError",
    "FluentResponseError",
    "FluentSchemaWarning",
    "FluentServerError",
    "FluentTimeoutError",
    "FluentTransportError",
    "FluentUnauthorizedError",
    "FluentValidationError",
    "FluentValueRefusedError",
    "FluentWarning",
    "GraphQLData",
    "GraphQLErrorEntry",
    "RequestOptions",
    "RetryPolicy",
    "TokenInfo",
    "__version__",
]

# Everything that loads httpx, pydantic or the generated models is imported on first
# use, so that `import fluent_gql` (and with it pytest's start-up in every project
# that installs our pytest plugin, and the command line's) stays fast.
_LAZY = {
    "AsyncFluentBaseClient": "fluent_gql._base",
    "AsyncFluentClient": "fluent_gql._client",
    "DEFAULT_MAX_RETRIES": "fluent_gql._retry",
    "DEFAULT_TIMEOUT": "fluent_gql._config",
    "FluentBaseClient": "fluent_gql._base",
    "FluentClient": "fluent_gql._client",
    "FluentConfig": "fluent_gql._config",
    "FluentWarning": "fluent_gql._response",
    "GraphQLData": "fluent_gql._response",
    "RequestOptions": "fluent_gql._request",
    "RetryPolicy": "fluent_gql._retry",
    "TokenInfo": "fluent_gql._auth",
}

if _typing.TYPE_CHECKING:
    from fluent_gql._auth import TokenInfo
    from fluent_gql._base import AsyncFluentBaseClient, FluentBaseClient
    from fluent_gql._client import AsyncFluentClient, FluentClient
    from fluent_gql._config import DEFAULT_TIMEOUT, FluentConfig
    from fluent_gql._request import RequestOptions
    from fluent_gql._response import FluentWarning, GraphQLData
    from fluent_gql._retry import DEFAULT_MAX_RETRIES, RetryPolicy


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
