"""The `fluent-gql` command under hostile conditions: a missing extra, bad emulator
ports and hosts, --var values of the wrong shape, a reader that goes away, and a
narrow terminal. Run as a user would: the console script in a subprocess, or the
real entry point in process, against the emulator where a server is needed."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from fluent_gql import FluentClient, FluentConfig
from fluent_gql.cli._variables import coerce_variables
from fluent_gql.emulator import EmulatorServer
from tests.conftest import Run

#: The console script pip installs next to the interpreter.
FLUENT_GQL = str(Path(sys.executable).with_name("fluent-gql"))

posix_only = pytest.mark.skipif(
    not hasattr(signal, "SIGPIPE"), reason="SIGPIPE is POSIX"
)


def without_modules(tmp_path: Path, *names: str) -> dict[str, str]:
    """An environment whose Python cannot import ``names``, as if not installed:
    a sitecustomize on PYTHONPATH blocks them before anything runs."""
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "sitecustomize.py").write_text(
        "import sys\n" + "".join(f"sys.modules[{n!r}] = None\n" for n in names)
    )
    return {**os.environ, "PYTHONPATH": str(shim)}


# -- a missing extra ----------------------------------------------------------


@pytest.mark.parametrize("missing", ["click", "rich"])
@pytest.mark.parametrize("args", [["--help"], ["me"]])
def test_without_the_cli_extra_the_command_names_the_extra_to_install(
    tmp_path: Path, missing: str, args: list[str]
) -> None:
    """No click or no rich: one line naming the extra, configuration status 3."""
    result = subprocess.run(
        [FLUENT_GQL, *args],
        env=without_modules(tmp_path, missing),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 3
    assert result.stderr == (
        f"Error: fluent-gql needs the 'cli' extra ({missing} is not installed):"
        " pip install 'fluent-gql[cli]'\n"
    )
    assert result.stdout == ""


def test_the_entry_module_loads_without_click_or_rich(tmp_path: Path) -> None:
    """The console script's module imports neither at import time (httpx may load
    them when they are installed, so they are blocked here instead)."""
    result = subprocess.run(
        [sys.executable, "-c", "import fluent_gql.cli; print(fluent_gql.cli.main)"],
        env=without_modules(tmp_path, "click", "rich"),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("<function main")


def test_generate_without_ariadne_codegen_exits_3_naming_the_codegen_extra(
    tmp_path: Path,
) -> None:
    """A missing generator is a configuration problem (3), not a usage error (2)."""
    result = subprocess.run(
        [FLUENT_GQL, "generate"],
        env=without_modules(tmp_path, "ariadne_codegen"),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 3
    assert "pip install 'fluent-gql[codegen]'" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_emulator_subcommand_without_its_extra_exits_3_naming_it(
    tmp_path: Path,
) -> None:
    """No uvicorn: `fluent-gql emulator` names the emulator extra, status 3."""
    result = subprocess.run(
        [FLUENT_GQL, "emulator", "--port", "0"],
        env=without_modules(tmp_path, "uvicorn"),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 3
    assert "pip install 'fluent-gql[emulator]'" in result.stderr
    assert "Traceback" not in result.stderr


# -- the emulator's port and host ---------------------------------------------


@pytest.mark.parametrize("port", ["-1", "70000", "eighty"])
def test_a_port_out_of_range_is_a_usage_error_naming_the_range(
    run: Run, port: str
) -> None:
    """`fluent-gql emulator --port` takes 0..65535 and says what 0 means."""
    code, out, err = run("emulator", "--port", port)

    assert code == 2
    assert "argument --port: must be a port number from 0 to 65535" in err
    assert "0 picks a free port" in err and repr(port) in err
    assert "Traceback" not in err and out == ""


def test_python_m_emulator_refuses_a_port_out_of_range_too() -> None:
    """The module's own command line gives the same usage error."""
    result = subprocess.run(
        [sys.executable, "-m", "fluent_gql.emulator", "--port", "70000"],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 2
    assert "must be a port number from 0 to 65535" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_port_in_use_says_so_without_a_traceback(run: Run) -> None:
    """Another listener on the port: what happened and what to do, status 1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]

        code, _, err = run("emulator", "--port", str(port))

    assert code == 1
    assert err.startswith(f"error: cannot listen on 127.0.0.1:{port}: ")
    assert "already in use" in err and "--port 0" in err
    assert "Traceback" not in err


class Serving:
    """`python -m fluent_gql.emulator ARGS` until its banner is printed."""

    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-W", "error", "-m", "fluent_gql.emulator", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.lines: list[str] = []
        while not self.lines or not self.lines[-1].startswith("# Press Ctrl-C"):
            line = self.process.stdout.readline()
            assert line, self.stop()
            self.lines.append(line.rstrip("\n"))
        self.settings = dict(
            line.split("=", 1) for line in self.lines if line.startswith("FLUENT_")
        )

    def stop(self) -> str:
        """Interrupt it; return its stderr."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        return self.process.communicate(timeout=15)[1]


@pytest.fixture
def serve() -> Iterator[type[Serving]]:
    started: list[Serving] = []

    class Tracked(Serving):
        def __init__(self, *args: str) -> None:
            started.append(self)
            super().__init__(*args)

    yield Tracked
    for serving in started:
        if serving.process.poll() is None:
            serving.process.kill()
            serving.process.communicate()


def logs_in(settings: dict[str, str]) -> str | None:
    """The username a client built from the printed settings logs in as."""
    config = FluentConfig.from_env(settings)
    with FluentClient(config) as client:
        me = client.me().me
    return me.username if me is not None else None


def test_a_wildcard_host_warns_and_prints_a_loopback_url_the_client_accepts(
    serve: type[Serving],
) -> None:
    """--host 0.0.0.0: a warning on stderr about the published credentials, and
    settings (the loopback URL) that a client accepts and logs in with."""
    serving = serve("--host", "0.0.0.0", "--port", "0")
    username = logs_in(serving.settings)
    stderr = serving.stop()

    assert serving.lines[0].startswith(
        "fluent-gql emulator listening on http://127.0.0.1:"
    )
    assert serving.settings["FLUENT_BASE_URL"].startswith("http://127.0.0.1:")
    assert username == "admin"
    assert stderr.startswith("warning: --host 0.0.0.0 listens on every network")
    assert "fixed, published credentials" in stderr
    assert "FLUENT_ALLOW_INSECURE_HTTP=1" in stderr


def _outward_address() -> str | None:
    """An address of this machine that is not loopback, if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent for UDP
        except OSError:
            return None
        address = str(probe.getsockname()[0])
    return None if address.startswith("127.") else address


def test_a_non_loopback_host_warns_and_lets_the_client_use_plain_http(
    serve: type[Serving],
) -> None:
    """--host ADDRESS: a warning, and settings with FLUENT_ALLOW_INSECURE_HTTP=1,
    without which the client refuses http:// to that host."""
    address = _outward_address()
    if address is None:
        pytest.skip("this machine has no address but loopback")
    serving = serve("--host", address, "--port", "0")
    username = logs_in(serving.settings)
    stderr = serving.stop()

    assert serving.settings["FLUENT_BASE_URL"].startswith(f"http://{address}:")
    assert serving.settings["FLUENT_ALLOW_INSECURE_HTTP"] == "1"
    assert username == "admin"
    assert stderr.startswith(f"warning: --host {address} is not a loopback address")


def test_a_loopback_host_prints_no_warning(serve: type[Serving]) -> None:
    """The default host: no warning, no FLUENT_ALLOW_INSECURE_HTTP."""
    serving = serve("--host", "localhost", "--port", "0")
    stderr = serving.stop()

    assert "FLUENT_ALLOW_INSECURE_HTTP" not in serving.settings
    assert stderr == ""


# -- --var values by the declared type ----------------------------------------


def test_a_var_declared_as_a_string_stays_a_string(
    run: Run, emulator_env: EmulatorServer
) -> None:
    """--var r=12345 for `$r: String!` is sent as the text "12345", not a number."""
    run("customer", "create", "--email", "12345", "--first-name", "Num")

    code, out, err = run(
        "query",
        "query one($r: String!) { customer(ref: $r) { firstName } }",
        "--var", "r=12345", "--json",
    )  # fmt: skip

    assert code == 0, err
    assert json.loads(out) == {"customer": {"firstName": "Num"}}


def test_vars_are_read_by_their_declared_types(
    run: Run, emulator_env: EmulatorServer
) -> None:
    """An input object as JSON, then Int, ID (digits) and Boolean (`yes`): each
    is sent as its type, and both requests succeed."""
    create = (
        "mutation add($i: CreateCustomerInput!) { createCustomer(input: $i) { id } }"
    )
    customer = {
        "username": "typed@example.com",
        "firstName": "Typed",
        "primaryEmail": "typed@example.com",
        "timezone": "UTC",
        "promotionOptIn": True,
        "retailer": {"id": "1"},
    }
    read = (
        "query read($n: Int, $id: ID!, $b: Boolean!) {"
        " customers(first: $n) { edges { node { username } } }"
        " customerById(id: $id) @include(if: $b) { promotionOptIn } }"
    )

    created = run("query", create, "--var", f"i={json.dumps(customer)}", "--json")
    new_id = json.loads(created[1])["createCustomer"]["id"] if created[0] == 0 else ""
    code, out, err = run(
        "query", read, "--var", "n=1", "--var", f"id={new_id}", "--var", "b=yes",
        "--json",
    )  # fmt: skip

    assert created[0] == 0, created[2]
    assert code == 0, err
    assert json.loads(out) == {
        "customers": {"edges": [{"node": {"username": "typed@example.com"}}]},
        "customerById": {"promotionOptIn": True},
    }


@pytest.mark.parametrize(
    ("declared", "value", "message"),
    [
        ("Int", "12x", "--var v: $v is Int; give a whole number"),
        ("Int", "99999999999", "from -2147483648 to 2147483647, got '99999999999'"),
        ("Float!", "nan", "--var v: $v is Float!; give a finite number"),
        ("Boolean", "maybe", "--var v: $v is Boolean; give true or false"),
        ("[String]", "a,b", "--var v: $v is [String]; give a JSON list"),
        ("CreateCustomerInput", "{", "$v is CreateCustomerInput; give a JSON object"),
        ("CreateCustomerInput", "[1]", "give a JSON object, e.g."),
        ("Int!", "null", "--var v: $v is Int!; it cannot be null"),
    ],
)
def test_a_var_that_does_not_fit_its_type_is_a_usage_error(
    run: Run, emulator_env: EmulatorServer, declared: str, value: str, message: str
) -> None:
    """Exit 2, naming the variable and its declared type; nothing is sent."""
    text = f"query one($v: {declared}) {{ me {{ id }} }}"

    code, out, err = run("query", text, "--var", f"v={value}")

    assert code == 2
    assert message in err
    assert out == ""


def test_a_var_the_operation_does_not_declare_is_a_usage_error(
    run: Run, emulator_env: EmulatorServer
) -> None:
    """A misspelt --var is refused, naming the variables that are declared."""
    text = "query one($ref: String!) { customer(ref: $ref) { id } }"

    code, _, err = run("query", text, "--var", "rfe=HD-1")

    assert code == 2
    assert "--var rfe: the operation declares no variable $rfe" in err
    assert "(it declares: $ref)" in err


def test_vars_follow_the_operation_picked_by_name(
    run: Run, emulator_env: EmulatorServer
) -> None:
    """With several operations, --operation-name says whose declarations count."""
    text = (
        "query byRef($x: String!) { customer(ref: $x) { id } }\n"
        "query firstN($x: Int) { customers(first: $x) { edges { node { id } } } }\n"
    )

    code, out, err = run(
        "query", text, "--operation-name", "firstN", "--var", "x=2", "--json"
    )

    assert code == 0, err
    assert json.loads(out) == {"customers": {"edges": []}}


def test_enum_vars_must_name_one_of_the_values() -> None:
    """An enum takes one of its values by name; anything else lists them."""
    from fluent_gql._schema import bundled_schema

    schema = bundled_schema()
    text = "mutation m($mode: ExecutionMode) { __typename }"

    ok = coerce_variables({"mode": "AWAIT_ORCHESTRATION"}, text, None, schema.get_type)
    with pytest.raises(Exception, match="give one of AWAIT_ORCHESTRATION, got"):
        coerce_variables({"mode": "SOON"}, text, None, schema.get_type)

    assert ok == {"mode": "AWAIT_ORCHESTRATION"}


# -- a reader that goes away ---------------------------------------------------


def run_into_closed_pipe(*command: str) -> subprocess.CompletedProcess[str]:
    """Run ``command`` with a stdout whose reading end is already closed, as after
    `| head -1` has read its line."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            list(command),
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
        )
    finally:
        os.close(write_end)


@posix_only
@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["--version"],
        ["customer", "list"],
        ["customer", "list", "--json"],
        ["query", "{ customers { edges { node { id ref } } } }"],
        ["me"],
        ["config", "show"],
    ],
)
def test_a_closed_stdout_exits_141_quietly(
    emulator_env: EmulatorServer, args: list[str]
) -> None:
    """`fluent-gql ... | head -1`: status 128+SIGPIPE, nothing on stderr (no
    traceback, no "Exception ignored"), for tables, JSON and help alike."""
    with FluentClient(emulator_env.config()) as client:  # rows to print
        for n in range(3):
            client.create_customer(email=f"pipe{n}@example.com", first_name="Pipe")

    result = run_into_closed_pipe(FLUENT_GQL, *args)

    assert (result.returncode, result.stderr) == (141, "")


@posix_only
def test_the_emulator_exits_141_quietly_when_its_stdout_is_closed() -> None:
    """`python -m fluent_gql.emulator | head -0`: no traceback, status 141."""
    result = run_into_closed_pipe(
        sys.executable, "-m", "fluent_gql.emulator", "--port", "0"
    )

    assert (result.returncode, result.stderr) == (141, "")


# -- table titles --------------------------------------------------------------


def test_a_title_wider_than_its_table_is_not_split_inside_a_word(
    run: Run, emulator_env: EmulatorServer
) -> None:
    """A one-column table under `customers` keeps the title whole on its line."""
    run("customer", "create", "--email", "t@example.com", "--first-name", "T")

    code, out, _ = run("query", "{ customers { edges { node { id } } } }")

    assert code == 0
    assert out.splitlines()[0].strip() == "customers"


def test_titles_wrap_between_words_on_a_narrow_terminal(
    run: Run, emulator_env: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 12 columns `Created customer` is two lines of whole words."""
    monkeypatch.setenv("COLUMNS", "12")

    code, out, err = run(
        "customer", "create", "--email", "n@example.com", "--first-name", "N"
    )

    assert code == 0, err
    assert [line.strip() for line in out.splitlines()[:2]] == ["Created", "customer"]
