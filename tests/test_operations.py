"""The four typed operations and the raw method, on both clients, over real HTTP."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest

from fluent_gql import (
    AsyncFluentClient,
    FluentClient,
    FluentConfig,
    FluentGraphQLError,
    FluentInputError,
)
from fluent_gql.emulator import EmulatorServer
from fluent_gql.types import AttributeInput

pytestmark = pytest.mark.anyio


def test_me_returns_the_logged_in_user_with_retailer_and_roles(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    """me() gives the current user, its primary retailer and its roles."""
    me = fluent_client.me().me

    assert me is not None
    assert me.username == fluent_emulator.emulator.credentials.username
    assert me.primary_retailer is not None
    assert me.primary_retailer.id == fluent_emulator.emulator.retailer_id
    assert me.roles and me.roles[0] and me.roles[0].role.permissions
    assert isinstance(me.created_on, dt.datetime)


def test_create_customer_fills_username_retailer_timezone_and_opt_in(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    """Only email and first name are needed; the rest has the documented defaults."""
    created = fluent_client.create_customer(email="ada@example.com", first_name="Ada")

    customer = created.create_customer
    assert customer is not None
    assert customer.username == "ada@example.com"
    assert customer.primary_email == "ada@example.com"
    assert customer.timezone == "UTC"
    assert customer.promotion_opt_in is False
    assert customer.retailer is not None
    assert customer.retailer.id == fluent_emulator.emulator.retailer_id
    assert fluent_emulator.emulator.customer_count() == 1


def test_create_customer_sends_every_connector_field(
    fluent_client: FluentClient,
) -> None:
    """All of the connector's inputs reach Fluent and come back."""
    created = fluent_client.create_customer(
        email="grace@example.com",
        first_name="Grace",
        last_name="Hopper",
        phone="+61 2 5550 1234",
        country="Australia",
        timezone="Australia/Sydney",
        promotion_opt_in=True,
        attributes=[AttributeInput(name="tier", type_="STRING", value="gold")],
        retailer_id="1",
        username="ghopper",
    ).create_customer

    assert created is not None
    assert (created.username, created.last_name, created.primary_phone) == (
        "ghopper",
        "Hopper",
        "+61 2 5550 1234",
    )
    assert (created.country, created.timezone, created.promotion_opt_in) == (
        "Australia",
        "Australia/Sydney",
        True,
    )
    assert created.attributes is not None and created.attributes[0] is not None
    assert (created.attributes[0].name, created.attributes[0].value) == ("tier", "gold")


def test_customer_by_email_finds_the_customer_or_returns_none(
    fluent_client: FluentClient,
) -> None:
    """Get Customer by Email returns the customer, and None for an unknown address."""
    made = fluent_client.create_customer(email="lin@example.com", first_name="Lin")
    assert made.create_customer is not None

    found = fluent_client.customer_by_email(email="lin@example.com")
    missing = fluent_client.customer_by_email(email="nobody@example.com")

    assert found is not None
    assert found.id == made.create_customer.id
    assert found.first_name == "Lin"
    assert missing is None


def test_create_product_makes_a_standard_product_with_its_price(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    """Type defaults to STANDARD and the price value stays a float."""
    product = fluent_client.create_product(
        catalogue_ref=fluent_emulator.emulator.catalogue_ref,
        ref="SKU-1",
        name="Teapot",
        gtin="9300000000001",
        summary="A teapot",
        price_currency="AUD",
        price_value=49.95,
    ).create_standard_product

    assert product is not None
    assert (product.ref, product.type_, product.status) == (
        "SKU-1",
        "STANDARD",
        "CREATED",
    )
    assert product.catalogue.ref == fluent_emulator.emulator.catalogue_ref
    assert product.prices is not None and product.prices[0] is not None
    assert product.prices[0].value == pytest.approx(49.95)
    assert product.prices[0].currency == "AUD"


def test_a_duplicate_product_ref_is_a_graphql_error_with_its_code(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    """Fluent's error code and the partial data are on the exception."""
    args = dict(
        catalogue_ref=fluent_emulator.emulator.catalogue_ref,
        ref="SKU-2",
        name="Cup",
        gtin="9300000000002",
        price_currency="AUD",
        price_value=5.0,
    )
    fluent_client.create_product(**args)  # type: ignore[arg-type]

    with pytest.raises(FluentGraphQLError) as caught:
        fluent_client.create_product(**args)  # type: ignore[arg-type]

    assert caught.value.code is not None and caught.value.code.startswith("C")
    assert caught.value.errors[0].path == ["createStandardProduct"]
    assert caught.value.data == {"createStandardProduct": None}
    assert fluent_emulator.emulator.product_count() == 1


def test_the_raw_method_takes_variables_and_an_operation_name(
    fluent_client: FluentClient,
) -> None:
    """graphql() returns the data dict of the chosen operation."""
    fluent_client.create_customer(email="raw@example.com", first_name="Raw")
    document = """
        query byRef($ref: String!) { customer(ref: $ref) { username firstName } }
        query other { me { id } }
    """

    data = fluent_client.graphql(document, {"ref": "raw@example.com"}, "byRef")

    assert data == {"customer": {"username": "raw@example.com", "firstName": "Raw"}}


def test_the_raw_method_raises_graphql_errors(fluent_client: FluentClient) -> None:
    """A query the server rejects raises FluentGraphQLError with its locations."""
    with pytest.raises(FluentGraphQLError) as caught:
        fluent_client.graphql("query { me { nickname } }", validate=False)

    assert "nickname" in str(caught.value)
    assert caught.value.errors[0].locations


def test_a_client_can_be_built_from_keywords(fluent_emulator: EmulatorServer) -> None:
    """Keyword settings work without a FluentConfig."""
    creds = fluent_emulator.emulator.credentials
    with FluentClient(
        base_url=fluent_emulator.base_url,
        username=creds.username,
        password=creds.password,
        client_id=creds.client_id,
        client_secret=creds.client_secret,
    ) as client:
        me = client.me().me

    assert me is not None and me.username == creds.username


async def test_the_async_client_runs_every_operation(
    async_fluent_client: AsyncFluentClient, fluent_emulator: EmulatorServer
) -> None:
    """me, create_customer, customer_by_email, create_product and graphql, awaited."""
    client = async_fluent_client
    emulator = fluent_emulator.emulator

    me = (await client.me()).me
    made = (
        await client.create_customer(email="a@example.com", first_name="A")
    ).create_customer
    found = await client.customer_by_email(email="a@example.com")
    product = (
        await client.create_product(
            catalogue_ref=emulator.catalogue_ref,
            ref="ASYNC-1",
            name="Mug",
            gtin="1",
            type="MERCH",
            price_currency="USD",
            price_value=3.5,
        )
    ).create_standard_product
    raw = await client.graphql("query { me { username } }")

    assert me is not None and me.username == emulator.credentials.username
    assert made is not None and found is not None and found.id == made.id
    assert made.retailer is not None and made.retailer.id == emulator.retailer_id
    assert product is not None and product.type_ == "MERCH"
    assert raw == {"me": {"username": emulator.credentials.username}}


async def test_the_async_raw_method_raises_graphql_errors(
    async_fluent_client: AsyncFluentClient,
) -> None:
    """Errors from the async raw method are the same FluentGraphQLError."""
    with pytest.raises(FluentGraphQLError):
        await async_fluent_client.graphql("query { nope }", validate=False)


def test_the_retailer_comes_from_the_config_before_the_token(
    fluent_emulator: EmulatorServer,
) -> None:
    """A configured retailer id wins; an unknown one is Fluent's not-found error."""
    config: FluentConfig = fluent_emulator.config().replace(retailer_id="999")

    with FluentClient(config) as client, pytest.raises(FluentGraphQLError) as caught:
        client.create_customer(email="x@example.com", first_name="X")

    assert caught.value.code == "C0120E"


def test_without_a_configured_retailer_the_token_s_retailer_is_used(
    fluent_emulator: EmulatorServer,
) -> None:
    """create_customer logs in first when only the token can name the retailer."""
    config = fluent_emulator.config()
    assert config.retailer_id is None

    with FluentClient(config) as client:
        customer = client.create_customer(email="t@example.com", first_name="T")

    assert customer.create_customer is not None
    assert customer.create_customer.retailer is not None
    assert customer.create_customer.retailer.id == fluent_emulator.emulator.retailer_id
    assert fluent_emulator.emulator.token_requests == ["password"]


def test_a_caller_supplied_http_client_is_used_and_left_open(
    fluent_emulator: EmulatorServer,
) -> None:
    """Requests go through the given httpx.Client, which the client does not close."""
    seen: list[str] = []
    http = httpx.Client(event_hooks={"request": [lambda r: seen.append(r.url.path)]})

    with FluentClient(fluent_emulator.config(), http_client=http) as client:
        client.me()

    assert seen == ["/oauth/token", "/graphql"]
    assert not http.is_closed
    http.close()


def test_a_variable_value_of_the_wrong_kind_is_refused_naming_the_variable(
    fluent_client: FluentClient,
) -> None:
    """An object given for a String fails before sending, naming the variable."""
    with pytest.raises(FluentInputError) as refused:
        fluent_client.graphql(
            "query q($r: String!) { customer(ref: $r) { id } }", {"r": object()}
        )

    assert str(refused.value) == "r ($r) must be a string, got an object"
    assert refused.value.field == "r"
