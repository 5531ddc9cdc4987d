"""Every failure becomes a FluentError (unit tests with mock transports for the
shapes the emulator does not produce)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import httpx
import pytest

from fluent_gql import (
    AsyncFluentClient,
    FluentClient,
    FluentConfig,
    FluentError,
    FluentGraphQLError,
    FluentHTTPError,
    FluentResponseError,
    FluentTimeoutError,
    FluentTransportError,
)
from fluent_gql._exceptions import GraphQLErrorEntry


def token() -> httpx.Response:
    """A fresh token response (responses are single-use)."""
    return httpx.Response(200, json={"access_token": "tok", "expires_in": 3600})


# No retries here: these tests look at how one failure is reported.
CONFIG = FluentConfig(
    base_url="https://acct.example.com",
    username="u",
    password="p",
    client_id="c",
    client_secret="s",
    max_retries=0,
)

Handler = Callable[[httpx.Request], httpx.Response]


def client_for(graphql: Handler) -> FluentClient:
    """A client whose /graphql answers come from ``graphql``."""

    def handler(request: httpx.Request) -> httpx.Response:
        return token() if request.url.path == "/oauth/token" else graphql(request)

    return FluentClient(CONFIG, transport=httpx.MockTransport(handler))


def test_an_html_502_page_is_an_http_error_with_an_excerpt() -> None:
    """A load balancer's HTML page keeps its status and the start of its body."""
    page = "<html><body>502 Bad Gateway</body></html>"
    client = client_for(
        lambda r: httpx.Response(502, text=page, headers={"x-request-id": "req-7"})
    )

    with pytest.raises(FluentHTTPError) as caught:
        client.me()

    assert caught.value.status_code == 502
    assert caught.value.request_id == "req-7"
    assert "502 Bad Gateway" in caught.value.body_excerpt


def test_graphql_errors_inside_a_4xx_body_are_parsed() -> None:
    """Fluent's 400 with an errors list exposes each entry and its code."""
    body = {"errors": [{"message": "C0140E: missing variable", "extensions": {}}]}
    client = client_for(lambda r: httpx.Response(400, json=body))

    with pytest.raises(FluentHTTPError) as caught:
        client.graphql("query { me { id } }")

    assert caught.value.errors[0].code == "C0140E"
    assert "missing variable" in str(caught.value)


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        (httpx.Response(200, content=b""), "empty body"),
        (
            httpx.Response(200, text="<html>maintenance</html>"),
            "not a GraphQL response",
        ),
        (httpx.Response(200, content=b'{"data": {"me": '), "not a GraphQL response"),
        (httpx.Response(200, json={"hello": "world"}), "not a GraphQL response"),
        (httpx.Response(200, json=[1, 2]), "not a GraphQL response"),
        (httpx.Response(200, json={"data": None}), "no data object"),
    ],
)
def test_a_2xx_that_is_not_a_graphql_response_is_a_response_error(
    response: httpx.Response, expected: str
) -> None:
    """Empty, HTML, truncated or shapeless bodies never escape as json errors."""
    client = client_for(lambda r: response)

    with pytest.raises(FluentResponseError, match=expected) as caught:
        client.graphql("query { me { id } }")

    assert caught.value.status_code == 200


def test_data_that_does_not_fit_the_models_is_a_response_error() -> None:
    """A pydantic validation failure is translated, and names where it failed."""
    client = client_for(lambda r: httpx.Response(200, json={"data": {"me": {"id": 1}}}))

    with pytest.raises(FluentResponseError, match="does not fit") as caught:
        client.me()

    assert "me" in str(caught.value)
    assert not isinstance(caught.value, ValueError)


def test_partial_data_and_every_error_entry_are_kept() -> None:
    """Both entries, their paths and the partial data are on the exception."""
    body = {
        "data": {"a": {"id": "1"}, "b": None},
        "errors": [
            {"message": "Not found", "path": ["b"], "extensions": {"code": "C0120E"}},
            {
                "message": "boom S0001E happened",
                "locations": [{"line": 1, "column": 2}],
            },
        ],
    }
    client = client_for(lambda r: httpx.Response(200, json=body))

    with pytest.raises(FluentGraphQLError) as caught:
        client.graphql("query { a: me { id } b: me { id } }")

    err = caught.value
    assert err.data == {"a": {"id": "1"}, "b": None}
    assert [e.code for e in err.errors] == ["C0120E", "S0001E"]
    assert err.code == "C0120E"
    assert err.errors[0].path == ["b"]
    assert err.errors[1].locations == [{"line": 1, "column": 2}]


def test_a_connection_failure_is_a_transport_error() -> None:
    """httpx.ConnectError becomes FluentTransportError naming the request."""

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    client = client_for(refuse)

    with pytest.raises(
        FluentTransportError, match=re.escape("POST https://acct.example.com/graphql")
    ):
        client.me()


def test_a_read_timeout_is_a_timeout_error() -> None:
    """httpx.ReadTimeout becomes FluentTimeoutError, itself a transport error."""

    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    with pytest.raises(FluentTimeoutError):
        client_for(slow).me()


@pytest.mark.anyio
async def test_the_async_client_translates_the_same_failures() -> None:
    """Timeouts and model mismatches are FluentErrors when awaited too."""
    answers: Iterator[httpx.Response | Exception] = iter(
        [
            httpx.ReadTimeout("slow"),
            httpx.Response(200, json={"data": {"me": {"id": 1}}}),
        ]
    )

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return token()
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    async with AsyncFluentClient(
        CONFIG, transport=httpx.MockTransport(handler)
    ) as client:
        with pytest.raises(FluentTimeoutError):
            await client.me()
        with pytest.raises(FluentResponseError):
            await client.me()


def test_an_entry_reads_the_code_from_extensions_or_the_message() -> None:
    """extensions.code wins; otherwise a Fluent code in the text is used."""
    assert (
        GraphQLErrorEntry.from_dict(
            {"message": "x", "extensions": {"code": "C0001E"}}
        ).code
        == "C0001E"
    )
    assert (
        GraphQLErrorEntry.from_dict({"message": "failed: C0128E dup"}).code == "C0128E"
    )
    assert GraphQLErrorEntry.from_dict({"message": "no code C12"}).code is None


def test_every_error_class_is_a_fluent_error() -> None:
    """Catching FluentError catches them all."""
    for cls in (
        FluentHTTPError,
        FluentResponseError,
        FluentTimeoutError,
        FluentGraphQLError,
    ):
        assert issubclass(cls, FluentError)
