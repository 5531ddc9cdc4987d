"""Fluent's error codes and HTTP statuses become specific, catchable classes."""

from __future__ import annotations

import warnings
from typing import Any

import httpx
import pytest

from fluent_gql import (
    FluentClient,
    FluentComplexityRefusedError,
    FluentConfig,
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
    FluentUnauthorizedError,
    FluentValueRefusedError,
    FluentWarning,
    GraphQLData,
)

CONFIG = FluentConfig(
    base_url="https://acct.example.com",
    username="u",
    password="p",
    client_id="c",
    client_secret="s",
    max_retries=0,
)


def answering(response: httpx.Response) -> FluentClient:
    """A client whose /graphql always gives ``response``."""

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return httpx.Response(200, json={"access_token": "t", "expires_in": 600})
        return response

    return FluentClient(CONFIG, transport=httpx.MockTransport(handler))


def errors(*entries: dict[str, Any], data: Any = None) -> httpx.Response:
    """A 200 GraphQL response carrying ``entries``."""
    return httpx.Response(200, json={"data": data, "errors": list(entries)})


@pytest.mark.parametrize(
    ("code", "cls"),
    [
        ("C0001E", FluentComplexityRefusedError),
        ("C0011E", FluentGraphQLRateLimitError),
        ("C0020E", FluentPermissionError),
        ("C0120E", FluentEntityNotFoundError),
        ("C0100E", FluentValueRefusedError),
        ("C0141E", FluentValueRefusedError),
        ("C0160E", FluentValueRefusedError),
        ("S0001E", FluentGraphQLServerError),
    ],
)
def test_each_fluent_code_maps_to_its_class(
    code: str, cls: type[FluentGraphQLError]
) -> None:
    """The class follows the code in extensions.code."""
    client = answering(errors({"message": "boom", "extensions": {"code": code}}))

    with pytest.raises(cls) as caught:
        client.graphql("query { me { id } }")

    assert caught.value.code == code


def test_a_code_only_in_the_message_is_found() -> None:
    """Fluent sometimes puts the code only in the text."""
    client = answering(errors({"message": "C0120E: Order with ref X not found"}))

    with pytest.raises(FluentEntityNotFoundError):
        client.graphql("query { me { id } }")


def test_an_unknown_code_falls_back_to_the_base_class_and_keeps_it() -> None:
    """T9999E is not mapped: FluentGraphQLError with code T9999E."""
    client = answering(
        errors({"message": "third party", "extensions": {"code": "T9999E"}})
    )

    with pytest.raises(FluentGraphQLError) as caught:
        client.graphql("query { me { id } }")

    assert type(caught.value) is FluentGraphQLError
    assert caught.value.code == "T9999E"


def test_missing_permissions_are_parsed_from_the_message() -> None:
    """C0020E lists the permissions the user lacks."""
    message = "C0020E: User is missing the permissions [ORDER_VIEW, CUSTOMER_CREATE]"
    client = answering(errors({"message": message}))

    with pytest.raises(FluentPermissionError) as caught:
        client.graphql("query { me { id } }")

    assert caught.value.missing_permissions == ["ORDER_VIEW", "CUSTOMER_CREATE"]


def test_warnings_are_issued_and_kept_not_raised(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A W code with data returns the data, warns, logs and keeps the entries."""
    client = answering(
        errors(
            {"message": "slow query", "extensions": {"code": "C0002W"}},
            data={"me": None},
        )
    )

    with pytest.warns(FluentWarning, match="slow query") as record:
        data = client.graphql("query { me { id } }")

    assert data == {"me": None}
    assert isinstance(data, GraphQLData)
    assert [w.code for w in data.warnings] == ["C0002W"]
    assert record[0].message.entries[0].code == "C0002W"  # type: ignore[union-attr]
    assert "Fluent warning: [C0002W] slow query" in caplog.text


def test_a_warning_beside_an_error_does_not_hide_the_error() -> None:
    """Errors raise even when warnings came along; the class follows the error."""
    client = answering(
        errors(
            {"message": "note", "extensions": {"code": "C0002W"}},
            {"message": "nope", "extensions": {"code": "C0120E"}},
        )
    )

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(FluentEntityNotFoundError):
            client.graphql("query { me { id } }")


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (401, FluentUnauthorizedError),
        (403, FluentForbiddenError),
        (404, FluentEndpointNotFoundError),
        (413, FluentPayloadTooLargeError),
        (429, FluentHTTPRateLimitError),
        (500, FluentHTTPServerError),
        (503, FluentHTTPServerError),
        (418, FluentHTTPError),
    ],
)
def test_each_http_status_maps_to_its_class_with_status_excerpt_and_request_id(
    status: int, cls: type[FluentHTTPError]
) -> None:
    """Status, body excerpt and request id are kept on every HTTP error."""
    response = httpx.Response(
        status, text=f"<h1>{status} oops</h1>", headers={"X-Request-Id": "rid-1"}
    )

    with pytest.raises(cls) as caught:
        answering(response).graphql("query { me { id } }")

    assert type(caught.value) is cls
    assert caught.value.status_code == status
    assert f"{status} oops" in caught.value.body_excerpt
    assert caught.value.request_id == "rid-1"


def test_secrets_echoed_in_a_body_are_masked_in_the_error() -> None:
    """A proxy that echoes the Authorization header does not leak the token."""
    body = '{"echo": {"Authorization": "Bearer tok-SECRET-1"}, "password": "p4ss"}'
    response = httpx.Response(502, text=body)

    with pytest.raises(FluentHTTPServerError) as caught:
        answering(response).graphql("query { me { id } }")

    text = str(caught.value) + caught.value.body_excerpt
    assert "tok-SECRET-1" not in text and "p4ss" not in text
    assert "Bearer ***" in text
