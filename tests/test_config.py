"""FluentConfig: explicit settings, FLUENT_* variables, and clear errors."""

from __future__ import annotations

import httpx
import pytest

from fluent_gql import DEFAULT_TIMEOUT, FluentConfig, FluentConfigError

ENV = {
    "FLUENT_BASE_URL": "https://acct.sandbox.api.fluentretail.com/",
    "FLUENT_USERNAME": "integration@example.com",
    "FLUENT_PASSWORD": "pw",
    "FLUENT_CLIENT_ID": "ACCT",
    "FLUENT_CLIENT_SECRET": "secret",
}


def test_from_env_reads_the_five_variables_and_the_optional_retailer() -> None:
    """The names are Fluent's own SDK's; the base URL loses its trailing slash."""
    config = FluentConfig.from_env({**ENV, "FLUENT_RETAILER_ID": "34"})

    assert config.base_url == "https://acct.sandbox.api.fluentretail.com"
    assert (config.username, config.client_id, config.retailer_id) == (
        "integration@example.com",
        "ACCT",
        "34",
    )
    assert config.scope == "api"
    assert config.timeout == DEFAULT_TIMEOUT


def test_from_env_reads_os_environ_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a mapping the process environment is used."""
    for key, value in ENV.items():
        monkeypatch.setenv(key, value)

    assert FluentConfig.from_env().client_id == "ACCT"


@pytest.mark.parametrize("missing", sorted(ENV))
def test_a_missing_variable_is_named(missing: str) -> None:
    """Each required variable is reported by its own name."""
    env = {k: v for k, v in ENV.items() if k != missing}

    with pytest.raises(FluentConfigError, match=missing):
        FluentConfig.from_env(env)


@pytest.mark.parametrize(
    ("variable", "value", "problem"),
    [
        ("FLUENT_BASE_URL", "acct.fluentretail.com", "http(s) URL"),
        ("FLUENT_BASE_URL", "https://acct.example.com/graphql", "no path or query"),
        ("FLUENT_BASE_URL", "https://acct.example.com?x=1", "no path or query"),
        ("FLUENT_BASE_URL", "https://acct.example.com:notaport", "invalid port"),
        ("FLUENT_RETAILER_ID", "ACME", "must be numeric"),
        ("FLUENT_USERNAME", "   ", "must not be empty"),
        ("FLUENT_CLIENT_ID", " ACCT", "spaces"),
        ("FLUENT_TIMEOUT", "soon", "number of seconds"),
        ("FLUENT_TIMEOUT", "-1", "positive"),
    ],
)
def test_a_malformed_variable_is_named_with_the_problem(
    variable: str, value: str, problem: str
) -> None:
    """Malformed values fail with the variable's name and what is wrong."""
    with pytest.raises(FluentConfigError) as caught:
        FluentConfig.from_env({**ENV, variable: value})

    assert variable in str(caught.value)
    assert problem in str(caught.value)


def test_explicit_settings_are_validated_by_field_name() -> None:
    """The constructor names fields, not variables."""
    with pytest.raises(FluentConfigError, match=r"^retailer_id must be numeric"):
        FluentConfig(
            base_url="https://a.example.com",
            username="u",
            password="p",
            client_id="c",
            client_secret="s",
            retailer_id="x1",
        )


def test_a_number_timeout_becomes_an_httpx_timeout_with_a_short_connect() -> None:
    """timeout=60 means 60 s to read, but still 5 s to connect."""
    config = FluentConfig.from_env(ENV, timeout=60)

    assert config.timeout == httpx.Timeout(60.0, connect=5.0)


def test_replace_returns_a_validated_copy() -> None:
    """replace() keeps the original and validates the change."""
    config = FluentConfig.from_env(ENV)

    changed = config.replace(retailer_id=7)

    assert (config.retailer_id, changed.retailer_id) == (None, "7")
    with pytest.raises(FluentConfigError):
        config.replace(base_url="nope")


def test_the_repr_masks_password_and_client_secret() -> None:
    """repr shows the settings a reader needs and stars for the secrets."""
    text = repr(FluentConfig.from_env(ENV))

    assert "password='***'" in text and "client_secret='***'" in text
    assert "'pw'" not in text and "'secret'" not in text
    assert "integration@example.com" in text


def test_every_setting_can_be_given_to_a_client_as_a_keyword() -> None:
    """The clients' keyword settings and FluentConfig's fields are the same set
    (``schema`` is a keyword of its own: it also takes a built schema)."""
    import dataclasses
    import inspect

    from fluent_gql import AsyncFluentClient, FluentClient
    from fluent_gql._base_core import Settings

    assert set(Settings.__annotations__) | {"schema"} == {
        f.name for f in dataclasses.fields(FluentConfig)
    }
    for cls in (FluentClient, AsyncFluentClient):
        assert "schema" in inspect.signature(cls).parameters


def test_unicode_digits_are_not_numbers_here() -> None:
    """'¹' and '٣' pass str.isdigit but are no retailer id or retry count."""
    for variable in ("FLUENT_RETAILER_ID", "FLUENT_MAX_RETRIES"):
        for value in ("¹", "٣"):
            with pytest.raises(FluentConfigError, match=variable):
                FluentConfig.from_env({**ENV, variable: value})
