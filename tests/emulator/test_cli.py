"""The command line, run for real in a subprocess, and its error exits in process."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from fluent_gql.cli import main as cli_main
from fluent_gql.emulator import Emulator, EmulatorCredentials, main
from fluent_gql.emulator.__main__ import build_parser


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Running:
    """A running ``python -m fluent_gql.emulator`` and what it printed."""

    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-W", "error", "-m", "fluent_gql.emulator", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.first_line = self.process.stdout.readline().rstrip("\n")
        self.lines: list[str] = []
        while not self.lines or not self.lines[-1].startswith("# Press Ctrl-C"):
            line = self.process.stdout.readline()
            assert line, self.process.stderr.read() if self.process.stderr else ""
            self.lines.append(line.rstrip("\n"))
        self.settings = dict(
            line.split("=", 1) for line in self.lines if line.startswith("FLUENT_")
        )

    def stop(self, signum: int = signal.SIGTERM) -> tuple[int, str]:
        """Send a signal and return the exit code and stderr."""
        if self.process.poll() is None:
            self.process.send_signal(signum)
        _, stderr = self.process.communicate(timeout=15)
        return self.process.returncode, stderr


@pytest.fixture
def run_cli() -> Iterator[type[Running]]:
    """Start the command line; anything still running is killed afterwards."""
    started: list[Running] = []

    class Tracked(Running):
        def __init__(self, *args: str) -> None:
            super().__init__(*args)
            started.append(self)

    yield Tracked
    for running in started:
        if running.process.poll() is None:
            running.process.kill()
            running.process.communicate()


def _login(settings: dict[str, str]) -> httpx.Response:
    return httpx.post(
        f"{settings['FLUENT_BASE_URL']}/oauth/token",
        data={
            "grant_type": "password",
            "username": settings["FLUENT_USERNAME"],
            "password": settings["FLUENT_PASSWORD"],
            "client_id": settings["FLUENT_CLIENT_ID"],
            "client_secret": settings["FLUENT_CLIENT_SECRET"],
            "scope": "api",
        },
    )


def test_the_cli_announces_its_url_first_and_serves_it(
    run_cli: type[Running],
) -> None:
    """First line is the URL; the printed settings log in; SIGTERM exits 0."""
    port = _free_port()
    cli = run_cli("--port", str(port), "--token-ttl", "90.5", "--refresh-tokens")

    token = _login(cli.settings).json()
    me = httpx.post(
        f"{cli.settings['FLUENT_BASE_URL']}/graphql",
        json={"query": "{ me { username primaryRetailer { id } } }"},
        headers={"Authorization": f"Bearer {token['access_token']}"},
    ).json()
    code, stderr = cli.stop()

    assert cli.first_line == f"fluent-gql emulator listening on http://127.0.0.1:{port}"
    assert cli.settings["FLUENT_BASE_URL"] == f"http://127.0.0.1:{port}"
    assert cli.settings["FLUENT_RETAILER_ID"] == "1"
    assert "FLUENT_CATALOGUE_REF=PC:MASTER:1" in cli.lines
    assert (token["expires_in"], "refresh_token" in token) == (91, True)
    assert me == {
        "data": {
            "me": {
                "username": cli.settings["FLUENT_USERNAME"],
                "primaryRetailer": {"id": "1"},
            }
        }
    }
    assert code == 0
    assert stderr == ""


_CREDENTIALS = ("username", "password", "client_id", "client_secret")


def test_the_printed_settings_match_the_default_credentials(
    run_cli: type[Running],
) -> None:
    """Every FLUENT_* variable a client needs is printed; SIGINT exits 0."""
    cli = run_cli("--port", "0")
    creds = EmulatorCredentials()
    code, _ = cli.stop(signal.SIGINT)

    assert set(cli.settings) == {
        "FLUENT_CATALOGUE_REF",
        "FLUENT_BASE_URL",
        "FLUENT_USERNAME",
        "FLUENT_PASSWORD",
        "FLUENT_CLIENT_ID",
        "FLUENT_CLIENT_SECRET",
        "FLUENT_RETAILER_ID",
    }
    assert [cli.settings[f"FLUENT_{name.upper()}"] for name in _CREDENTIALS] == [
        getattr(creds, name) for name in _CREDENTIALS
    ]
    assert cli.first_line.startswith(
        "fluent-gql emulator listening on http://127.0.0.1:"
    )
    assert code == 0


def test_the_cli_keeps_data_in_the_db_file(
    run_cli: type[Running], tmp_path: Path
) -> None:
    """``--db`` writes the SQLite file that a later emulator reads."""
    db = tmp_path / "cli.db"
    cli = run_cli("--port", "0", "--db", str(db))
    token = _login(cli.settings).json()["access_token"]
    httpx.post(
        f"{cli.settings['FLUENT_BASE_URL']}/graphql",
        json={
            "query": "mutation($i: CreateCustomerInput) { createCustomer(input: $i) "
            "{ id } }",
            "variables": {
                "i": {
                    "username": "cli@example.com",
                    "firstName": "Cli",
                    "primaryEmail": "cli@example.com",
                    "timezone": "UTC",
                    "promotionOptIn": False,
                    "retailer": {"id": "1"},
                }
            },
        },
        headers={"Authorization": f"Bearer {token}"},
    )
    code, _ = cli.stop()

    with Emulator(db_path=db) as reopened:
        assert reopened.customer_count() == 1
    assert code == 0


def test_a_busy_port_is_exit_code_1(capsys: pytest.CaptureFixture[str]) -> None:
    """Another listener on the port: an error message, not a traceback."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]

        code = main(["--port", str(port)])

    assert code == 1
    assert f"cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err


def test_an_unusable_db_file_is_exit_code_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file that is not a database is reported, not served."""
    junk = tmp_path / "junk.db"
    junk.write_text("x" * 4096)

    code = main(["--port", "0", "--db", str(junk)])

    assert code == 1
    assert "cannot open the database" in capsys.readouterr().err


@pytest.mark.parametrize("ttl", ["0", "-5", "soon", "inf"])
def test_a_bad_token_ttl_is_a_usage_error(
    ttl: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """argparse refuses lifetimes that are not positive finite numbers (exit 2)."""
    with pytest.raises(SystemExit) as exited:
        main(["--token-ttl", ttl])

    assert exited.value.code == 2
    assert "--token-ttl" in capsys.readouterr().err


def test_the_cli_serves_with_a_fault_plan_and_prints_it(
    run_cli: type[Running],
) -> None:
    """``--faults`` is applied to /graphql and announced before the last line."""
    cli = run_cli("--port", "0", "--faults", "server_error_rate=1, seed=3")
    token = _login(cli.settings).json()["access_token"]
    response = httpx.post(
        f"{cli.settings['FLUENT_BASE_URL']}/graphql",
        json={"query": "{ me { id } }"},
        headers={"Authorization": f"Bearer {token}"},
    )
    code, stderr = cli.stop()

    assert "# Faults: seed=3,server_error_rate=1.0" in cli.lines
    assert cli.lines[-1] == "# Press Ctrl-C to stop."
    assert response.status_code in {500, 502, 503, 504}
    assert (code, stderr) == (0, "")


def test_without_faults_the_cli_prints_no_fault_line(run_cli: type[Running]) -> None:
    """The banner mentions faults only when a plan is active."""
    cli = run_cli("--port", "0")
    cli.stop()

    assert not any(line.startswith("# Faults") for line in cli.lines)


_SMALL_SDL = """
scalar DateTime
type Query { me: User widgets(first: Int): WidgetConnection }
type User { id: ID! username: String! createdOn: DateTime }
type WidgetConnection { edges: [WidgetEdge] }
type WidgetEdge { node: Widget }
type Widget { id: ID! }
type Mutation { createWidget(name: String): Widget }
"""


def test_the_cli_serves_another_schema_file(
    run_cli: type[Running], tmp_path: Path
) -> None:
    """``--schema`` serves that schema: known roots work, unknown ones are empty."""
    schema = tmp_path / "account.graphql"
    schema.write_text(_SMALL_SDL)
    cli = run_cli("--schema", str(schema), "--port", "0")
    token = _login(cli.settings).json()["access_token"]
    body = httpx.post(
        f"{cli.settings['FLUENT_BASE_URL']}/graphql",
        json={
            "query": "{ me { username } widgets(first: 2) { edges { node { id } } } }"
        },
        headers={"Authorization": f"Bearer {token}"},
    ).json()
    code, stderr = cli.stop()

    assert cli.first_line.startswith(
        "fluent-gql emulator listening on http://127.0.0.1:"
    )
    assert f"# Schema: {schema}" in cli.lines
    assert body == {
        "data": {
            "me": {"username": cli.settings["FLUENT_USERNAME"]},
            "widgets": {"edges": []},
        }
    }
    assert (code, stderr) == (0, "")


def test_a_missing_schema_file_is_a_one_line_error_and_exit_code_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``fluent-gql emulator --schema missing.graphql``: one line naming the file."""
    missing = tmp_path / "missing.graphql"

    code = cli_main(["emulator", "--schema", str(missing), "--port", "0"])

    err = capsys.readouterr().err
    assert code == 1
    assert err.splitlines() == [
        f"error: {missing}: cannot read the schema: No such file or directory"
    ]


def test_an_invalid_schema_file_is_reported_with_its_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A schema that does not parse is named with line and column; exit code 1."""
    broken = tmp_path / "broken.graphql"
    broken.write_text("type Query {\n  me: \n")

    code = main(["--schema", str(broken), "--port", "0"])

    [line] = capsys.readouterr().err.splitlines()
    assert code == 1
    assert line.startswith(f"error: {broken}:3:1: Syntax Error")


def test_the_help_describes_the_schema_option() -> None:
    """``--help`` names ``--schema`` and what the emulator does with the rest."""
    text = " ".join(build_parser().format_help().split())

    assert "--schema PATH" in text
    assert "S9998E" in text
