"""fluent-gql: a typed Python client for the Fluent Commerce GraphQL API.

Example::

    from fluent_gql import FluentClient, FluentConfig

    with FluentClient(FluentConfig.from_env()) as client:
        print(client.me().me)

Generated result and input models are in :mod:`fluent_gql.types`; the local
Fluent-compatible server for tests is :mod:`fluent_gql.emulator` (the ``emulator``
extra).
"""

from fluent_gql._auth import TokenInfo
from fluent_gql._client import AsyncFluentClient, FluentClient
from fluent_gql._config import DEFAULT_TIMEOUT, FluentConfig
from fluent_gql._exceptions import (
    FluentAuthError,
    FluentComplexityWarning,
    FluentConfigError,
    FluentEndpointNotFoundError,
    FluentError,
    FluentForbiddenError,
    FluentGraphQLError,
    FluentGraphQLRateLimitError,
    FluentHTTPError,
    FluentHTTPRateLimitError,
    FluentInputError,
    FluentNotFoundError,
    FluentPayloadTooLargeError,
    FluentPermissionError,
    FluentQueryComplexityError,
    FluentQueryTooComplexError,
    FluentQueryValidationError,
    FluentRateLimitError,
    FluentRequestTooLargeError,
    FluentResponseError,
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
    "AsyncFluentClient",
    "FluentAuthError",
    "FluentClient",
    "FluentComplexityWarning",
    "FluentConfig",
    "FluentConfigError",
    "FluentEndpointNotFoundError",
    "FluentError",
    "FluentForbiddenError",
    "FluentGraphQLError",
    "FluentGraphQLRateLimitError",
    "FluentHTTPError",
    "FluentHTTPRateLimitError",
    "FluentInputError",
    "FluentNotFoundError",
    "FluentPayloadTooLargeError",
    "FluentPermissionError",
    "FluentQueryComplexityError",
    "FluentQueryTooComplexError",
    "FluentQueryValidationError",
    "FluentRateLimitError",
    "FluentRequestTooLargeError",
    "FluentResponseError",
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

# Present every public name as fluent_gql.X (in reprs, tracebacks and docs).
for _name in __all__:
    _obj = globals()[_name]
    if hasattr(_obj, "__module__") and not isinstance(
        _obj, str | type(DEFAULT_TIMEOUT)
    ):
        _obj.__module__ = "fluent_gql"
del _name, _obj
