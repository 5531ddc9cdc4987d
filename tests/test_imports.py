"""`import fluent_gql` stays light: no optional extras, no authlib httpx integration."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from fluent_gql.emulator import EmulatorServer

PROBE = """
import json, sys
import fluent_gql, fluent_gql.types
print(json.dumps(sorted(sys.modules)))
"""


def test_importing_the_package_loads_no_optional_or_warned_modules() -> None:
    """starlette, uvicorn and authlib.integrations are never imported by the client."""
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", PROBE],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    modules = set(json.loads(result.stdout))

    assert "fluent_gql" in modules and "httpx" in modules
    assert not {m for m in modules if m.split(".")[0] in {"starlette", "uvicorn"}}
    assert not {m for m in modules if m.startswith("authlib.integrations")}
    assert "fluent_gql.emulator" not in modules
    assert "ariadne_codegen" not in modules


def test_the_clients_load_on_first_use_not_on_import() -> None:
    """`import fluent_gql` is light; `fluent_gql.FluentClient` loads the client."""
    probe = (
        "import sys, fluent_gql\n"
        "before = 'fluent_gql_generated' in sys.modules or 'authlib' in sys.modules\n"
        "client = fluent_gql.FluentClient\n"
        "print(before, client.__module__, 'fluent_gql_generated' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", probe],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    assert result.stdout.split() == ["False", "fluent_gql", "True"]


TYPED_CALLS = """
import json, sys
from fluent_gql import FluentClient
with FluentClient(
    base_url=sys.argv[1], username=sys.argv[2], password=sys.argv[3],
    client_id=sys.argv[4], client_secret=sys.argv[5],
) as client:
    me = client.me().me
    client.create_customer(email="typed@example.com", first_name="Ty")
    found = client.customer_by_email(email="typed@example.com")
loaded = sorted(m for m in sys.modules if m.split(".")[0] == "graphql")
print(json.dumps([me.username, found.first_name, loaded]))
"""


def test_typed_calls_build_no_schema_and_load_no_graphql_core(
    fluent_emulator: EmulatorServer,
) -> None:
    """Typed operations were planned by `make generate`: a process that only makes
    typed calls never imports graphql-core, let alone builds the whole schema."""
    creds = fluent_emulator.emulator.credentials
    args = [creds.username, creds.password, creds.client_id, creds.client_secret]
    result = subprocess.run(
        [
            sys.executable,
            "-W",
            "error",
            "-c",
            TYPED_CALLS,
            fluent_emulator.base_url,
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout) == [creds.username, "Ty", []]


PLUGIN_PROBE = """
import json, sys
import fluent_gql
package = set(sys.modules)
import fluent_gql.pytest_plugin
print(json.dumps([sorted(package), sorted(sys.modules)]))
"""

#: What the plugin must not load: the clients and their generated models and
#: login, the emulator and its server, graphql-core.
HEAVY = {"fluent_gql_generated", "authlib", "starlette", "uvicorn", "graphql"}


def test_loading_the_pytest_plugin_imports_neither_client_nor_emulator() -> None:
    """pytest loads the plugin at every start of every project that installs
    fluent-gql: it adds no module to `import fluent_gql` but its own, and the
    fixtures import the client and the emulator when a test uses them."""
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", PLUGIN_PROBE],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    package, loaded = (set(names) for names in json.loads(result.stdout))
    added = loaded - package

    assert not {m for m in loaded if m.split(".")[0] in HEAVY}
    assert not {"fluent_gql._client", "fluent_gql._base"} & loaded
    assert not {m for m in loaded if m.startswith("fluent_gql.emulator")}
    assert {m for m in added if m.split(".")[0] == "fluent_gql"} == {
        "fluent_gql.pytest_plugin"
    }
    assert not {m for m in loaded if m.split(".")[0] in {"httpx", "pydantic"}}


WITHOUT_THE_EXTRA = """
import sys
sys.modules["starlette"] = None  # as if the emulator extra were not installed
sys.modules["uvicorn"] = None
import pytest
sys.exit(pytest.main(sys.argv[1:]))
"""

USES_A_FIXTURE = """
def test_my_job(fluent_client):
    assert fluent_client is not None
"""


def test_without_the_emulator_extra_a_fixture_fails_naming_the_extra(
    tmp_path: Path,
) -> None:
    """pytest still starts; a test using a fixture fails with what to install,
    not with `ModuleNotFoundError: starlette`."""
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    (tmp_path / "test_mine.py").write_text(USES_A_FIXTURE)

    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_THE_EXTRA, "-p", "no:cacheprovider"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )

    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 error" in result.stdout
    assert (
        "fluent_gql.emulator needs the 'emulator' extra (starlette is missing): "
        "pip install 'fluent-gql[emulator]'"
    ) in result.stdout
    assert "No module named" not in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "During handling" not in result.stdout
