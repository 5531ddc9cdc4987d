"""Timeouts, TLS, clear-text refusal, the 2 MB limit and local input checks."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from fluent_gql import (
    FluentClient,
    FluentConfig,
    FluentConfigError,
    FluentInputError,
    FluentRequestTooLargeError,
)
from fluent_gql.emulator import EmulatorServer

SETTINGS: dict[str, Any] = dict(
    username="u", password="p", client_id="c", client_secret="s"
)


def recording_client(seen: list[httpx.Request], **settings: object) -> FluentClient:
    """A client whose requests are recorded and answered with empty data."""

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/oauth/token":
            return httpx.Response(200, json={"access_token": "t", "expires_in": 600})
        return httpx.Response(200, json={"data": {"me": None}})

    config = FluentConfig(base_url="https://acct.example.com", **SETTINGS)
    return FluentClient(
        config.replace(**settings), transport=httpx.MockTransport(handler)
    )


@pytest.mark.parametrize(
    "url",
    ["http://acct.fluentretail.com", "http://10.0.0.8:8080", "http://[2001:db8::1]"],
)
def test_clear_text_http_is_refused_for_remote_hosts(url: str) -> None:
    """The password grant would send the password unencrypted: refuse, explain."""
    with pytest.raises(FluentConfigError, match="clear text"):
        FluentConfig(base_url=url, **SETTINGS)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000", "http://localhost", "http://[::1]:9000"]
)
def test_clear_text_http_is_allowed_on_loopback(url: str) -> None:
    """The emulator and local proxies run on loopback over http."""
    assert FluentConfig(base_url=url, **SETTINGS).base_url == url


def test_clear_text_http_can_be_allowed_explicitly() -> None:
    """allow_insecure_http=True (or FLUENT_ALLOW_INSECURE_HTTP=1) opts in."""
    env = {
        "FLUENT_BASE_URL": "http://gateway.internal",
        "FLUENT_USERNAME": "u",
        "FLUENT_PASSWORD": "p",
        "FLUENT_CLIENT_ID": "c",
        "FLUENT_CLIENT_SECRET": "s",
        "FLUENT_ALLOW_INSECURE_HTTP": "1",
    }

    assert FluentConfig.from_env(env).allow_insecure_http is True
    with pytest.raises(FluentConfigError, match="FLUENT_ALLOW_INSECURE_HTTP"):
        FluentConfig.from_env({**env, "FLUENT_ALLOW_INSECURE_HTTP": "maybe"})


def test_a_ca_bundle_must_exist_and_hold_certificates(tmp_path: Path) -> None:
    """A missing file and a file that is not PEM are configuration errors."""
    bogus = tmp_path / "ca.pem"
    bogus.write_text("not a certificate")

    with pytest.raises(FluentConfigError, match="existing file"):
        FluentConfig(
            base_url="https://a.example.com",
            ca_bundle=str(tmp_path / "nope.pem"),
            **SETTINGS,
        )
    config = FluentConfig(
        base_url="https://a.example.com", ca_bundle=str(bogus), **SETTINGS
    )
    with pytest.raises(FluentConfigError, match="PEM"):
        FluentClient(config)


def test_tls_verification_is_on_by_default() -> None:
    """The client's own httpx pool verifies certificates."""
    client = FluentClient(base_url="https://a.example.com", **SETTINGS)

    context = client._http._transport._pool._ssl_context  # type: ignore[attr-defined]
    assert context.verify_mode.name == "CERT_REQUIRED"
    assert context.check_hostname is True
    client.close()


def test_timeouts_are_finite_by_default_and_settable_per_client_and_per_call() -> None:
    """Short connect, longer read; with_options and timeout= override them."""
    seen: list[httpx.Request] = []
    client = recording_client(seen)

    client.me()
    client.with_options(timeout=99).me()
    client.me(timeout=httpx.Timeout(3.0))

    timeouts = [r.extensions["timeout"] for r in seen if r.url.path == "/graphql"]
    assert timeouts[0] == {"connect": 5.0, "read": 30.0, "write": 30.0, "pool": 30.0}
    assert timeouts[1]["read"] == 99.0 and timeouts[1]["connect"] == 5.0
    assert timeouts[2]["read"] == 3.0


def test_with_options_returns_a_copy_sharing_the_login() -> None:
    """The copy changes only what it was told and reuses the token."""
    seen: list[httpx.Request] = []
    client = recording_client(seen)

    copy = client.with_options(max_retries=0)
    client.me()
    copy.me()

    assert (client.config.max_retries, copy.config.max_retries) == (2, 0)
    assert [r.url.path for r in seen].count("/oauth/token") == 1
    copy.close()  # closing a copy leaves the shared pool open
    client.me()


def test_a_body_over_two_megabytes_is_refused_before_sending() -> None:
    """No request is sent; the error says how big it was and what the limit is."""
    seen: list[httpx.Request] = []
    client = recording_client(seen)
    huge = "x" * (2 * 1024 * 1024)

    with pytest.raises(FluentRequestTooLargeError, match="2 MB"):
        client.graphql("query q($v: String!) { customer(ref: $v) { id } }", {"v": huge})

    assert [r.url.path for r in seen if r.url.path == "/graphql"] == []


def test_over_long_inputs_fail_locally_naming_the_field_and_limit(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    """first_name over 50 characters never reaches Fluent."""
    with pytest.raises(FluentInputError) as caught:
        fluent_client.create_customer(email="long@example.com", first_name="A" * 51)

    assert str(caught.value) == (
        "first_name ($firstName) is 51 characters long; Fluent allows at most 50"
    )
    assert caught.value.field == "first_name"
    assert fluent_emulator.emulator.customer_count() == 0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            dict(username="u" * 251),
            "username ($username) is 251 characters long; Fluent allows at most 250",
        ),
        (
            dict(phone="1" * 21),
            "phone ($phone) is 21 characters long; Fluent allows at most 20",
        ),
        (dict(timezone="Z" * 33), "timezone ($timezone) is 33 characters long"),
    ],
)
def test_every_documented_customer_limit_is_checked(
    fluent_client: FluentClient, call: dict[str, str], message: str
) -> None:
    """Username 250, phone 20, time zone 32: each named with its limit."""
    with pytest.raises(
        FluentInputError,
        match=re.escape(message),
    ):
        fluent_client.create_customer(email="c@example.com", first_name="C", **call)  # type: ignore[arg-type]


def test_a_product_summary_over_255_characters_is_refused(
    fluent_client: FluentClient, fluent_emulator: EmulatorServer
) -> None:
    """Summary 255; nested attribute names too."""
    with pytest.raises(FluentInputError, match="summary"):
        fluent_client.create_product(
            catalogue_ref=fluent_emulator.emulator.catalogue_ref,
            ref="P",
            name="N",
            gtin="1",
            summary="s" * 256,
            price_currency="AUD",
            price_value=1.0,
        )

    assert fluent_emulator.emulator.product_count() == 0


def test_a_required_variable_given_as_none_is_refused_locally(
    fluent_client: FluentClient,
) -> None:
    """None for a required input names the input instead of sending null."""
    with pytest.raises(FluentInputError, match=r"email \(\$email\) is required"):
        fluent_client.create_customer(email=None, first_name="X")  # type: ignore[arg-type]


def test_the_raw_method_checks_limits_of_input_fields_too() -> None:
    """A raw mutation feeding createCustomer's input gets the same checks."""
    seen: list[httpx.Request] = []
    client = recording_client(seen)
    mutation = """
        mutation m($name: String!) {
          createCustomer(input: {username: "u", primaryEmail: "e", firstName: $name,
            timezone: "UTC", promotionOptIn: false, retailer: {id: "1"}}) { id }
        }
    """

    with pytest.raises(
        FluentInputError, match=r"name \(\$name\) is 60 characters long"
    ):
        client.graphql(mutation, {"name": "n" * 60})

    assert [r for r in seen if r.url.path == "/graphql"] == []
