"""The retry policy: what is retried, what never is, and how long it waits."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import httpx
import pytest

from fluent_gql import (
    AsyncFluentClient,
    FluentClient,
    FluentConfig,
    FluentError,
    FluentGraphQLRateLimitError,
    FluentHTTPError,
    FluentHTTPRateLimitError,
    FluentHTTPServerError,
    FluentRateLimitError,
    FluentResponseError,
    FluentTimeoutError,
    FluentTransportError,
    RetryPolicy,
)
from fluent_gql._retry import backoff, parse_retry_after

FAST = RetryPolicy(max_retries=2, initial_delay=0.001, max_delay=0.002)
CONFIG = FluentConfig(
    base_url="https://acct.example.com",
    username="u",
    password="p",
    client_id="c",
    client_secret="s",
)
QUERY = "query me { me { id } }"
MUTATION = "mutation m { createCustomer(input: null) { id } }"

Answer = httpx.Response | Exception


class Server:
    """A scripted /graphql: answers in order, then 200 with data; counts calls."""

    def __init__(self, *answers: Answer) -> None:
        self.answers: Iterator[Answer] = iter(answers)
        self.graphql_calls = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            return httpx.Response(200, json={"access_token": "tok", "expires_in": 600})
        self.graphql_calls += 1
        answer = next(self.answers, None)
        if answer is None:
            return httpx.Response(
                200, json={"data": {"me": None, "createCustomer": None}}
            )
        if isinstance(answer, Exception):
            raise answer
        return answer


def client_for(server: Server, policy: RetryPolicy = FAST) -> FluentClient:
    """A client on the scripted server with fast retries."""
    return FluentClient(
        CONFIG, transport=httpx.MockTransport(server), retry_policy=policy
    )


def status(code: int, **headers: str) -> httpx.Response:
    """An HTTP answer with a short body."""
    return httpx.Response(code, text=f"status {code}", headers=headers)


def rate_limited_graphql() -> httpx.Response:
    """Fluent's rate limit as a GraphQL error at HTTP 200."""
    body = {
        "errors": [{"message": "Rate limit exceeded", "extensions": {"code": "C0011E"}}]
    }
    return httpx.Response(200, json=body)


RETRYABLE: list[Callable[[], Answer]] = [
    lambda: httpx.ConnectError("refused"),
    lambda: httpx.ReadTimeout("slow"),
    lambda: httpx.RemoteProtocolError("dropped"),
    lambda: status(408),
    lambda: status(429),
    lambda: status(502),
    lambda: status(503),
    lambda: status(504),
    rate_limited_graphql,
    lambda: httpx.Response(200, content=b'{"data": {"me": '),
    lambda: httpx.Response(200, text="<html>maintenance</html>"),
]


@pytest.mark.parametrize("failure", RETRYABLE)
def test_a_query_is_retried_after_each_transient_failure(
    failure: Callable[[], Answer],
) -> None:
    """Two failures, then success: the query returns data after three attempts."""
    server = Server(failure(), failure())

    data = client_for(server).graphql(QUERY)

    assert data == {"me": None, "createCustomer": None}
    assert server.graphql_calls == 3


@pytest.mark.parametrize("code", [400, 401, 403, 404, 413])
def test_client_errors_are_never_retried(code: int) -> None:
    """400, 401 (after the re-login), 403, 404 and 413 are final at once."""
    server = Server(status(code), status(code), status(code))

    with pytest.raises(FluentHTTPError) as caught:
        client_for(server).graphql(QUERY)

    assert caught.value.status_code == code
    assert server.graphql_calls == (2 if code == 401 else 1)  # 401: one re-login


def test_graphql_validation_errors_are_never_retried() -> None:
    """A GraphQL error (other than the rate limit) is final."""
    body = {"errors": [{"message": "bad", "extensions": {"code": "C0141E"}}]}
    server = Server(httpx.Response(200, json=body))

    with pytest.raises(FluentError):
        client_for(server).graphql(QUERY)

    assert server.graphql_calls == 1


def test_retries_stop_at_max_retries_with_the_last_error() -> None:
    """After max_retries retries the last failure is raised."""
    server = Server(*(status(503) for _ in range(5)))

    with pytest.raises(FluentHTTPServerError):
        client_for(server).graphql(QUERY)

    assert server.graphql_calls == 3


@pytest.mark.parametrize(
    ("failure", "error"),
    [
        (lambda: httpx.ReadTimeout("slow"), FluentTimeoutError),
        (lambda: httpx.RemoteProtocolError("dropped"), FluentTransportError),
        (lambda: httpx.WriteError("broken pipe"), FluentTransportError),
        (lambda: status(502), FluentHTTPServerError),
        (lambda: status(503), FluentHTTPServerError),
        (lambda: status(504), FluentHTTPServerError),
        (lambda: httpx.Response(200, content=b'{"data": {"c'), FluentResponseError),
    ],
)
def test_a_mutation_is_not_resent_after_an_ambiguous_failure(
    failure: Callable[[], Answer], error: type[FluentError]
) -> None:
    """The write may have happened: one attempt, and the error says so."""
    server = Server(failure(), failure())

    with pytest.raises(error) as caught:
        client_for(server).graphql(MUTATION)

    assert server.graphql_calls == 1
    assert caught.value.maybe_applied is True
    assert "may or may not have been applied" in str(caught.value)


@pytest.mark.parametrize(
    "failure",
    [lambda: httpx.ConnectError("refused"), lambda: status(429), rate_limited_graphql],
)
def test_a_mutation_is_resent_when_it_provably_did_not_run(
    failure: Callable[[], Answer],
) -> None:
    """Connection refused and rate limiting mean it never ran: safe to resend."""
    server = Server(failure())

    client_for(server).graphql(MUTATION)

    assert server.graphql_calls == 2


def test_an_idempotent_write_can_opt_in_to_full_retries() -> None:
    """with_options(retry_mutations=True) retries a mutation like a query."""
    server = Server(httpx.ReadTimeout("slow"), status(502))
    client = client_for(server)

    client.with_options(retry_mutations=True).graphql(MUTATION)

    assert server.graphql_calls == 3
    assert client.retry_policy.retry_mutations is False  # the original is unchanged


def test_a_mutation_that_never_got_an_answer_after_retries_is_marked() -> None:
    """Even with retries allowed, the final ambiguous failure says maybe_applied."""
    server = Server(*(httpx.ReadTimeout("slow") for _ in range(3)))
    client = client_for(server).with_options(retry_mutations=True)

    with pytest.raises(FluentTimeoutError) as caught:
        client.graphql(MUTATION)

    assert caught.value.maybe_applied is True


def test_max_retries_zero_disables_retrying() -> None:
    """with_options(max_retries=0) makes one attempt only."""
    server = Server(status(503))

    with pytest.raises(FluentHTTPServerError):
        client_for(server).with_options(max_retries=0).graphql(QUERY)

    assert server.graphql_calls == 1


def test_rate_limit_errors_share_a_base_class_and_keep_retry_after() -> None:
    """HTTP 429 and C0011E are both FluentRateLimitError; 429 keeps Retry-After."""
    policy = RetryPolicy(max_retries=0)
    http = Server(status(429, **{"Retry-After": "7"}))
    graphql = Server(rate_limited_graphql())

    with pytest.raises(FluentHTTPRateLimitError) as first:
        client_for(http, policy).graphql(QUERY)
    with pytest.raises(FluentGraphQLRateLimitError) as second:
        client_for(graphql, policy).graphql(QUERY)

    assert isinstance(first.value, FluentRateLimitError)
    assert isinstance(second.value, FluentRateLimitError)
    assert first.value.retry_after == 7.0


def test_every_retry_decision_is_logged_at_debug(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The log names the operation, the attempt, the reason and the delay."""
    caplog.set_level(logging.DEBUG, logger="fluent_gql")
    server = Server(status(503, **{"Retry-After": "0.01"}))

    client_for(server).graphql(QUERY)

    assert "retrying query me after HTTP 503: attempt 2 of 3 in 0.01 s" in caplog.text


def test_retry_after_is_honoured_up_to_the_cap(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A server asking for an hour waits only max_retry_after."""
    caplog.set_level(logging.DEBUG, logger="fluent_gql")
    policy = RetryPolicy(max_retries=1, max_retry_after=0.02)
    server = Server(status(429, **{"Retry-After": "3600"}))

    client_for(server, policy).graphql(QUERY)

    assert "in 0.02 s" in caplog.text


def test_retry_after_reads_seconds_and_http_dates() -> None:
    """Both forms of the header are understood; garbage is ignored."""
    assert parse_retry_after("12") == 12.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412490.0) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_backoff_is_full_jitter_under_an_exponential_cap() -> None:
    """Each wait is drawn from [0, min(max_delay, initial * 2**attempt)]."""
    policy = RetryPolicy(initial_delay=0.5, max_delay=8.0)
    waits = {n: [backoff(n, policy) for _ in range(200)] for n in range(7)}

    for attempt, drawn in waits.items():
        ceiling = min(8.0, 0.5 * 2**attempt)
        assert all(0.0 <= w <= ceiling for w in drawn)
        assert max(drawn) > ceiling / 2  # spread over the range, not pinned to 0


def test_a_failing_token_endpoint_is_retried_like_a_connection_failure() -> None:
    """A 503 from /oauth/token is retried even for a mutation: nothing was sent."""
    calls = {"token": 0, "graphql": 0}

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            calls["token"] += 1
            if calls["token"] == 1:
                return httpx.Response(503, text="busy")
            return httpx.Response(200, json={"access_token": "t", "expires_in": 600})
        calls["graphql"] += 1
        return httpx.Response(200, json={"data": {"createCustomer": None}})

    client = FluentClient(
        CONFIG, transport=httpx.MockTransport(handler), retry_policy=FAST
    )

    client.graphql(MUTATION)

    assert calls == {"token": 2, "graphql": 1}


def test_the_policy_rejects_nonsense() -> None:
    """max_retries=None ('forever') and negative values are refused with reasons."""
    with pytest.raises(TypeError, match="forever"):
        RetryPolicy(max_retries=None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="max_retries"):
        RetryPolicy(max_retries=-1)
    with pytest.raises(ValueError, match="initial_delay"):
        RetryPolicy(initial_delay=-1)


@pytest.mark.anyio
async def test_the_async_client_follows_the_same_policy() -> None:
    """Queries retried, ambiguous mutations not resent, awaited."""
    query_server = Server(status(502), httpx.ReadTimeout("slow"))
    mutation_server = Server(status(504))

    async with AsyncFluentClient(
        CONFIG, transport=httpx.MockTransport(query_server), retry_policy=FAST
    ) as client:
        await client.graphql(QUERY)
    async with AsyncFluentClient(
        CONFIG, transport=httpx.MockTransport(mutation_server), retry_policy=FAST
    ) as client:
        with pytest.raises(FluentHTTPServerError) as caught:
            await client.graphql(MUTATION)

    assert query_server.graphql_calls == 3
    assert mutation_server.graphql_calls == 1
    assert caught.value.maybe_applied is True
