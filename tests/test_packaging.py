"""The wheel is complete: client and emulator run without the source tree."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests._paths import ROOT

pytestmark = pytest.mark.slow

SMOKE = """
import sys
sys.path.insert(0, sys.argv[1])
import fluent_gql, fluent_gql_generated
assert fluent_gql.__file__.startswith(sys.argv[1]), fluent_gql.__file__
assert fluent_gql_generated.__file__.startswith(sys.argv[1])
from fluent_gql import FluentClient
from fluent_gql.emulator import Emulator, EmulatorServer
with Emulator() as emulator, EmulatorServer(emulator) as server:
    with FluentClient(server.config()) as client:
        print(client.me().me.username)
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project built as a wheel (hatchling, no network)."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            *(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps"),
            *("--no-build-isolation", "--wheel-dir", str(out), str(ROOT)),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("fluent_gql-*.whl")
    return built


def test_the_wheel_ships_the_schema_and_the_generated_package(wheel: Path) -> None:
    """The SDL and fluent_gql_generated are inside; no top-level `generated`."""
    names = set(zipfile.ZipFile(wheel).namelist())
    schema = (ROOT / "schema" / "fluent.graphql").read_bytes()

    assert zipfile.ZipFile(wheel).read("fluent_gql/fluent.graphql") == schema
    assert "fluent_gql_generated/client.py" in names
    assert "fluent_gql_generated/async_client.py" in names
    assert "fluent_gql/py.typed" in names
    assert not any(n.startswith("generated/") for n in names)


def test_the_unpacked_wheel_runs_a_client_against_its_emulator(
    wheel: Path, tmp_path: Path
) -> None:
    """From the wheel alone, a client logs in to the emulator and calls me()."""
    zipfile.ZipFile(wheel).extractall(tmp_path)

    result = subprocess.run(
        [sys.executable, "-c", SMOKE, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "admin"
