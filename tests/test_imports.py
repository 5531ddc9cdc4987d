"""`import fluent_gql` stays light: no optional extras, no authlib httpx integration."""

from __future__ import annotations

import json
import subprocess
import sys

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
