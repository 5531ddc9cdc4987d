"""A project of one's own: ``fluent-gql init``, then ``generate``, and the schema
commands reading ``[tool.fluent-gql]`` of its ``pyproject.toml``.

Each test works in a temporary project folder, its working directory.
"""

from __future__ import annotations

import json
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from fluent_gql._documents import check_operations, load_operations
from fluent_gql._schema import bundled_schema
from fluent_gql._schema_files import sorted_sdl
from fluent_gql.codegen import load_settings
from fluent_gql.emulator import EmulatorServer
from tests.conftest import Run

#: A small schema for the settings tests, and NEW without Order.status.
OLD = """
type Query { me: User order(ref: String!): Order }
type User { id: ID! username: String }
type Order { id: ID! ref: String status: String }
"""
NEW = OLD.replace(" status: String }", " }")

ORDER_BY_REF = """\
query orderByRef($ref: String!) {
  order(ref: $ref) {
    id
    status
  }
}
"""

SETTINGS = """\
[tool.fluent-gql]
queries = "ops"
schema = "api.graphql"
package = "acme_client"
"""


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project folder; the working directory."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def initialised(here: Path, run: Run) -> Path:
    """A project after a plain `fluent-gql init`."""
    status, _, err = run("init")
    assert status == 0, err
    return here


@pytest.fixture
def configured(here: Path) -> Path:
    """Settings naming ops/ and api.graphql (OLD), with orderByRef in ops/."""
    (here / "pyproject.toml").write_text(SETTINGS)
    (here / "api.graphql").write_text(OLD)
    (here / "new.graphql").write_text(NEW)
    (here / "ops").mkdir()
    (here / "ops" / "orderByRef.graphql").write_text(ORDER_BY_REF)
    return here


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` and its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file()
    }


def edit(path: Path, old: str, new: str) -> None:
    """Replace ``old`` (which must be there) with ``new`` in a text file."""
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


# init ---------------------------------------------------------------------------


def test_init_writes_settings_a_sample_and_an_editor_config_that_validate(
    here: Path, run: Run
) -> None:
    """The table, queries/me.graphql and .graphqlrc.yml; validate then passes."""
    status, out, err = run("init")
    validated, checked, _ = run("validate")

    settings = load_settings(here)
    editor = (here / ".graphqlrc.yml").read_text()
    bundled = Path(str(resources.files("fluent_gql").joinpath("fluent.graphql")))
    sample = load_operations([here / "queries" / "me.graphql"])
    assert status == 0, err
    assert out.splitlines() == [
        "added [tool.fluent-gql] to pyproject.toml",
        "wrote queries/me.graphql: a sample operation",
        "wrote .graphqlrc.yml: the schema and operations, for editors",
        "next: `fluent-gql generate` writes the package fluent_client "
        "(Client, AsyncClient)",
    ]
    assert (settings.package, settings.client) == ("fluent_client", "Client")
    assert settings.queries == here / "queries"
    assert settings.schema is None
    assert "# schema = " in (here / "pyproject.toml").read_text()
    assert f'schema: "{bundled.as_posix()}"' in editor.splitlines()
    assert bundled.is_file()
    assert 'documents: "queries/**/*.graphql"' in editor.splitlines()
    assert check_operations(sample, bundled_schema(), authoritative=True) == []
    assert validated == 0
    assert "0 errors, 0 warnings in 1 operation (1 file)" in checked


def test_init_with_a_schema_and_a_project_folder_writes_both_there(
    here: Path, run: Run
) -> None:
    """--schema is written to both files, relative; a missing one is a note."""
    (here / "app").mkdir()

    status, out, _ = run(
        "init",
        "--project",
        "app",
        "--schema",
        "schema/fluent.graphql",
        "--queries",
        "gql",
        "--package",
        "acme.fluent",
        "--client",
        "Acme",
    )

    table = tomllib.loads((here / "app" / "pyproject.toml").read_text())
    editor = (here / "app" / ".graphqlrc.yml").read_text().splitlines()
    assert status == 0
    assert table["tool"]["fluent-gql"] == {
        "queries": "gql",
        "schema": "schema/fluent.graphql",
        "package": "acme.fluent",
        "client": "Acme",
    }
    assert 'schema: "schema/fluent.graphql"' in editor
    assert 'documents: "gql/**/*.graphql"' in editor
    assert (here / "app" / "gql" / "me.graphql").is_file()
    assert "note: app/schema/fluent.graphql does not exist yet" in out
    assert "package acme.fluent (Acme, AsyncAcme)" in out


def test_init_keeps_every_byte_of_an_existing_pyproject(here: Path, run: Run) -> None:
    """The table is appended after the user's bytes, in the file's line endings."""
    mine = b'[project]\r\nname = "demo"\r\n\r\n[tool.ruff]\r\nline-length = 100'
    (here / "pyproject.toml").write_bytes(mine)

    status, _, _ = run("init")

    written = (here / "pyproject.toml").read_bytes()
    document = tomllib.loads(written.decode())
    assert status == 0
    assert written.startswith(mine + b"\r\n\r\n[tool.fluent-gql]\r\n")
    assert b"\n" not in written.replace(b"\r\n", b"")
    assert document["project"] == {"name": "demo"}
    assert document["tool"]["ruff"] == {"line-length": 100}
    assert document["tool"]["fluent-gql"]["package"] == "fluent_client"


@pytest.mark.parametrize(
    ("there", "named"),
    [
        ("table", "[tool.fluent-gql] in pyproject.toml"),
        ("queries/me.graphql", "queries/me.graphql"),
        (".graphqlrc.yml", ".graphqlrc.yml"),
    ],
)
def test_init_refuses_to_overwrite_anything_and_writes_nothing(
    here: Path, run: Run, there: str, named: str
) -> None:
    """One line naming what is there and --force; exit 1; no file changed."""
    (here / "pyproject.toml").write_text('[project]\nname = "demo"\n')
    if there == "table":
        (here / "pyproject.toml").write_text(SETTINGS)
    else:
        (here / there).parent.mkdir(exist_ok=True)
        (here / there).write_text("# mine\n")
    before = snapshot(here)

    status, out, err = run("init")

    assert status == 1
    assert out == ""
    assert err.startswith(f"Error: {named}: already there; nothing written")
    assert "--force" in err
    assert len(err.splitlines()) == 1
    assert snapshot(here) == before


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_init_with_force_replaces_the_table_in_place(
    here: Path, run: Run, newline: str
) -> None:
    """Only the old table's lines change; the comment above the next table stays."""
    before, after = (
        '[project]\nname = "demo"\n\n',
        "\n# Lint settings.\n[tool.ruff]\nline-length = 100\n",
    )
    old_table = '[tool."fluent-gql"]  # ours\npackage = "old"\nbundle-schema = true\n'
    (here / "pyproject.toml").write_bytes(
        (before + old_table + after).replace("\n", newline).encode()
    )
    (here / "queries").mkdir()

    status, out, err = run("init", "--force", "--package", "acme.fluent")

    text = (here / "pyproject.toml").read_bytes().decode().replace(newline, "\n")
    settings = load_settings(here)
    assert status == 0, err
    assert out.startswith("replaced [tool.fluent-gql] in pyproject.toml\n")
    assert text.startswith(before + "[tool.fluent-gql]\n")
    assert text.endswith('\nclient = "Client"\n' + after)
    assert "\r" not in text
    assert 'package = "old"' not in text
    assert (settings.package, settings.bundle_schema) == ("acme.fluent", False)


def test_init_refuses_a_package_name_that_is_not_python(here: Path, run: Run) -> None:
    """A bad --package: the same check as the settings', one line, exit 3."""
    status, out, err = run("init", "--package", "my-client")

    assert status == 3
    assert out == ""
    assert "[tool.fluent-gql] package: 'my-client' is not a dotted Python" in err
    assert len(err.splitlines()) == 1
    assert list(here.iterdir()) == []


# generate -----------------------------------------------------------------------


def test_generate_refuses_an_unknown_field_with_its_place(
    initialised: Path, run: Run
) -> None:
    """Exit 8 before anything is written; the error located like a compiler's."""
    edit(initialised / "queries" / "me.graphql", "    username\n", "    usernam\n")

    status, out, err = run("generate")

    assert status == 8
    assert out == ""
    assert (
        "queries/me.graphql:7:5: Cannot query field 'usernam' on type 'User'. "
        "Did you mean 'username'?" in err.splitlines()
    )
    assert err.splitlines()[-1] == (
        "Error: 1 error in the operations: nothing generated"
    )
    assert not (initialised / "fluent_client").exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("no queries", "queries: "),
        ("package", "package: 'my-client' is not a dotted Python package name"),
        ("schema", "schema: "),
    ],
)
def test_generate_reports_bad_settings_in_one_line(
    initialised: Path, run: Run, change: str, message: str
) -> None:
    """A missing queries folder, a package that is not an identifier, a schema
    that does not parse: exit 3, one line naming the setting."""
    pyproject = initialised / "pyproject.toml"
    if change == "no queries":
        (initialised / "queries" / "me.graphql").unlink()
        (initialised / "queries").rmdir()
    elif change == "package":
        edit(pyproject, '"fluent_client"', '"my-client"')
    else:
        (initialised / "broken.graphql").write_text("type Query {\n  me: User\n")
        edit(
            pyproject, '# schema = "schema/fluent.graphql"', 'schema = "broken.graphql"'
        )

    status, out, err = run("generate")

    assert status == 3
    assert out == ""
    assert err.startswith(f"Error: {pyproject} [tool.fluent-gql] {message}")
    assert len(err.splitlines()) == 1
    assert not (initialised / "fluent_client").exists()


def test_generate_check_passes_when_current_and_lists_stale_files(
    initialised: Path, run: Run
) -> None:
    """generate, then --check: exit 0; a changed operation: exit 1, stale: lines."""
    generated, out, err = run("generate")
    current, current_out, _ = run("generate", "--check")
    edit(initialised / "queries" / "me.graphql", "    lastName\n", "")
    before = (initialised / "fluent_client" / "me.py").read_text()

    stale, stale_out, stale_err = run("generate", "--check")

    assert generated == 0, err
    assert out == (
        "generated fluent_client (Client, AsyncClient) against the schema "
        "bundled with fluent-gql\n"
    )
    assert "def me(" in (initialised / "fluent_client" / "client.py").read_text()
    assert current == 0
    assert current_out == "fluent_client is current\n"
    assert stale == 1
    assert "stale: fluent_client/me.py" in stale_out.splitlines()
    assert "stale: fluent_client/client.py" in stale_out.splitlines()
    assert stale_err.startswith("Error: ")
    assert "run `fluent-gql generate`" in stale_err
    assert (initialised / "fluent_client" / "me.py").read_text() == before


def test_generate_never_replaces_a_folder_it_did_not_write(
    initialised: Path, run: Run
) -> None:
    """A package name that points at the user's own code: exit 3, one line, and
    the folder is untouched; a package generate wrote is replaced as before."""
    own = initialised / "fluent_client"
    own.mkdir()
    (own / "__init__.py").write_text("MINE = 1\n")

    status, _, err = run("generate")

    assert status == 3
    assert "was not written by `fluent-gql generate`" in err
    assert len(err.splitlines()) == 1
    assert [p.name for p in own.iterdir()] == ["__init__.py"]
    assert (own / "__init__.py").read_text() == "MINE = 1\n"


# the schema commands read the settings -----------------------------------------


def test_validate_checks_the_queries_against_the_schema_of_the_settings(
    configured: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ops/ against api.graphql, from the project or a folder below it;
    FLUENT_SCHEMA still comes first."""
    status, out, err = run("validate")
    (configured / "deep").mkdir()
    monkeypatch.chdir(configured / "deep")
    below, below_out, _ = run("validate")
    monkeypatch.setenv("FLUENT_SCHEMA", str(configured / "new.graphql"))
    named, named_out, _ = run("validate")

    assert status == 0, err
    assert "ops/orderByRef.graphql:1:1" in out
    assert out.rstrip().endswith(
        "0 errors, 0 warnings in 1 operation (1 file) checked against api.graphql"
    )
    assert below == 0
    assert "in 1 operation (1 file)" in below_out
    assert named == 1
    assert "Cannot query field 'status' on type 'Order'." in named_out


def test_diff_checks_the_settings_queries_and_names_the_methods_that_break(
    configured: Path, run: Run
) -> None:
    """Each error names the operation and its client method, in text and JSON."""
    status, out, err = run("schema", "diff", "api.graphql", "new.graphql")
    _, as_json, _ = run("schema", "diff", "--json", "api.graphql", "new.graphql")

    error = json.loads(as_json)["errors"][0]
    assert status == 1
    assert (
        "ops/orderByRef.graphql:4:5: orderByRef (order_by_ref()): Cannot query "
        "field 'status' on type 'Order'." in out.splitlines()
    )
    assert err == "Error: 1 operation file of 1 fail against new.graphql\n"
    assert error["path"] == "ops/orderByRef.graphql"
    assert error["operations"] == [{"name": "orderByRef", "method": "order_by_ref"}]


@pytest.mark.parametrize(
    "argv",
    [
        ["validate"],
        ["schema", "diff", "api.graphql", "new.graphql"],
        ["schema", "pull"],
    ],
)
def test_malformed_settings_are_one_line_and_exit_status_3(
    configured: Path, run: Run, argv: list[str]
) -> None:
    """A client name that is not one stops the command before it does anything."""
    edit(configured / "pyproject.toml", 'package = "acme_client"', 'client = "1st"\n&')
    edit(configured / "pyproject.toml", "&", 'package = "acme_client"')

    status, out, err = run(*argv)

    assert status == 3
    assert out == ""
    assert err.startswith("Error: ")
    assert "[tool.fluent-gql] client: '1st' is not a Python class name" in err
    assert len(err.splitlines()) == 1


def test_pull_writes_the_schema_file_the_settings_name(
    configured: Path, run: Run, emulator_env: EmulatorServer
) -> None:
    """No --out: the pull replaces api.graphql, and caches the schema too."""
    status, out, err = run("schema", "pull")

    lines = out.splitlines()
    assert status == 0, err
    assert lines[0].startswith("wrote api.graphql (")
    assert lines[1].startswith(f"cached for {emulator_env.base_url}: ")
    assert (configured / "api.graphql").read_text() == sorted_sdl(bundled_schema())


def test_pull_without_a_schema_setting_only_caches_and_validate_uses_that(
    initialised: Path, run: Run, emulator_env: EmulatorServer
) -> None:
    """Settings with no schema: no file is written; the cached schema is the
    project's, and validate checks against it."""
    before = snapshot(initialised)

    status, out, err = run("schema", "pull")
    validated, checked, _ = run("validate")

    lines = out.splitlines()
    assert status == 0, err
    assert lines[0].startswith(f"cached for {emulator_env.base_url}: ")
    assert lines[1] == (
        "[tool.fluent-gql] names no schema file: `fluent-gql generate` and "
        "`fluent-gql validate` use this cached schema"
    )
    assert snapshot(initialised) == before
    assert validated == 0
    assert f"checked against the schema pulled for {emulator_env.base_url}" in checked
