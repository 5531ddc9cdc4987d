"""The schema workflow commands, run through the real entry point.

``fluent-gql validate``, ``schema diff``, ``schema pull`` and ``generate`` against
small projects made for the purpose in a temporary directory.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from graphql import (
    build_schema,
    find_breaking_changes,
    find_dangerous_changes,
    introspection_from_schema,
)

from fluent_gql._schema import bundled_schema
from fluent_gql._schema_files import sorted_sdl, write_text_atomic
from fluent_gql.cli import main
from fluent_gql.emulator import EmulatorServer

OLD = """
type Query {
  me: User
  customers(first: Int, status: String): CustomerConnection
}
type Mutation { createCustomer(input: CreateCustomerInput): Customer }
type User {
  id: ID!
  email: String
  nickname: String @deprecated(reason: "Use email.")
  status: Status
}
enum Status { ACTIVE INACTIVE }
input CreateCustomerInput { email: String! }
type Customer { id: ID! email: String friends(first: Int): CustomerConnection }
type CustomerConnection { edges: [CustomerEdge] }
type CustomerEdge { node: Customer }
"""

# OLD with a removed field (Customer.email), a changed argument type
# (customers(first:)), a new required input field and an added enum value.
NEW = (
    OLD.replace("type Customer { id: ID! email: String", "type Customer { id: ID!")
    .replace("customers(first: Int,", "customers(first: String,")
    .replace("{ email: String! }", "{ email: String! username: String! }")
    .replace("{ ACTIVE INACTIVE }", "{ ACTIVE INACTIVE SUSPENDED }")
)

OPERATIONS = {
    "me.graphql": "query me {\n  me {\n    id\n    email\n    status\n  }\n}\n",
    "customers.graphql": (
        "query customers {\n"
        "  customers(first: 10) {\n"
        "    edges {\n"
        "      node {\n"
        "        ...CustomerFields\n"
        "      }\n"
        "    }\n"
        "  }\n"
        "}\n"
    ),
    "fragments/CustomerFields.graphql": (
        "fragment CustomerFields on Customer {\n  id\n  email\n}\n"
    ),
    "createCustomer.graphql": (
        "mutation createCustomer($email: String!) {\n"
        "  createCustomer(input: { email: $email }) {\n"
        "    id\n"
        "  }\n"
        "}\n"
    ),
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with schema/fluent.graphql (OLD) and valid queries/; the cwd."""
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "fluent.graphql").write_text(OLD)
    (tmp_path / "new.graphql").write_text(NEW)
    for name, text in OPERATIONS.items():
        path = tmp_path / "queries" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run ``fluent-gql ARGV``; return the status, stdout and stderr."""
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def write(project: Path, name: str, text: str) -> None:
    """Add or replace an operation file."""
    (project / "queries" / name).write_text(text)


# validate ---------------------------------------------------------------------


def test_validate_passes_valid_operations_and_reports_both_estimates(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Exit 0; every operation has a row with its queries and records estimates."""
    status, out, err = run(capsys, "validate")

    assert status == 0, err
    assert "queries/customers.graphql:1:1" in out
    row = next(line for line in out.splitlines() if " customers " in line)
    assert row.split()[-2:] == ["1", "11"]
    assert "0 errors, 0 warnings in 3 operations (4 files)" in out
    assert "against schema/fluent.graphql" in out


def test_validate_prints_a_typo_like_a_compiler(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """path:line:column: message, graphql-core's hint included; exit 1."""
    write(project, "me.graphql", "query me {\n  me {\n    id\n    emial\n  }\n}\n")

    status, out, err = run(capsys, "validate")

    assert status == 1
    assert (
        "queries/me.graphql:4:5: Cannot query field 'emial' on type 'User'. "
        "Did you mean 'email'?" in out.splitlines()
    )
    assert err.strip().startswith("Error: 1 error, 0 warnings")
    assert "Traceback" not in out + err


def test_validate_warns_about_deprecated_fields(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A deprecated field is a warning with its reason; the exit status stays 0."""
    write(project, "me.graphql", "query me {\n  me {\n    nickname\n  }\n}\n")

    status, out, _ = run(capsys, "validate")

    assert status == 0
    assert (
        "queries/me.graphql:3:5: warning: The field User.nickname is deprecated. "
        "Use email." in out.splitlines()
    )


def test_validate_reports_bad_variables(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A variable of the wrong type, an undefined one and an unused one."""
    write(
        project,
        "byStatus.graphql",
        "query byStatus($first: String, $unused: Int) {\n"
        "  customers(first: $first, status: $status) {\n"
        "    edges { node { id } }\n"
        "  }\n"
        "}\n",
    )

    status, out, _ = run(capsys, "validate")

    assert status == 1
    lines = out.splitlines()
    assert (
        "queries/byStatus.graphql:1:16: Variable '$first' of type 'String' used in "
        "position expecting type 'Int'." in lines
    )
    assert any(
        line.startswith("queries/byStatus.graphql:2:36: Variable '$status' is not")
        for line in lines
    )
    assert any("Variable '$unused' is never used" in line for line in lines)


def test_validate_flags_names_that_break_code_generation(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Anonymous, duplicate and reserved names, and two names for one method."""
    write(project, "anonymous.graphql", "{ me { id } }\n")
    write(project, "again.graphql", "query me { me { email } }\n")
    write(project, "execute.graphql", "query execute { me { id } }\n")
    write(project, "a.graphql", "query customerList { me { id } }\n")
    write(project, "b.graphql", "query customer_list { me { id } }\n")

    status, out, _ = run(capsys, "validate")

    assert status == 1
    lines = out.splitlines()
    assert any(
        line.startswith("queries/anonymous.graphql:1:1: anonymous") for line in lines
    )
    assert (
        "queries/again.graphql:1:1: operation 'me' is also defined at "
        "queries/me.graphql:1:1" in lines
    )
    assert any(
        line.startswith("queries/execute.graphql:1:1: operation 'execute' would")
        and "reserves" in line
        for line in lines
    )
    assert any(
        line.startswith("queries/a.graphql:1:1: operations 'customerList' and")
        and "'customer_list'" in line
        for line in lines
    )


def test_validate_reports_a_syntax_error_and_checks_the_other_files(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A broken file is located; the rest are still validated."""
    write(project, "broken.graphql", "query broken {\n  me {\n")
    write(project, "typo.graphql", "query typo { me { idd } }\n")

    status, out, _ = run(capsys, "validate")

    assert status == 1
    assert (
        "queries/broken.graphql:3:1: Syntax Error: Expected Name, found <EOF>." in out
    )
    assert "queries/typo.graphql:1:19: Cannot query field 'idd'" in out


def test_validate_blocks_an_operation_over_the_complexity_limit(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Over the conservative limit: an error naming the page sizes to lower."""
    write(
        project,
        "deep.graphql",
        "query deep {\n"
        "  customers(first: 5000) { edges { node {\n"
        "    friends(first: 5000) { edges { node { friends { edges { node { id } } } } } }\n"  # noqa: E501
        "  } } }\n"
        "}\n",
    )
    write(
        project,
        "wide.graphql",
        "query wide {\n"
        "  customers(first: 200) { edges { node {\n"
        "    friends(first: 100) { edges { node { id } } }\n"
        "  } } }\n"
        "}\n",
    )

    status, out, _ = run(capsys, "validate")

    assert status == 1
    lines = out.splitlines()
    deep = next(line for line in lines if line.startswith("queries/deep.graphql:1:1:"))
    assert "operation 'deep' is too complex for Fluent" in deep
    assert "customers at 2:3 (first: 5000) to at most 2" in deep
    wide = next(line for line in lines if line.startswith("queries/wide.graphql:1:1:"))
    assert wide.startswith("queries/wide.graphql:1:1: warning: operation 'wide' may be")
    row = next(line for line in lines if " wide " in line)
    assert row.split()[-2:] == ["201", "20,201"]


def test_validate_resolves_fragments_from_the_rest_of_queries(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One file given: fragments defined elsewhere in queries/ still resolve."""
    status, out, err = run(capsys, "validate", "queries/customers.graphql")

    assert status == 0, out + err
    assert "1 operation (1 file)" in out


def test_validate_takes_an_introspection_result_as_the_schema(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--schema accepts introspection JSON, as a pull from Fluent's tools gives."""
    data = {"data": introspection_from_schema(build_schema(OLD))}
    (project / "fluent.json").write_text(json.dumps(data))

    status, out, _ = run(capsys, "validate", "--schema", "fluent.json")

    assert status == 0
    assert "checked against fluent.json" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["validate", "nope.graphql"],
            "Error: nope.graphql: no such file or directory",
        ),
        (["validate", "--schema", "nope.graphql"], "Error: nope.graphql: cannot read"),
        (
            ["schema", "diff", "schema/fluent.graphql", "x.json"],
            "Error: x.json: cannot",
        ),
    ],
)
def test_a_missing_file_is_one_line_and_exit_status_2(
    project: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    """No traceback: the path and the reason, on stderr."""
    status, _, err = run(capsys, *argv)

    assert status == 2
    assert err.startswith(message)
    assert len(err.strip().splitlines()) == 1


def test_an_invalid_schema_is_reported_with_its_place(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A broken SDL file: path:line:column and graphql-core's message."""
    (project / "schema" / "fluent.graphql").write_text("type Query {\n  me: User\n")

    status, _, err = run(capsys, "validate")

    assert status == 2
    assert err.startswith("Error: schema/fluent.graphql:3:1: Syntax Error")


# schema diff ------------------------------------------------------------------


def test_diff_groups_the_changes_and_names_the_operations_that_break(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Breaking then dangerous changes by kind, then errors against NEW, each with
    the operations it breaks and their methods; exit 1."""
    status, out, err = run(
        capsys, "schema", "diff", "schema/fluent.graphql", "new.graphql"
    )

    assert status == 1
    assert err == "Error: 3 operation files of 4 fail against new.graphql\n"
    breaking, dangerous = out.split("1 dangerous change:\n")
    assert breaking.startswith("3 breaking changes:\n")
    assert "  field removed:\n    Customer.email was removed.\n" in breaking
    assert (
        "  arg changed kind:\n"
        "    Query.customers arg first has changed type from Int to String.\n"
    ) in breaking
    assert (
        "  required input field added:\n"
        "    A required field username on input type CreateCustomerInput was added.\n"
    ) in breaking
    assert dangerous.startswith(
        "  value added to enum:\n    SUSPENDED was added to enum type Status.\n"
    )
    lines = dangerous.splitlines()
    assert lines[3:] == [
        "queries/createCustomer.graphql:2:25: createCustomer (create_customer()): "
        "Field 'CreateCustomerInput.username' of required type 'String!' was not "
        "provided.",
        "queries/customers.graphql:2:20: customers (customers()): String cannot "
        "represent a non string value: 10",
        "queries/fragments/CustomerFields.graphql:3:3: customers (customers()): "
        "Cannot query field 'email' on type 'Customer'.",
    ]
    assert not any(line.startswith("queries/me.graphql") for line in lines)


def test_diff_speaks_json_for_machines(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--json: the changes by type, and each error with path, line, column and
    the operations (and methods) it breaks."""
    status, out, _ = run(
        capsys, "schema", "diff", "--json", "schema/fluent.graphql", "new.graphql"
    )

    report = json.loads(out)
    assert status == 1
    assert {c["type"] for c in report["breaking"]} == {
        "FIELD_REMOVED",
        "ARG_CHANGED_KIND",
        "REQUIRED_INPUT_FIELD_ADDED",
    }
    assert [c["type"] for c in report["dangerous"]] == ["VALUE_ADDED_TO_ENUM"]
    assert {e["path"] for e in report["errors"]} == {
        "queries/customers.graphql",
        "queries/fragments/CustomerFields.graphql",
        "queries/createCustomer.graphql",
    }
    first = report["errors"][0]
    assert set(first) == {
        "path",
        "line",
        "column",
        "message",
        "operations",
        "fails_against_old",
    }
    assert first["operations"] == [
        {"name": "createCustomer", "method": "create_customer"}
    ]
    assert not any(e["fails_against_old"] for e in report["errors"])


def test_diff_of_a_schema_with_itself_passes(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No changes and no breaks: exit 0."""
    status, out, _ = run(
        capsys, "schema", "diff", "schema/fluent.graphql", "schema/fluent.graphql"
    )

    assert status == 0
    assert out.startswith("No breaking or dangerous changes.")
    assert "every operation validates against NEW" in out


def test_diff_marks_operations_that_already_failed_against_old(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An error present against both schemas is labelled, and still fails."""
    write(project, "me.graphql", "query me { me { idd } }\n")

    status, out, _ = run(
        capsys, "schema", "diff", "schema/fluent.graphql", "schema/fluent.graphql"
    )

    assert status == 1
    assert (
        "queries/me.graphql:1:17: me (me()): Cannot query field 'idd' on type 'User'."
        in out
    )
    assert "(fails against OLD too)" in out


def test_diff_compares_an_introspection_result_with_sdl(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A .json introspection of OLD against OLD's SDL: no changes at all."""
    introspection = introspection_from_schema(build_schema(OLD))
    del introspection["__schema"]["directives"][2:]  # as Fluent's: @include, @skip
    (project / "old.json").write_text(json.dumps({"data": introspection}))

    status, out, _ = run(capsys, "schema", "diff", "old.json", "schema/fluent.graphql")

    assert status == 0
    assert out.startswith("No breaking or dangerous changes.")


# schema pull ------------------------------------------------------------------


@pytest.fixture
def emulator_env(
    fluent_emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> EmulatorServer:
    """FLUENT_* variables pointing at the emulator."""
    config = fluent_emulator.config()
    for name in ("base_url", "username", "password", "client_id", "client_secret"):
        monkeypatch.setenv(f"FLUENT_{name.upper()}", getattr(config, name))
    return fluent_emulator


def test_a_pull_from_the_emulator_agrees_with_our_own_sdl(
    emulator_env: EmulatorServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The emulator serves our SDL: the pulled file is that SDL, sorted."""
    out_file = tmp_path / "pulled" / "fluent.graphql"

    status, out, err = run(capsys, "schema", "pull", "--out", str(out_file))

    pulled = build_schema(out_file.read_text())
    ours = bundled_schema()
    assert status == 0, err
    assert out.startswith(f"wrote {out_file} (")
    assert out_file.read_text() == sorted_sdl(ours)
    assert find_breaking_changes(ours, pulled) == []
    assert find_breaking_changes(pulled, ours) == []
    assert find_dangerous_changes(ours, pulled) == []
    assert find_dangerous_changes(pulled, ours) == []


def test_pulling_twice_gives_the_same_file(
    emulator_env: EmulatorServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Deterministic output: the second pull leaves the file as it was."""
    out_file = tmp_path / "fluent.graphql"
    run(capsys, "schema", "pull", "--out", str(out_file))
    first = out_file.read_bytes()

    status, out, _ = run(capsys, "schema", "pull", "--out", str(out_file), "--json")

    assert status == 0
    assert out_file.read_bytes() == first
    assert json.loads(out)["changed"] is False
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fluent.graphql"]


def test_a_pull_never_prints_a_secret(
    emulator_env: EmulatorServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Neither the password nor the client secret reach the output."""
    creds = emulator_env.emulator.credentials

    _, out, err = run(capsys, "schema", "pull", "--out", str(tmp_path / "s.graphql"))

    assert creds.password not in out + err
    assert creds.client_secret not in out + err


def test_a_pull_notes_deprecations_that_newer_graphql_tools_refuse(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A field deprecated against its interface (as in Fluent's 2022 schema)."""
    for name in ("USERNAME", "PASSWORD", "CLIENT_ID", "CLIENT_SECRET"):
        monkeypatch.setenv(f"FLUENT_{name}", "x")
    monkeypatch.setenv("FLUENT_BASE_URL", "https://account.example")
    served = build_schema(
        """
        interface Orchestrateable { workflowRef: String }
        type Payment implements Orchestrateable {
          workflowRef: String @deprecated(reason: "No longer supported")
        }
        type Query { payment: Payment }
        """
    )
    monkeypatch.setattr(
        "fluent_gql.cli._schema.introspect",
        lambda config: introspection_from_schema(served),
    )
    out_file = tmp_path / "s.graphql"

    status, out, err = run(capsys, "schema", "pull", "--out", str(out_file))

    assert status == 0
    assert out.startswith(
        f"wrote {out_file} (5 types)\ncached for https://account.example: "
    )
    assert err == (
        f"{out_file}: note: Payment.workflowRef is deprecated but "
        "Orchestrateable.workflowRef, which it implements, is not\n"
    )


def test_a_pull_without_settings_fails_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Missing FLUENT_* variables: exit 3, the settings named, nothing written."""
    out_file = tmp_path / "s.graphql"

    status, _, err = run(capsys, "schema", "pull", "--out", str(out_file))

    assert status == 3
    assert err.startswith("Error: missing setting(s): base_url")
    assert "Traceback" not in err
    assert not out_file.exists()


def test_a_pull_that_cannot_write_fails_in_one_line(
    emulator_env: EmulatorServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A folder where the file's parent should be: exit 1, no traceback."""
    (tmp_path / "blocker").write_text("a file, not a folder")
    out_file = tmp_path / "blocker" / "fluent.graphql"

    status, _, err = run(capsys, "schema", "pull", "--out", str(out_file))

    assert status == 1
    assert err.startswith(f"Error: {out_file}: cannot write the schema:")
    assert len(err.strip().splitlines()) == 1


def test_a_failed_write_leaves_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The SDL goes to a temporary file first; a failure removes it."""
    target = tmp_path / "fluent.graphql"
    target.write_text("type Query { old: Int }\n")

    def fail(src: str, dst: Path) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)

    with pytest.raises(OSError, match="disk full"):
        write_text_atomic(target, "type Query { new: Int }\n")

    assert target.read_text() == "type Query { old: Int }\n"
    assert [p.name for p in tmp_path.iterdir()] == ["fluent.graphql"]
