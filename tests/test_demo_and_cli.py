"""`make demo`'s script and the `fluent-gql` command, run as a user would."""

from __future__ import annotations

import subprocess
import sys

import pytest

from fluent_gql import __version__
from fluent_gql.cli import main
from tests._paths import ROOT


def test_the_demo_runs_the_five_connector_actions_against_the_emulator() -> None:
    """examples/run_demo.py starts the emulator, runs the quickstart (the five
    actions, then an order created, read back and cancelled) and stops it."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "run_demo.py")],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "1. Current user: admin" in out
    assert "2. Created customer" in out and "time zone UTC" in out
    assert "3. Customer by e-mail" in out and "not found" not in out
    assert "4. Created product SKU-" in out and "AUD 7.5" in out
    assert "5. Generic request returned: {'standardProduct':" in out
    assert "6. Created order HD-" in out and ": CREATED" in out
    assert "7. Order by ref HD-" in out and "HD to Sydney, lines [('L1', 2)]" in out
    assert (
        "8. Sent CancelOrder" in out and "COMPLETE; the order is now CANCELLED" in out
    )
    assert "Emulator stopped." in out
    assert "emulator-password" not in out and "emulator-client-secret" not in out


def test_the_command_prints_its_version() -> None:
    """fluent-gql --version names the installed version."""
    result = subprocess.run(
        [sys.executable, "-m", "fluent_gql.cli", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0
    assert result.stdout.strip() == f"fluent-gql {__version__}"


def test_the_emulator_subcommand_has_help() -> None:
    """fluent-gql emulator --help describes the emulator's options."""
    result = subprocess.run(
        [sys.executable, "-m", "fluent_gql.cli", "emulator", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0
    assert "--token-ttl" in result.stdout and "--db" in result.stdout


def test_an_unknown_argument_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    """Arguments the command does not know fail with usage, not silence."""
    code = main(["--bogus"])

    assert code == 2
    assert "No such option '--bogus'" in capsys.readouterr().err


def test_a_subcommand_s_exit_status_is_returned() -> None:
    """The emulator's own exit status (2 for a usage error) comes back from main."""
    code = main(["emulator", "--token-ttl", "-1"])

    assert code == 2


def test_the_top_level_help_imports_no_subcommand_module() -> None:
    """`fluent-gql --help` lists every command from the summaries table alone."""
    probe = (
        "import sys\n"
        "from fluent_gql.cli import COMMANDS, SUMMARIES, main\n"
        "assert set(COMMANDS) <= set(SUMMARIES), set(COMMANDS) - set(SUMMARIES)\n"
        "main(['--help'])\n"
        "group = {'fluent_gql.cli._app', 'fluent_gql.cli._commands'}  # the group\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('fluent_gql.cli._')\n"
        "                and m not in group)\n"
        "print('LOADED', loaded)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    assert "LOADED []" in result.stdout
    assert "validate" in result.stdout and "customer" in result.stdout
