"""`import fluent_gql` stays light: no optional extras, no authlib httpx integration."""

from __future__ import annotations

import json
import subprocess
import sys

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
