"""FluentConfig: explicit settings, FLUENT_* variables, and clear errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from fluent_gql import DEFAULT_TIMEOUT, FluentConfig, FluentConfigError
from fluent_gql._config import (
    FALSE_WORDS,
    FLAG_WORDS,
    SETTINGS,
    TRUE_WORDS,
    parse_flag,
)

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


# -- One table of settings ---------------------------------------------------------


def test_the_settings_table_is_fluent_configs_fields() -> None:
    """One row per field, in field order; a row is required exactly when the field
    has no default; each reads FLUENT_ + its name; only the two secrets are secret."""
    import dataclasses

    fields = dataclasses.fields(FluentConfig)

    assert [s.name for s in SETTINGS] == [f.name for f in fields]
    assert [s.required for s in SETTINGS] == [
        f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        for f in fields
    ]
    assert {s.name: s.variable() for s in SETTINGS}["base_url"] == "FLUENT_BASE_URL"
    assert {s.name for s in SETTINGS if s.secret} == {"password", "client_secret"}


def _every_setting_as_text(tmp_path: Path) -> dict[str, str]:
    """A valid text value for every setting, as a variable or flag would give it."""
    (tmp_path / "ca.pem").write_text("not read here")
    (tmp_path / "account.graphql").write_text("type Query { a: Int }")
    values = {
        "base_url": "http://acct.example.com",
        "username": "integration@example.com",
        "password": " pass word ",
        "client_id": "ACCT",
        "client_secret": "secret",
        "scope": "api2",
        "retailer_id": "34",
        "timeout": "12.5",
        "max_retries": "4",
        "ca_bundle": str(tmp_path / "ca.pem"),
        "allow_insecure_http": "Yes",
        "schema": str(tmp_path / "account.graphql"),
        "schema_cache": str(tmp_path / "schemas"),
    }
    assert set(values) == {s.name for s in SETTINGS}  # a new setting needs a value
    return values


def test_the_command_line_and_from_env_read_the_environment_alike(
    tmp_path: Path,
) -> None:
    """Every setting's variable is read, and parsed, the same by both readers."""
    from fluent_gql.cli._options import CliOptions, resolve_config, resolve_settings

    environ = {
        s.variable(): v
        for s, v in zip(
            SETTINGS, _every_setting_as_text(tmp_path).values(), strict=True
        )
    }

    from_env = FluentConfig.from_env(environ)
    resolved = resolve_settings(CliOptions(), environ)

    assert resolve_config(CliOptions(), environ) == from_env
    assert from_env.timeout == httpx.Timeout(12.5, connect=5.0)
    assert (from_env.max_retries, from_env.allow_insecure_http) == (4, True)
    assert {n: str(s) for n, s in resolved.sources.items()} == {
        s.name: f"env ({s.variable()})" for s in SETTINGS
    }


def test_flags_are_the_tables_and_win_over_the_environment(tmp_path: Path) -> None:
    """The command line's setting flags are the table's; a flag's value is parsed
    like the variable's, and wins over it."""
    import click

    from fluent_gql.cli._options import CliOptions, connection_options, resolve_config

    @click.command()
    @connection_options
    def command(opts: CliOptions) -> None: ...

    flags = {o for p in command.params for o in p.opts} - {
        "--profile",
        "--retailer",
        "--json",
        "--debug",
    }
    text = _every_setting_as_text(tmp_path)
    environ = {s.variable(): text[s.name] for s in SETTINGS}
    given = {s.name: "7" for s in SETTINGS if s.flag in ("--timeout", "--retailer-id")}

    config = resolve_config(CliOptions(settings=given), environ)

    assert flags == {s.flag for s in SETTINGS if s.flag}
    assert (config.timeout, config.retailer_id) == (httpx.Timeout(7, connect=5), "7")
    for param in command.params:
        setting = next((s for s in SETTINGS if s.flag in param.opts), None)
        if setting is not None:
            assert isinstance(param, click.Option) and param.help
            assert f"[{setting.variable()}]" in param.help


@pytest.mark.parametrize(
    ("settings", "problem"),
    [
        ({"timeout": "abc"}, "timeout must be a positive number of seconds, got 'abc'"),
        ({"timeout": "0"}, "timeout must be a positive number of seconds, got '0'"),
        ({"retailer_id": "ACME"}, "retailer_id must be numeric"),
        ({"base_url": "ftp://x"}, "base_url must be an http(s) URL"),
    ],
)
def test_a_malformed_flag_is_a_config_error_naming_the_flag(
    settings: dict[str, str], problem: str
) -> None:
    """A flag's value goes through the same check as the variable's, and the error
    says which flag gave it (exit status 3 on the command line)."""
    from fluent_gql.cli._options import CliOptions, resolve_config

    (name,) = settings
    flag = "--" + name.replace("_", "-")
    environ = {
        "FLUENT_BASE_URL": "https://acct.example.com",
        **{k: v for k, v in ENV.items() if k != "FLUENT_BASE_URL"},
    }

    with pytest.raises(FluentConfigError) as caught:
        resolve_config(CliOptions(settings=settings), environ)

    assert problem in str(caught.value)
    assert str(caught.value).endswith(f"[from flag ({flag})]")


# -- One yes/no dialect ------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "meaning"),
    [
        *((w, True) for w in sorted(TRUE_WORDS)),
        *((w, False) for w in sorted(FALSE_WORDS)),
        ("TRUE", True),
        (" Off ", False),
        ("Y", True),
    ],
)
def test_every_yes_no_setting_reads_the_one_dialect(word: str, meaning: bool) -> None:
    """1/0, true/false, yes/no, y/n, on/off in any case, from a variable or from
    Python, for every yes/no setting of the table."""
    flags = [s for s in SETTINGS if isinstance(getattr(CONFIG, s.name), bool)]

    assert [s.name for s in flags] == ["allow_insecure_http"]
    for setting in flags:
        from_env = FluentConfig.from_env({**ENV, setting.variable(): word})
        assert getattr(from_env, setting.name) is meaning
        assert getattr(CONFIG.replace(**{setting.name: word}), setting.name) is meaning
    assert parse_flag(word) is meaning


@pytest.mark.parametrize("word", ["maybe", "2", "tru", "enabled"])
def test_a_word_outside_the_dialect_is_refused_with_the_accepted_words(
    word: str,
) -> None:
    """The message names the variable, the value and every accepted word."""
    with pytest.raises(FluentConfigError) as caught:
        FluentConfig.from_env({**ENV, "FLUENT_ALLOW_INSECURE_HTTP": word})

    assert str(caught.value) == (
        f"FLUENT_ALLOW_INSECURE_HTTP must be true or false ({FLAG_WORDS}), got {word!r}"
    )
    assert FLAG_WORDS == "1/0, true/false, yes/no, y/n, on/off"


# -- Wrong types and values --------------------------------------------------------

GOOD: dict[str, Any] = {
    "base_url": "https://acct.example.com",
    "username": "u",
    "password": "p",
    "client_id": "c",
    "client_secret": "s",
}
CONFIG = FluentConfig(**GOOD)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"username": 123}, "username must be a non-empty string, got int"),
        ({"username": "a\nb"}, "username contains a control character"),
        ({"client_id": None}, "client_id is required and must not be empty"),
        ({"password": b"pw"}, "password must be a non-empty string, got bytes"),
        ({"base_url": ""}, "base_url is required and must not be empty"),
        ({"base_url": "https://a b.com"}, "base_url must not contain spaces"),
        ({"timeout": -1}, "timeout must be a positive number of seconds, got -1"),
        ({"timeout": "abc"}, "timeout must be a positive number of seconds, got 'abc'"),
        ({"timeout": float("nan")}, "timeout must be a positive number of seconds"),
        ({"timeout": float("inf")}, "timeout must be a positive number of seconds"),
        ({"timeout": True}, "timeout must be a positive number of seconds, got True"),
        (
            {"timeout": httpx.Timeout(5, read=-1)},
            "timeout: read must be a positive number of seconds or None, got -1",
        ),
        ({"max_retries": -1}, "max_retries must be a whole number >= 0, got -1"),
        ({"max_retries": 1.5}, "max_retries must be a whole number >= 0, got 1.5"),
        ({"retailer_id": True}, "retailer_id must be numeric"),
        ({"scope": 1}, "scope must be a non-empty string, got int"),
        ({"ca_bundle": 5}, "ca_bundle must be an existing file, got 5"),
        ({"nickname": "x"}, "unknown setting(s): 'nickname'; the settings are"),
        ({"timout": 5}, "unknown setting(s): 'timout' (did you mean 'timeout'?)"),
    ],
)
def test_a_setting_of_the_wrong_type_or_value_is_a_config_error(
    changes: dict[str, object], message: str
) -> None:
    """Never a builtin error: FluentConfigError names the setting and the problem,
    from the constructor, replace(), and both clients' keywords."""
    from fluent_gql import AsyncFluentClient, FluentClient

    with pytest.raises(FluentConfigError) as built:
        FluentConfig(**{**GOOD, **changes})
    with pytest.raises(FluentConfigError) as replaced:
        CONFIG.replace(**changes)

    assert message in str(built.value) and message in str(replaced.value)
    if "unknown" not in message:  # the clients refuse unknown keywords themselves
        for client in (FluentClient, AsyncFluentClient):
            with pytest.raises(FluentConfigError, match=next(iter(changes))):
                client(**{**GOOD, **changes})


def test_a_missing_or_repeated_setting_is_a_config_error() -> None:
    """Python's TypeError for a missing or doubled argument becomes a
    FluentConfigError naming the settings; the signature stays the dataclass's."""
    import inspect

    from fluent_gql import FluentClient

    with pytest.raises(FluentConfigError, match=r"^missing setting\(s\): password, "):
        FluentConfig(base_url="https://a.example.com", username="u")  # type: ignore[call-arg]
    with pytest.raises(FluentConfigError, match="base_url"):
        FluentClient(**{**GOOD, "base_url": None})
    with pytest.raises(FluentConfigError, match=r"given twice: base_url"):
        FluentConfig("https://a.example.com", "u", "p", "c", "s", base_url="x")  # type: ignore[misc]
    assert list(inspect.signature(FluentConfig).parameters)[:2] == [
        "base_url",
        "username",
    ]


def test_the_readmes_settings_table_is_the_settings_table() -> None:
    """The README lists every setting with its variable, flag and profile file and
    key, as the code has them."""
    from tests._paths import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n### Settings\n", 1)[1].split("\n#", 1)[0]
    rows = [
        [cell.strip().strip("`") for cell in line.strip("|").split("|")]
        for line in section.splitlines()
        if line.startswith("| `")
    ]
    # A profile key reads "baseUrl` of `profile.json" once stripped.
    documented = [
        (name, variable, flag, tuple(key.split("`")[::2]))
        for name, variable, flag, key, _ in rows
    ]

    assert documented == [
        (
            s.name,
            s.variable(),
            s.flag or "",
            (
                s.profile[1],
                {
                    "profile": "profile.json",
                    "user": "user.NAME.json",
                    "retailer": "retailer.REF.json",
                }[s.profile[0]],
            )
            if s.profile
            else ("",),
        )
        for s in SETTINGS
    ]
