"""Where the tests find the project and the shared reference material."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FLUENT_INTROSPECTION = SHARED / "fluent-schema" / "schema.json"
