"""The Fluent base client that every generated client stands on, and the pytest
plugin's factories for a user's own client classes."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from fluent_gql import (
    AsyncFluentBaseClient,
    AsyncFluentClient,
    FluentBaseClient,
    FluentClient,
    FluentConfig,
    FluentResponseError,
)
from fluent_gql.emulator import EmulatorServer
from fluent_gql.pytest_plugin import AsyncClientFactory, SyncClientFactory
from fluent_gql_generated.base_model import UNSET
from fluent_gql_generated.input_types import DateRange


def test_our_clients_stand_on_the_base_through_the_generated_package() -> None:
    """FluentClient is connector modules over the generated Client over the base:
    no method of ours overrides a private method of the generated code."""
    from fluent_gql_generated.async_client import AsyncClient
    from fluent_gql_generated.client import Client

    assert issubclass(FluentClient, Client)
    assert issubclass(Client, FluentBaseClient)
    assert issubclass(AsyncFluentClient, AsyncClient)
    assert issubclass(AsyncClient, AsyncFluentBaseClient)
    assert Client._operation_plans  # set by the generated base_client shim
    assert Client._unset is UNSET


def test_a_base_client_with_no_operations_runs_raw_queries(
    fluent_emulator: EmulatorServer,
) -> None:
    """The base alone is a complete client: login, graphql(), context manager."""
    with FluentBaseClient(fluent_emulator.config()) as client:
        info = client.login()
        data = client.graphql("query { me { username } }")

    assert info.retailer_id == fluent_emulator.emulator.retailer_id
    assert data["me"]["username"] == fluent_emulator.emulator.credentials.username


def test_from_env_reads_the_fluent_variables(
    fluent_emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Client.from_env() is FluentConfig.from_env() plus keywords."""
    config = fluent_emulator.config()
    for name, value in {
        "FLUENT_BASE_URL": config.base_url,
        "FLUENT_USERNAME": config.username,
        "FLUENT_PASSWORD": config.password,
        "FLUENT_CLIENT_ID": config.client_id,
        "FLUENT_CLIENT_SECRET": config.client_secret,
        "FLUENT_ALLOW_INSECURE_HTTP": "1",
    }.items():
        monkeypatch.setenv(name, value)

    with FluentClient.from_env(max_retries=0) as client:
        me = client.me().me

    assert client.config.max_retries == 0
    assert me is not None and me.username == config.username


CONFIG = FluentConfig(
    base_url="https://acme.sandbox.api.fluentretail.com",
    username="u",
    password="p",
    client_id="c",
    client_secret="s",
)


def _mocked(graphql: Callable[[httpx.Request], httpx.Response]) -> FluentClient:
    """A client whose token requests succeed and whose GraphQL calls go to
    ``graphql``."""

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/oauth/token"):
            return httpx.Response(200, json={"access_token": "t", "expires_in": 60})
        return graphql(request)

    return FluentClient(CONFIG, transport=httpx.MockTransport(handler))


def test_omitted_variables_are_left_out_and_input_models_sent_by_their_names() -> None:
    """UNSET values are not sent; a model is sent as the fields that were set,
    under their GraphQL names."""
    seen: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.content)
        return httpx.Response(200, json={"data": {"customers": None}})

    with _mocked(handler) as client:
        client.list_customers(
            emails=UNSET, created_on=DateRange(from_="2026-01-01T00:00:00Z")
        )

    body = seen[0].decode()
    assert '"emails"' not in body
    assert '"createdOn":{"from":"2026-01-01T00:00:00Z"}' in body


def test_an_answer_that_does_not_fit_the_model_is_a_fluent_response_error() -> None:
    """Generated methods turn pydantic's ValidationError into our error."""

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"data": {"me": {"id": ["not", "an", "id"]}}})

    with (
        _mocked(handler) as client,
        pytest.raises(FluentResponseError) as caught,
    ):
        client.me()

    assert "me" in str(caught.value)


def test_the_factory_makes_any_client_class_logged_in(
    fluent_client_factory: SyncClientFactory,
) -> None:
    """Our own class, or any generated one, comes back logged in and typed."""
    client = fluent_client_factory(FluentClient, max_retries=0)

    assert client.token_info is not None
    assert client.config.max_retries == 0
    assert client.me().me is not None


def test_the_factory_refuses_what_is_not_a_client_class(
    fluent_client_factory: SyncClientFactory,
) -> None:
    """A clear TypeError naming what it wants, instead of a failure inside."""
    with pytest.raises(TypeError) as caught:
        fluent_client_factory(AsyncFluentClient)  # type: ignore[type-var]

    assert "fluent_gql.FluentBaseClient" in str(caught.value)


@pytest.mark.anyio
async def test_the_async_factory_makes_an_async_client_logged_in(
    async_fluent_client_factory: AsyncClientFactory,
) -> None:
    """Awaited, it gives an async client of the class asked for."""
    client = await async_fluent_client_factory(AsyncFluentClient)

    assert isinstance(client, AsyncFluentClient)
    assert client.token_info is not None
    assert (await client.me()).me is not None
