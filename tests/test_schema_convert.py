"""`fluent-gql schema convert`: a saved schema as deterministic SDL."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from graphql import build_schema, introspection_from_schema

from tests.conftest import Run

SDL = '''
"""A thing."""
type Query {
  "The thing."
  thing(ref: String): Thing
  old: Int @deprecated(reason: "Use thing.")
}
type Thing { ref: String! name: String }
input ThingInput {
  "Reference. <br/> Max character limit: 100."
  ref: String!
  "Free text."
  note: String
}
type Mutation { makeThing(input: ThingInput): Thing }
'''


def _introspection(tmp_path: Path) -> Path:
    path = tmp_path / "saved.json"
    result = {"data": introspection_from_schema(build_schema(SDL))}
    path.write_text(json.dumps(result), "utf-8")
    return path


def test_convert_writes_sorted_sdl_with_the_descriptions(
    run: Run, tmp_path: Path
) -> None:
    """Without options the descriptions stay, and types come sorted by name."""
    code, out, err = run("schema", "convert", _introspection(tmp_path))

    assert code == 0, err
    places = [
        out.index(t) for t in ("Mutation {", "Query {", "Thing {", "ThingInput {")
    ]
    assert places == sorted(places)
    assert '"""A thing."""' in out
    assert build_schema(out).query_type is not None


def test_no_descriptions_keeps_only_our_notes_of_length_limits(
    run: Run, tmp_path: Path
) -> None:
    """The source's texts go; a stated limit stays as our own note; deprecations
    stay."""
    code, out, err = run(
        "schema", "convert", _introspection(tmp_path), "--no-descriptions"
    )

    assert code == 0, err
    assert "thing" in out and "A thing" not in out and "Free text" not in out
    assert '"""At most 100 characters."""\n  ref: String!' in out
    assert '@deprecated(reason: "Use thing.")' in out


def test_convert_writes_a_file_once_and_then_leaves_it(
    run: Run, tmp_path: Path
) -> None:
    """With --out the file is written, and converting again changes nothing."""
    out_file = tmp_path / "schema.graphql"
    source = _introspection(tmp_path)

    first = run("schema", "convert", source, "--out", out_file)
    written = out_file.read_text("utf-8")
    second = run("schema", "convert", source, "--out", out_file)

    assert first[0] == 0 and "wrote" in first[2]
    assert second[0] == 0 and "unchanged" in second[2]
    assert out_file.read_text("utf-8") == written


def test_convert_refuses_to_replace_something_that_is_not_a_file(
    run: Run, tmp_path: Path
) -> None:
    """A pipe (or /dev/null) given as --out is not renamed over: it stays."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    code, _, err = run("schema", "convert", _introspection(tmp_path), "--out", fifo)

    assert code == 1
    assert "not a regular file" in err
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_convert_names_a_missing_or_broken_source_in_one_line(
    run: Run, tmp_path: Path
) -> None:
    """Usage errors, exit 2, the file named, no traceback."""
    broken = tmp_path / "broken.json"
    broken.write_text('{"data": {}}', "utf-8")

    missing = run("schema", "convert", tmp_path / "nope.graphql")
    bad = run("schema", "convert", broken)

    assert missing[0] == 2 and "nope.graphql" in missing[2]
    assert bad[0] == 2 and "not an introspection result" in bad[2]
    assert "Traceback" not in missing[2] + bad[2]
