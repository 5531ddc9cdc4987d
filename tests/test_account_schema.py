"""The account's own schema is the authority; the bundled snapshot only warns."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from fluent_gql import (
    FluentClient,
    FluentConfig,
    FluentConfigError,
    FluentGraphQLError,
    FluentQueryValidationError,
    FluentSchemaWarning,
)
from fluent_gql._account_schema import cached_schema_path
from fluent_gql.emulator import Emulator, EmulatorServer
from tests._paths import FLUENT_2022
from tests.conftest import Run

TYPO = "query { me { usernme } }"
#: Valid against the 2022 account only (2023 removed virtualView).
OLD_ONLY = 'query old { virtualView(input: {ref: "VV1"}) { ref name } }'
#: Valid against the 2023 schema only (2023 added fulfilment).
NEW_ONLY = 'query new { fulfilment(id: "1") { id status } }'


def _env(server: EmulatorServer, monkeypatch: pytest.MonkeyPatch) -> FluentConfig:
    creds = server.emulator.credentials
    for name, value in (
        ("BASE_URL", server.base_url),
        ("USERNAME", creds.username),
        ("PASSWORD", creds.password),
        ("CLIENT_ID", creds.client_id),
        ("CLIENT_SECRET", creds.client_secret),
    ):
        monkeypatch.setenv(f"FLUENT_{name}", value)
    return FluentConfig.from_env()


@pytest.fixture
def older_account(monkeypatch: pytest.MonkeyPatch) -> Iterator[EmulatorServer]:
    """An emulator serving the 2022 account's schema; FLUENT_* point at it."""
    if not FLUENT_2022.is_file():
        pytest.skip(f"{FLUENT_2022} is absent: no older account to emulate")
    with Emulator(schema=FLUENT_2022) as emulator, EmulatorServer(emulator) as server:
        _env(server, monkeypatch)
        yield server


def test_without_a_pulled_schema_the_client_uses_the_bundled_snapshot(
    fluent_emulator: EmulatorServer,
) -> None:
    """Nothing given, named or cached: the snapshot, which is no authority."""
    with FluentClient(fluent_emulator.config()) as client:
        source = client.schema_source

    assert source.authoritative is False
    assert source.label == "the bundled schema"


def test_a_pulled_schema_is_cached_for_the_account_and_refuses_what_it_lacks(
    fluent_emulator: EmulatorServer,
    monkeypatch: pytest.MonkeyPatch,
    run: Run,
    tmp_path: Path,
) -> None:
    """After `schema pull`, a client for that base URL checks against the account's
    schema: a typo is refused locally, and nothing is sent."""
    config = _env(fluent_emulator, monkeypatch)

    code, out, err = run("schema", "pull", "--out", tmp_path / "account.graphql")
    cached = cached_schema_path(config.base_url)
    with FluentClient(config) as client:
        source = client.schema_source
        before = list(fluent_emulator.emulator.token_requests)
        with pytest.raises(FluentQueryValidationError, match="usernme"):
            client.graphql(TYPO)

    assert code == 0, err
    assert f"cached for {config.base_url}: {cached}" in out
    assert cached.is_file()
    assert source.authoritative is True
    assert str(cached) in source.label
    assert fluent_emulator.emulator.token_requests == before


def test_another_accounts_client_does_not_use_that_cache(
    fluent_emulator: EmulatorServer,
    monkeypatch: pytest.MonkeyPatch,
    run: Run,
    tmp_path: Path,
) -> None:
    """The cache is keyed by base URL: another account still gets the snapshot."""
    config = _env(fluent_emulator, monkeypatch)
    code, _, err = run("schema", "pull", "--out", tmp_path / "s.graphql")
    other = config.replace(base_url=config.base_url.replace("127.0.0.1", "localhost"))

    with FluentClient(other) as client:
        source = client.schema_source

    assert code == 0, err
    assert source.authoritative is False


def test_a_damaged_cache_entry_is_no_authority(
    fluent_emulator: EmulatorServer,
) -> None:
    """A cache file that is not a schema is passed over, not trusted or fatal."""
    config = fluent_emulator.config()
    path = cached_schema_path(config.base_url)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"__schema": "half a file', "utf-8")

    with FluentClient(config) as client:
        source = client.schema_source

    assert source.authoritative is False


def test_fluent_schema_names_the_accounts_schema(
    fluent_emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """FLUENT_SCHEMA (and schema= with a path) make that file the authority."""
    sdl = tmp_path / "account.graphql"
    sdl.write_text("type Query { me: User }\ntype User { id: ID! }\n", "utf-8")
    _env(fluent_emulator, monkeypatch)
    monkeypatch.setenv("FLUENT_SCHEMA", str(sdl))

    with (
        FluentClient(FluentConfig.from_env()) as from_env,
        FluentClient(fluent_emulator.config(), schema=sdl) as given,
    ):
        for client in (from_env, given):
            with pytest.raises(FluentQueryValidationError, match="'username'"):
                client.graphql("query { me { id username } }")
            assert client.schema_source.label == str(sdl)


def test_a_schema_file_that_cannot_be_used_is_a_config_error(
    fluent_emulator: EmulatorServer, tmp_path: Path
) -> None:
    """A broken schema file is named in one line, before anything is sent."""
    broken = tmp_path / "broken.graphql"
    broken.write_text("type Query {", "utf-8")

    with (
        FluentClient(fluent_emulator.config(), schema=broken) as client,
        pytest.raises(FluentConfigError, match=r"broken\.graphql"),
    ):
        client.graphql("query { me { id } }")


def test_an_older_accounts_query_is_sent_with_a_warning_by_default(
    older_account: EmulatorServer,
) -> None:
    """`virtualView` exists in the 2022 account only: the snapshot warns, names it
    and says how to pull, and the account answers."""
    with (
        FluentClient(FluentConfig.from_env()) as client,
        pytest.warns(FluentSchemaWarning) as warned,
    ):
        data = client.graphql(OLD_ONLY)

    message = str(warned[0].message)
    assert "Query.virtualView" in message
    assert "fluent-gql schema pull" in message
    assert data == {"virtualView": None}


def test_with_the_older_accounts_pulled_schema_its_queries_pass_and_newer_are_refused(
    older_account: EmulatorServer, run: Run, tmp_path: Path
) -> None:
    """Pulled, the 2022 schema is the authority: its own queries go without a
    warning, and a 2023-only field is refused before sending."""
    code, _, err = run("schema", "pull", "--out", tmp_path / "old.graphql")
    with FluentClient(FluentConfig.from_env()) as client:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            data = client.graphql(OLD_ONLY)
        with pytest.raises(FluentQueryValidationError, match="'fulfilment'"):
            client.graphql(NEW_ONLY)

    assert code == 0, err
    assert data == {"virtualView": None}


def test_the_newer_query_reaches_the_older_account_without_a_pulled_schema(
    older_account: EmulatorServer,
) -> None:
    """Valid in the bundled snapshot, it is sent; the 2022 account refuses it."""
    with (
        FluentClient(FluentConfig.from_env()) as client,
        pytest.raises(FluentGraphQLError, match="fulfilment"),
    ):
        client.graphql(NEW_ONLY)


def test_the_query_command_prints_the_warning_and_the_answer(
    older_account: EmulatorServer, run: Run
) -> None:
    """`fluent-gql query` follows the same rules, and says so on stderr."""
    code, out, err = run("query", OLD_ONLY, "--json")

    assert code == 0, err
    assert err.startswith("warning: the query uses names the bundled Fluent schema")
    assert "Query.virtualView" in err
    assert '"virtualView": null' in out


def test_validate_warns_against_the_snapshot_and_refuses_against_the_account(
    fluent_emulator: EmulatorServer,
    monkeypatch: pytest.MonkeyPatch,
    run: Run,
    tmp_path: Path,
) -> None:
    """`fluent-gql validate` names the schema it used; unknown to the snapshot is a
    warning (exit 0), not fitting the account's pulled schema an error (exit 1)."""
    operation = tmp_path / "old.graphql"
    operation.write_text(OLD_ONLY + "\n", "utf-8")
    monkeypatch.chdir(tmp_path)  # no schema/fluent.graphql here
    _env(fluent_emulator, monkeypatch)

    lenient = run("validate", operation)
    pulled = run("schema", "pull", "--out", tmp_path / "pulled.graphql")
    strict = run("validate", operation)

    assert lenient[0] == 0, lenient
    assert "warning: Cannot query field 'virtualView'" in lenient[1]
    assert "checked against the bundled schema" in lenient[1]
    assert pulled[0] == 0, pulled
    assert strict[0] == 1
    assert "old.graphql:1:13: Cannot query field 'virtualView'" in strict[1]
    assert "checked against the schema pulled for" in strict[2]


def test_validate_refuses_a_malformed_operation_even_against_the_snapshot(
    monkeypatch: pytest.MonkeyPatch, run: Run, tmp_path: Path
) -> None:
    """An unused variable is wrong for every account: an error, exit 1."""
    operation = tmp_path / "bad.graphql"
    operation.write_text("query bad($unused: Int) { me { id } }\n", "utf-8")
    monkeypatch.chdir(tmp_path)

    code, out, err = run("validate", operation)

    assert code == 1
    assert "Variable '$unused' is never used" in out
    assert "checked against the bundled schema" in err
