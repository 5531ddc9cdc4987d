"""``make demo``: start the emulator, run the quickstart against it, stop it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
STARTUP_SECONDS = 30.0
# The emulator's credentials are fake, but a demo should model good habits.
SECRET_SETTINGS = {"FLUENT_PASSWORD", "FLUENT_CLIENT_SECRET"}


def _read_settings(emulator: subprocess.Popen[str]) -> dict[str, str]:
    """Read the FLUENT_* lines the emulator prints when it starts."""
    assert emulator.stdout is not None
    settings: dict[str, str] = {}
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        line = emulator.stdout.readline()
        if not line:
            break
        key, sep, value = line.strip().partition("=")
        shown = f"{key}=***" if sep and key in SECRET_SETTINGS else line.rstrip()
        print(f"  emulator | {shown}")
        if sep and key.startswith("FLUENT_"):
            settings[key] = value
        if {"FLUENT_BASE_URL", "FLUENT_CLIENT_SECRET", "FLUENT_CATALOGUE_REF"} <= set(
            settings
        ):
            return settings
    raise SystemExit("the emulator did not start; see its output above")


def main() -> int:
    """Run the demo; return the quickstart's exit status."""
    print("Starting the Fluent emulator on a free loopback port ...")
    emulator = subprocess.Popen(
        # The emulator has no workflows: give it the ruleset the demo's
        # cancellation needs, as an account's order workflow would have.
        [
            sys.executable,
            "-m",
            "fluent_gql.emulator",
            "--port",
            "0",
            "--event",
            "CancelOrder=CANCELLED",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        settings = _read_settings(emulator)
        print("\nRunning examples/quickstart.py against it:\n")
        env = {**os.environ, **settings}
        return subprocess.call([sys.executable, str(HERE / "quickstart.py")], env=env)
    finally:
        emulator.terminate()
        emulator.wait(timeout=10)
        print("\nEmulator stopped.")


if __name__ == "__main__":
    sys.exit(main())
