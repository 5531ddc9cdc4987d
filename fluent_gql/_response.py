"""Turn an HTTP response from ``/graphql`` into ``data`` or the right FluentError.

Pure functions shared by the sync and async clients.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx
import pydantic
import pydantic_core

from fluent_gql._exceptions import (
    BODY_EXCERPT_CHARS,
    FluentGraphQLError,
    FluentHTTPError,
    FluentResponseError,
    FluentTimeoutError,
    FluentTransportError,
    GraphQLErrorEntry,
)

#: Response headers that carry a request id, in the order they are looked for.
REQUEST_ID_HEADERS = ("x-request-id", "x-amzn-requestid", "x-amz-cf-id")


def _excerpt(response: httpx.Response) -> str:
    return response.text[:BODY_EXCERPT_CHARS]


def _errors_of(body: object) -> list[GraphQLErrorEntry]:
    errors = body.get("errors") if isinstance(body, Mapping) else None
    if not isinstance(errors, list):
        return []
    return [
        GraphQLErrorEntry.from_dict(
            e if isinstance(e, Mapping) else {"message": str(e)}
        )
        for e in errors
    ]


def _request_id(response: httpx.Response) -> str | None:
    return next(
        (response.headers[h] for h in REQUEST_ID_HEADERS if h in response.headers), None
    )


def data_from_response(response: httpx.Response) -> dict[str, Any]:
    """Return the ``data`` of a GraphQL response, or raise the matching error.

    Raises:
        FluentHTTPError: the status is not 2xx (GraphQL errors in the body are kept).
        FluentResponseError: the body is not a GraphQL response.
        FluentGraphQLError: the body has ``errors`` (partial ``data`` is kept).
    """
    status = response.status_code
    try:
        body: object = json.loads(response.content) if response.content else None
    except ValueError:
        body = None
        parsed = False
    else:
        parsed = True
    if not response.is_success:
        errors = _errors_of(body)
        detail = "; ".join(str(e) for e in errors) or _excerpt(response).strip()
        raise FluentHTTPError(
            f"HTTP {status} {response.reason_phrase} from {response.request.url}"
            + (f": {detail[:BODY_EXCERPT_CHARS]}" if detail else ""),
            status_code=status,
            body_excerpt=_excerpt(response),
            request_id=_request_id(response),
            errors=errors,
        )
    if not parsed or not isinstance(body, dict) or not ({"data", "errors"} & set(body)):
        what = (
            "an empty body"
            if not response.content
            else "a body that is not a GraphQL response"
        )
        raise FluentResponseError(
            f"HTTP {status} with {what}",
            status_code=status,
            body_excerpt=_excerpt(response),
        )
    data = body.get("data")
    errors = _errors_of(body)
    if errors or body.get("errors"):
        raise FluentGraphQLError(
            errors or [GraphQLErrorEntry(message=str(body["errors"]))],
            data if isinstance(data, dict) else None,
        )
    if not isinstance(data, dict):
        raise FluentResponseError(
            f"HTTP {status} with no data object",
            status_code=status,
            body_excerpt=_excerpt(response),
        )
    return data


def transport_error(exc: httpx.RequestError) -> FluentTransportError:
    """Translate an httpx request failure (the URL is kept, it holds no secrets)."""
    where = (
        f"{exc.request.method} {exc.request.url}" if _has_request(exc) else "request"
    )
    reason = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        return FluentTimeoutError(f"{where} timed out ({type(exc).__name__}): {reason}")
    return FluentTransportError(f"{where} failed ({type(exc).__name__}): {reason}")


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


def unserialisable(exc: pydantic_core.PydanticSerializationError) -> TypeError:
    """A variable that cannot be sent as JSON is the caller's mistake: a TypeError."""
    return TypeError(f"GraphQL variables must be JSON-serialisable: {exc}")
