"""Turn an HTTP response from ``/graphql`` into ``data`` or the right FluentError.

Pure functions shared by the sync and async clients.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import httpx
import pydantic
import pydantic_core

from fluent_gql._exceptions import (
    BODY_EXCERPT_CHARS,
    FluentComplexityRefusedError,
    FluentEndpointNotFoundError,
    FluentEntityNotFoundError,
    FluentForbiddenError,
    FluentGraphQLError,
    FluentGraphQLRateLimitError,
    FluentGraphQLServerError,
    FluentHTTPError,
    FluentHTTPRateLimitError,
    FluentHTTPServerError,
    FluentPayloadTooLargeError,
    FluentPermissionError,
    FluentResponseError,
    FluentTimeoutError,
    FluentTransportError,
    FluentUnauthorizedError,
    FluentValueRefusedError,
    GraphQLErrorEntry,
)
from fluent_gql._redact import redact
from fluent_gql._retry import parse_retry_after

__all__ = ["FluentWarning", "GraphQLData", "data_from_response"]

logger = logging.getLogger("fluent_gql")

#: Response headers that carry a request id, in the order they are looked for.
REQUEST_ID_HEADERS = ("x-request-id", "x-amzn-requestid", "x-amz-cf-id")

#: How to say that a write's outcome is unknown, in every error that needs it.
MAYBE_APPLIED_NOTE = (
    "the mutation reached Fluent but no answer came back: it may or may not have "
    "been applied, and it was not resent"
)

Redactor = Callable[[str], str]


class FluentWarning(UserWarning):
    """A Fluent warning (a code ending in ``W``) that came with a successful answer.

    Attributes:
        entries: the warning entries, with their codes.
    """

    def __init__(self, message: str, entries: Sequence[GraphQLErrorEntry] = ()) -> None:
        super().__init__(message)
        self.entries = list(entries)


class GraphQLData(dict[str, Any]):
    """The ``data`` of a response: a plain dict, plus any Fluent ``warnings``."""

    warnings: list[GraphQLErrorEntry]

    def __init__(
        self, data: Mapping[str, Any], warnings: Sequence[GraphQLErrorEntry] = ()
    ) -> None:
        super().__init__(data)
        self.warnings = list(warnings)


def _excerpt(response: httpx.Response, scrub: Redactor) -> str:
    return scrub(response.text[:BODY_EXCERPT_CHARS])


def _entries(body: object, scrub: Redactor) -> list[GraphQLErrorEntry]:
    """The ``errors`` of a body, each message redacted like every other text that
    comes from the server."""
    errors = body.get("errors") if isinstance(body, Mapping) else None
    if not isinstance(errors, list):
        if errors:  # not a list, but something: keep it as one entry
            return [GraphQLErrorEntry(message=scrub(str(errors)))]
        return []
    return [
        GraphQLErrorEntry.from_dict(
            e if isinstance(e, Mapping) else {"message": str(e)}, scrub
        )
        for e in errors
    ]


def _request_id(response: httpx.Response) -> str | None:
    return next(
        (response.headers[h] for h in REQUEST_ID_HEADERS if h in response.headers), None
    )


_HTTP_CLASSES: dict[int, type[FluentHTTPError]] = {
    401: FluentUnauthorizedError,
    403: FluentForbiddenError,
    404: FluentEndpointNotFoundError,
    413: FluentPayloadTooLargeError,
    429: FluentHTTPRateLimitError,
}


def http_error(
    response: httpx.Response,
    body: object,
    *,
    scrub: Redactor = redact,
    maybe_applied: bool = False,
) -> FluentHTTPError:
    """The FluentHTTPError subclass for a non-2xx response."""
    status = response.status_code
    entries = _entries(body, scrub)
    detail = "; ".join(str(e) for e in entries) or _excerpt(response, scrub).strip()
    message = f"HTTP {status} {response.reason_phrase} from {response.request.url}"
    if detail:
        message += f": {scrub(detail)[:BODY_EXCERPT_CHARS]}"
    if maybe_applied:
        message += f" ({MAYBE_APPLIED_NOTE})"
    cls = _HTTP_CLASSES.get(
        status, FluentHTTPServerError if status >= 500 else FluentHTTPError
    )
    error = cls(
        message,
        status_code=status,
        body_excerpt=_excerpt(response, scrub),
        request_id=_request_id(response),
        errors=entries,
    )
    error.maybe_applied = maybe_applied
    if isinstance(error, FluentHTTPRateLimitError):
        error.retry_after = parse_retry_after(response.headers.get("retry-after"))
    return error


# "... missing permissions: [ORDER_VIEW, CUSTOMER_CREATE]" (Fluent lists the names)
_PERMISSION_NAME = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")


def graphql_error(
    entries: Sequence[GraphQLErrorEntry], data: dict[str, Any] | None
) -> FluentGraphQLError:
    """The FluentGraphQLError subclass for the first Fluent code among ``entries``."""
    code = next((e.code for e in entries if e.code), "") or ""
    cls: type[FluentGraphQLError] = FluentGraphQLError
    if code.startswith("C0001"):
        cls = FluentComplexityRefusedError
    elif code.startswith("C0011"):
        cls = FluentGraphQLRateLimitError
    elif code.startswith("C0020"):
        cls = FluentPermissionError
    elif code.startswith("C0120"):
        cls = FluentEntityNotFoundError
    elif code.startswith("C01"):
        cls = FluentValueRefusedError
    elif code.startswith("S"):
        cls = FluentGraphQLServerError
    error = cls(entries, data)
    if isinstance(error, FluentPermissionError):
        text = " ".join(
            e.message for e in entries if (e.code or "").startswith("C0020")
        )
        error.missing_permissions = [
            name for name in _PERMISSION_NAME.findall(text) if name != code
        ]
    return error


def _warn(entries: Sequence[GraphQLErrorEntry]) -> None:
    text = "; ".join(str(e) for e in entries)
    logger.warning("Fluent warning: %s", text)
    warnings.warn(FluentWarning(f"Fluent warning: {text}", entries), stacklevel=4)


def data_from_response(
    response: httpx.Response, *, scrub: Redactor = redact
) -> GraphQLData:
    """Return the ``data`` of a GraphQL response, or raise the matching error.

    Fluent warnings (codes ending in ``W``) do not raise: they are logged, issued
    as :class:`FluentWarning` and kept on the returned data's ``warnings``.

    Raises:
        FluentHTTPError: the status is not 2xx (GraphQL errors in the body are kept).
        FluentResponseError: the body is not a GraphQL response.
        FluentGraphQLError: the body has ``errors`` (partial ``data`` is kept).
    """
    status = response.status_code
    try:
        # pydantic-core's parser is about twice as fast as json.loads here.
        content = response.content
        body: object = pydantic_core.from_json(content) if content else None
        parsed = True
    except ValueError:
        body, parsed = None, False
    if not response.is_success:
        raise http_error(response, body, scrub=scrub)
    if not parsed or not isinstance(body, dict) or not ({"data", "errors"} & set(body)):
        what = (
            "an empty body"
            if not response.content
            else "a body that is not a GraphQL response"
        )
        raise FluentResponseError(
            f"HTTP {status} with {what}",
            status_code=status,
            body_excerpt=_excerpt(response, scrub),
        )
    data = body.get("data")
    entries = _entries(body, scrub)
    errors = [e for e in entries if not (e.code or "").endswith("W")]
    if errors:
        raise graphql_error(errors, data if isinstance(data, dict) else None)
    if not isinstance(data, dict):
        raise FluentResponseError(
            f"HTTP {status} with no data object",
            status_code=status,
            body_excerpt=_excerpt(response, scrub),
        )
    if entries:
        _warn(entries)
    return GraphQLData(data, entries)


def transport_error(
    exc: httpx.RequestError, *, maybe_applied: bool = False
) -> FluentTransportError:
    """Translate an httpx request failure (the URL is kept: it holds no secrets)."""
    where = (
        f"{exc.request.method} {exc.request.url}" if _has_request(exc) else "request"
    )
    reason = redact(str(exc)) or type(exc).__name__
    message = f"{where} failed ({type(exc).__name__}): {reason}"
    cls = FluentTransportError
    if isinstance(exc, httpx.TimeoutException):
        cls = FluentTimeoutError
        message = f"{where} timed out ({type(exc).__name__}): {reason}"
    if maybe_applied:
        message += f"; {MAYBE_APPLIED_NOTE}"
    error = cls(message)
    error.maybe_applied = maybe_applied
    return error


def _has_request(exc: httpx.RequestError) -> bool:
    try:
        exc.request  # noqa: B018  (raises RuntimeError when unset)
    except RuntimeError:
        return False
    return True


def model_error(exc: pydantic.ValidationError) -> FluentResponseError:
    """Translate a generated model's validation failure (values are left out)."""
    first = exc.errors(include_input=False)[0] if exc.error_count() else None
    where = ".".join(str(p) for p in first["loc"]) if first else "?"
    message = first["msg"] if first else "invalid"
    return FluentResponseError(
        f"the response data does not fit the {exc.title} model: "
        f"{exc.error_count()} error(s), first at {where}: {message}"
    )
