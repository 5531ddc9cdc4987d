"""Where the tests find the project and the shared reference material."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
#: A real introspection of a Fluent account from 2022: the "older account".
FLUENT_2022 = SHARED / "fluent-schema" / "schema.json"
#: The newest real introspection (2023, MIT): what schema/fluent.graphql is made from.
FLUENT_2023 = SHARED / "fluent-schema" / "schema-2023.json"
