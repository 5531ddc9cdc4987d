"""The connector's actions and `config` through the real `fluent-gql` entry point,
against the emulator."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from fluent_gql import (
    FluentAuthError,
    FluentConfigError,
    FluentEntityNotFoundError,
    FluentError,
    FluentGraphQLError,
    FluentHTTPServerError,
    FluentInputError,
    FluentResponseError,
    FluentTimeoutError,
    GraphQLErrorEntry,
)
from fluent_gql.cli import main
from fluent_gql.cli._options import ExitCode, exit_code_for
from tests.conftest import Run

if TYPE_CHECKING:
    from fluent_gql.emulator import EmulatorServer


def secrets_of(server: EmulatorServer) -> tuple[str, str]:
    creds = server.emulator.credentials
    return creds.password, creds.client_secret


def assert_clean(server: EmulatorServer, *outputs: str) -> None:
    for output in outputs:
        for secret in secrets_of(server):
            assert secret not in output


def test_me_prints_the_current_user_as_a_table(
    run: Run, emulator_env: EmulatorServer
) -> None:
    """`me` shows the user, its retailer and its roles without the permissions."""
    code, out, err = run("me")

    assert code == 0, err
    assert "Current user" in out
    assert "username" in out and "admin" in out
    assert "primaryRetailer.id" in out
    assert "ADMIN (RETAILER 1)" in out
    assert err == ""


def test_me_json_is_the_me_object(run: Run, emulator_env: EmulatorServer) -> None:
    """`me --json` prints the `me` object with Fluent's field names."""
    code, out, _ = run("me", "--json")

    user = json.loads(out)
    assert code == 0
    assert user["username"] == "admin"
    assert user["primaryRetailer"]["id"] == emulator_env.emulator.retailer_id
    assert user["roles"][0]["role"]["name"] == "ADMIN"


def test_customer_create_then_get_round_trips(
    run: Run, emulator_env: EmulatorServer
) -> None:
    """A created customer is found by e-mail, with its attributes and defaults."""
    created_code, created_out, _ = run(
        "customer", "create", "--email", "ada@example.com", "--first-name", "Ada",
        "--last-name", "Lovelace", "--attribute", "loyaltyTier=STRING:Gold",
        "--attribute", "visits=INTEGER:3", "--json",
    )  # fmt: skip
    code, out, _ = run("customer", "get", "--email", "ada@example.com", "--json")

    created, found = json.loads(created_out), json.loads(out)
    assert (created_code, code) == (0, 0)
    assert found == created
    assert found["firstName"] == "Ada" and found["lastName"] == "Lovelace"
    assert found["username"] == "ada@example.com"
    assert found["timezone"] == "UTC" and found["promotionOptIn"] is False
    assert found["retailer"]["id"] == emulator_env.emulator.retailer_id
    assert found["attributes"] == [
        {"name": "loyaltyTier", "type": "STRING", "value": "Gold"},
        {"name": "visits", "type": "INTEGER", "value": 3},
    ]
    assert emulator_env.emulator.customer_count() == 1


def test_customer_create_takes_every_option(
    run: Run, emulator_env: EmulatorServer
) -> None:
    """Username, retailer, opt-in, time zone and JSON attributes reach Fluent."""
    code, out, err = run(
        "customer", "create", "--email", "bo@example.com", "--first-name", "Bo",
        "--customer-username", "bo", "--retailer-id",
        emulator_env.emulator.retailer_id, "--promotion-opt-in",
        "--timezone", "Australia/Sydney", "--phone", "+61 2 5550 0000",
        "--country", "Australia",
        "--attributes", '[{"name": "tier", "type": "JSON", "value": {"a": 1}}]',
        "--attribute", "code=STRING:007", "--json",
    )  # fmt: skip

    customer = json.loads(out)
    assert code == 0, err
    assert customer["username"] == "bo"
    assert customer["promotionOptIn"] is True
    assert customer["timezone"] == "Australia/Sydney"
    assert customer["primaryPhone"] == "+61 2 5550 0000"
    assert customer["attributes"] == [
        {"name": "tier", "type": "JSON", "value": {"a": 1}},
        {"name": "code", "type": "STRING", "value": "007"},
    ]


def test_customer_tables_print_values_as_text_not_markup(
    run: Run, emulator_env: EmulatorServer
) -> None:
    """A name that looks like rich markup is printed as it is."""
    code, out, _ = run(
        "customer", "create", "--email", "m@example.com", "--first-name", "[bold]M",
        "--attribute", "tier=STRING:Gold",
    )  # fmt: skip

    assert code == 0
    assert "Created customer" in out
    assert "[bold]M" in out
    assert "tier = Gold (STRING)" in out
    assert "retailer.ref" in out


def test_customer_get_prints_a_table(run: Run, emulator_env: EmulatorServer) -> None:
    """`customer get` shows the customer's fields, one per line."""
    run("customer", "create", "--email", "cy@example.com", "--first-name", "Cy")

    code, out, _ = run("customer", "get", "--email", "cy@example.com")

    assert code == 0
    assert "Customer" in out
    assert "primaryEmail" in out and "cy@example.com" in out


def test_customer_get_of_an_unknown_email_exits_9(
    run: Run, emulator_env: EmulatorServer
) -> None:
    """No customer: a message on stderr, nothing on stdout, exit status 9."""
    code, out, err = run("customer", "get", "--email", "nobody@example.com", "--json")

    assert code == 9
    assert out == ""
    assert err == "Error: no customer has the e-mail address 'nobody@example.com'\n"


def test_product_create_prints_the_product(
    run: Run, emulator_env: EmulatorServer
) -> None:
    """`product create` creates a standard product with its RRP."""
    catalogue = emulator_env.emulator.catalogue_ref
    args = ["product", "create", "--catalogue-ref", catalogue, "--name", "Tea",
            "--gtin", "9300633603140", "--price-currency", "AUD"]  # fmt: skip

    code, out, _ = run(*args, "--ref", "SKU-1", "--price-value", "7.5")
    json_code, json_out, _ = run(
        *args, "--ref", "SKU-2", "--price-value", "2", "--summary", "Loose", "--json"
    )

    product = json.loads(json_out)
    assert (code, json_code) == (0, 0)
    assert "Created product" in out and "SKU-1" in out
    assert "type=RRP, currency=AUD, value=7.5" in out
    assert product["ref"] == "SKU-2" and product["type"] == "STANDARD"
    assert product["summary"] == "Loose"
    assert product["prices"] == [{"type": "RRP", "currency": "AUD", "value": 2.0}]
    assert product["catalogue"]["ref"] == catalogue
    assert emulator_env.emulator.product_count() == 2


def test_a_price_must_be_a_finite_number(
    run: Run, emulator_env: EmulatorServer
) -> None:
    """--price-value nan is a usage error; nothing is sent."""
    code, _, err = run(
        "product", "create", "--catalogue-ref", "PC", "--ref", "R", "--name", "N",
        "--gtin", "1", "--price-currency", "AUD", "--price-value", "nan",
    )  # fmt: skip

    assert code == 2
    assert "must be a finite number" in err
    assert emulator_env.emulator.product_count() == 0


def test_query_runs_text_with_variables(run: Run, emulator_env: EmulatorServer) -> None:
    """--var values are JSON when they parse, else text; --var wins over --variables."""
    run("customer", "create", "--email", "q@example.com", "--first-name", "Q")
    text = (
        "query one($ref: String!, $n: Int) { customer(ref: $ref) { firstName } "
        "customers(first: $n) { edges { node { primaryEmail } } } }"
    )

    code, out, err = run(
        "query", text, "--variables", '{"ref": "nobody", "n": 5}',
        "--var", "ref=q@example.com", "--var", "n=1", "--json",
    )  # fmt: skip

    assert code == 0, err
    assert json.loads(out) == {
        "customer": {"firstName": "Q"},
        "customers": {"edges": [{"node": {"primaryEmail": "q@example.com"}}]},
    }


def test_query_prints_connections_as_tables(
    run: Run, emulator_env: EmulatorServer
) -> None:
    """A connection in the data becomes a table with a row per node."""
    for name in ("one", "two"):
        run(
            "customer", "create", "--email", f"{name}@example.com", "--first-name", name
        )

    code, out, _ = run(
        "query", "{ me { username } customers { edges { node { primaryEmail } } } }"
    )

    assert code == 0
    assert "primaryEmail" in out
    assert "one@example.com" in out and "two@example.com" in out
    assert "username" in out and "admin" in out


def test_query_reads_a_file_and_picks_an_operation(
    run: Run, emulator_env: EmulatorServer, tmp_path: Path
) -> None:
    """--file PATH holds the query; --operation-name chooses among several."""
    path = tmp_path / "ops.graphql"
    path.write_text("query a { me { username } }\nquery b { me { id } }\n")

    code, out, err = run(
        "query", "--file", str(path), "--operation-name", "b", "--json"
    )

    assert code == 0, err
    assert json.loads(out) == {"me": {"id": "1"}}


def test_query_reads_stdin(
    run: Run, emulator_env: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """QUERY '-' reads the query from stdin."""
    monkeypatch.setattr("sys.stdin", io.StringIO("{ me { username } }"))

    code, out, _ = run("query", "-", "--json")

    assert code == 0
    assert json.loads(out) == {"me": {"username": "admin"}}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give the query as QUERY, '-' for stdin, or --file PATH"),
        (("{ me { id } }", "--file", "-"), "not both"),
        (("  ",), "the query is empty"),
        (("{ me { id } }", "--var", "novalue"), "'novalue' is not NAME=VALUE"),
        (("{ me { id } }", "--variables", "[1]"), "must be a JSON object"),
        (("{ me { id } }", "--variables", "{"), "not valid JSON"),
    ],
)
def test_query_usage_errors_exit_2(
    run: Run, emulator_env: EmulatorServer, args: tuple[str, ...], message: str
) -> None:
    """A missing, doubled or empty query, or malformed variables, are usage errors."""
    code, out, err = run("query", *args)

    assert code == 2
    assert message in err
    assert out == ""


def test_graphql_errors_exit_7_with_fluents_message(
    run: Run, emulator_env: EmulatorServer
) -> None:
    """A refused create: Fluent's message and code on stderr, exit 7, no traceback."""
    args = ("customer", "create", "--email", "d@example.com", "--first-name", "D")
    run(*args)

    code, out, err = run(*args, "--json")

    assert code == 7
    assert err.startswith("Error: ") and "C0123E" in err
    assert "Traceback" not in err
    assert out == ""
    assert emulator_env.emulator.customer_count() == 1


def test_a_refused_login_exits_4_without_a_traceback_or_secret(
    run: Run, emulator_env: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A wrong password: the auth error's message, exit status 4, no secrets."""
    code, out, err = run("me", "--password", "not-the-password")

    assert code == 4
    assert err.startswith("Error: Fluent refused the password grant")
    assert "Traceback" not in err and out == ""
    assert "not-the-password" not in err
    assert_clean(emulator_env, out, err)


def test_debug_adds_the_traceback_but_no_secret(
    run: Run, emulator_env: EmulatorServer
) -> None:
    """--debug prints the traceback and debug lines; still no password or secret."""
    code, out, err = run("me", "--password", "wrong-password-x", "--debug")
    ok_code, ok_out, ok_err = run("me", "--debug", "--json")

    assert code == ExitCode.AUTH
    assert "Traceback (most recent call last)" in err
    assert "FluentAuthError" in err
    assert err.rstrip().endswith("and base URL.")
    assert "wrong-password-x" not in err
    assert ok_code == 0 and json.loads(ok_out)["username"] == "admin"
    assert_clean(emulator_env, out, err, ok_out, ok_err)


def test_an_unreachable_server_exits_5(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refused connection is a transport error: exit status 5."""
    monkeypatch.setenv("FLUENT_MAX_RETRIES", "0")

    code, _, err = run(
        "me", "--base-url", "http://127.0.0.1:1", "--username", "u", "--password",
        "pw-xyz-1", "--client-id", "C", "--client-secret", "secret-xyz-2",
    )  # fmt: skip

    assert code == 5
    assert "Connection refused" in err or "connect" in err.lower()
    assert "pw-xyz-1" not in err and "secret-xyz-2" not in err


def test_missing_settings_exit_3_and_name_them(run: Run) -> None:
    """With nothing configured every command says what to set; exit status 3."""
    code, out, err = run("customer", "get", "--email", "a@example.com")

    assert code == 3
    assert "missing setting(s): base_url (--base-url or FLUENT_BASE_URL)" in err
    assert out == ""


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (FluentConfigError("x"), ExitCode.CONFIG),
        (FluentAuthError("x"), ExitCode.AUTH),
        (FluentTimeoutError("x"), ExitCode.TRANSPORT),
        (FluentHTTPServerError("x", status_code=503), ExitCode.HTTP),
        (FluentResponseError("x"), ExitCode.HTTP),
        (FluentGraphQLError([GraphQLErrorEntry("x")]), ExitCode.GRAPHQL),
        (FluentEntityNotFoundError([GraphQLErrorEntry("x", code="C0120E")]), 9),
        (FluentInputError("x"), ExitCode.INPUT),
        (FluentError("x"), ExitCode.ERROR),
    ],
)
def test_each_error_family_has_its_exit_status(
    exc: FluentError, expected: ExitCode
) -> None:
    """The documented exit statuses, most specific family first."""
    assert exit_code_for(exc) == expected


def test_config_show_names_sources_and_masks_secrets(
    run: Run, emulator_env: EmulatorServer
) -> None:
    """`config show` prints each setting's source; secrets are masked fully."""
    code, out, err = run("config", "show", "--username", "flag-user")
    json_code, json_out, _ = run("config", "show", "--retailer-id", "1", "--json")

    shown = json.loads(json_out)
    settings = shown["settings"]
    assert (code, json_code) == (0, 0), err
    assert "flag-user" in out and "flag (--username)" in out
    assert "env (FLUENT_BASE_URL)" in out and "***" in out
    assert settings["password"] == {
        "value": "***",
        "source": "env",
        "detail": "FLUENT_PASSWORD",
    }
    assert settings["retailer_id"]["source"] == "flag"
    assert settings["scope"] == {"value": "api", "source": "default", "detail": ""}
    assert shown["profile"] is None and shown["error"] is None
    assert_clean(emulator_env, out, err, json_out)


def test_config_show_reports_a_profile_as_the_source(
    run: Run,
    fluent_emulator: EmulatorServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Settings read from a profile say so; a profile drives a real command."""
    creds = fluent_emulator.emulator.credentials
    dev = tmp_path / "dev"
    dev.mkdir()
    (dev / "profile.json").write_text(
        json.dumps(
            {
                "baseUrl": fluent_emulator.base_url,
                "id": creds.client_id,
                "clientSecret": creds.client_secret,
                "user": "admin",
            }
        )
    )
    (dev / "user.admin.json").write_text(
        json.dumps({"username": creds.username, "password": creds.password})
    )
    (dev / "retailer.MAIN.json").write_text(json.dumps({"id": 1}))
    monkeypatch.setenv("FLUENT_PROFILE_DIR", str(tmp_path))

    code, out, err = run("config", "show", "--profile", "dev", "--retailer", "MAIN")
    me_code, me_out, _ = run("me", "--profile", "dev", "--json")
    list_code, list_out, _ = run("config", "profiles", "--json")

    assert (code, me_code, list_code) == (0, 0, 0), err
    assert "profile (dev:" in out
    assert json.loads(me_out)["username"] == "admin"
    assert json.loads(list_out)["profiles"] == [
        {
            "name": "dev",
            "baseUrl": fluent_emulator.base_url,
            "clientId": creds.client_id,
            "username": "admin",
            "retailers": ["MAIN"],
            "error": None,
        }
    ]
    assert_clean(fluent_emulator, out, err, me_out, list_out)


def test_config_show_prints_what_it_has_then_fails_with_3(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Unusable settings are still shown, then the error; exit status 3."""
    monkeypatch.setenv("FLUENT_PASSWORD", "only-this-secret")

    code, out, err = run("config", "show", "--json")

    shown = json.loads(out)
    assert code == ExitCode.CONFIG
    assert shown["settings"]["password"]["value"] == "***"
    assert shown["settings"]["base_url"] == {
        "value": None,
        "source": "default",
        "detail": "",
    }
    assert shown["error"].startswith("missing setting(s): base_url")
    assert err.startswith("Error: missing setting(s)")
    assert "only-this-secret" not in out + err


def test_config_profiles_says_when_there_are_none(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An empty profile folder is reported, not an error."""
    monkeypatch.setenv("FLUENT_PROFILE_DIR", str(tmp_path))

    code, out, _ = run("config", "profiles")

    assert code == 0
    assert out == f"No Fluent CLI profiles in {tmp_path}.\n"


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        (["me"], "--profile NAME"),
        (["customer"], "create"),
        (["customer", "get"], "--email"),
        (["customer", "create"], "--attribute NAME=TYPE:VALUE"),
        (["product"], "create"),
        (["product", "create"], "--price-value AMOUNT"),
        (["query"], "--operation-name NAME"),
        (["config"], "show"),
        (["config", "show"], "--retailer REF"),
        (["config", "profiles"], "--json"),
    ],
)
def test_every_command_has_help(run: Run, command: list[str], expected: str) -> None:
    """--help describes each command and its options."""
    code, out, _ = run(*command, "--help")

    assert code == 0
    assert out.startswith(f"Usage: fluent-gql {' '.join(command)} ")
    assert expected in out


def test_the_top_level_help_lists_the_commands(run: Run) -> None:
    """fluent-gql --help lists every command with its summary."""
    code, out, _ = run("--help")

    assert code == 0
    for name in ("config", "customer", "me", "product", "query"):
        assert f"  {name} " in out


def complete(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    words: str,
) -> list[str]:
    """Ask click's bash completion for the last word of `words`."""
    parts = words.split(" ")
    monkeypatch.setenv("_FLUENT_GQL_COMPLETE", "bash_complete")
    monkeypatch.setenv("COMP_WORDS", words)
    monkeypatch.setenv("COMP_CWORD", str(len(parts) - 1))
    with pytest.raises(SystemExit) as caught:
        main([])
    assert caught.value.code == 0
    return [line.split(",", 1)[1] for line in capsys.readouterr().out.splitlines()]


def test_completion_reaches_lazily_loaded_subcommands(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Shell completion lists commands, subcommands and options of lazy modules."""
    top = complete(monkeypatch, capsys, "fluent-gql cu")
    sub = complete(monkeypatch, capsys, "fluent-gql customer ")
    options = complete(monkeypatch, capsys, "fluent-gql customer get --e")

    assert top == ["customer"]
    assert {"create", "get"} <= set(sub)
    assert options == ["--email"]


def test_completion_offers_profiles_and_their_retailers(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    """--profile completes profile names, --retailer that profile's retailers."""
    for name in ("dev", "prod"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "profile.json").write_text("{}")
    (tmp_path / "dev" / "retailer.R1.json").write_text("{}")
    monkeypatch.setenv("FLUENT_PROFILE_DIR", str(tmp_path))

    profiles = complete(monkeypatch, capsys, "fluent-gql me --profile d")
    retailers = complete(monkeypatch, capsys, "fluent-gql me --profile dev --retailer ")

    assert profiles == ["dev"]
    assert retailers == ["R1"]
