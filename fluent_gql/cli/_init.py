"""``fluent-gql init``: set a project up to compile its own operations.

Writes three things into the project folder: the ``[tool.fluent-gql]`` table of
``pyproject.toml`` (added to the file, whose own content is kept byte for byte), a
sample operation, and ``.graphqlrc.yml``, with which editors' GraphQL extensions
complete and check the operations. Nothing is overwritten without ``--force``, and
nothing at all is written when any of it would be refused.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import click

from fluent_gql._documents import display_path
from fluent_gql.cli._options import CommandFailed, ExitCode

#: The package ``fluent-gql generate`` writes unless ``--package`` names another.
DEFAULT_PACKAGE = "fluent_client"
#: The sample operation's file, in the queries folder.
SAMPLE_NAME = "me.graphql"
#: graphql-config's file, read by the GraphQL extensions of VS Code and JetBrains.
EDITOR_CONFIG = ".graphqlrc.yml"

SAMPLE = """\
# A sample operation: `fluent-gql generate` turns it into the client method me().
# One operation per file; the operation's name is the method's name.
query me {
  me {
    id
    ref
    username
    firstName
    lastName
    primaryRetailer {
      id
      ref
    }
  }
}
"""

_SCHEMA_UNSET = """\
# The schema to compile against. Unset: the one `fluent-gql schema pull` cached
# for your account, else the snapshot bundled with fluent-gql.
# schema = "schema/fluent.graphql"
"""

# The table's header line, however it is spaced or quoted.
_HEADER = re.compile(
    r"""^[ \t]*\[[ \t]*tool[ \t]*\.[ \t]*(?:fluent-gql|"fluent-gql"|'fluent-gql')"""
    r"""[ \t]*\][ \t]*(?:#[^\r\n]*)?\r?$""",
    re.MULTILINE,
)
# The next table's (or array of tables') header, where the table ends.
_NEXT_HEADER = re.compile(r"^[ \t]*\[", re.MULTILINE)


@dataclass(frozen=True)
class _Pyproject:
    """``pyproject.toml`` as it is: its text, and whether it has our table."""

    path: Path
    text: str
    has_table: bool


def _string(value: str) -> str:
    """A TOML basic string, or a YAML double-quoted one: JSON's escapes suit both."""
    return json.dumps(value, ensure_ascii=False)


def _table(values: dict[str, str]) -> str:
    schema = values.get("schema")
    lines = [
        "[tool.fluent-gql]",
        "# Read by `fluent-gql generate`, `validate` and `schema pull`/`diff`.",
        "# The folder of .graphql operation files, one operation per file.",
        f"queries = {_string(values['queries'])}",
        _SCHEMA_UNSET.rstrip("\n")
        if schema is None
        else f"# The schema to compile against.\nschema = {_string(schema)}",
        "# The package `fluent-gql generate` writes, and its sync client class (the",
        "# async one is Async + client).",
        f"package = {_string(values['package'])}",
        f"client = {_string(values['client'])}",
    ]
    return "\n".join(lines) + "\n"


def _read_pyproject(root: Path) -> _Pyproject:
    """Keeps the file's bytes: no newline translation on the way in or out."""
    path = root / "pyproject.toml"
    if not path.exists():
        return _Pyproject(path, "", has_table=False)
    try:
        text = path.read_bytes().decode("utf-8")
        document = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CommandFailed(
            f"{display_path(path)}: not a readable TOML file: {exc}", ExitCode.CONFIG
        ) from exc
    tool = document.get("tool")
    return _Pyproject(path, text, isinstance(tool, dict) and "fluent-gql" in tool)


def _surgery(pyproject: _Pyproject, table: str) -> str:
    """The file with ``table`` appended, or put in place of the old one."""
    newline = "\r\n" if "\r\n" in pyproject.text else "\n"
    table = table.replace("\n", newline)
    text = pyproject.text
    if not pyproject.has_table:
        if not text:
            return table
        return text + ("" if text.endswith("\n") else newline) + newline + table
    header = _HEADER.search(text)
    if header is None:
        raise CommandFailed(
            f"{display_path(pyproject.path)}: [tool.fluent-gql] is not written as "
            "a table of its own, so it cannot be replaced: edit it by hand"
        )
    following = _NEXT_HEADER.search(text, header.end())
    end = following.start() if following else len(text)
    # Comments and blank lines just above the next header belong to it.
    lines = text[header.start() : end].splitlines(keepends=True)
    kept = 0
    while kept < len(lines) - 1 and lines[-1 - kept].strip()[:1] in ("", "#"):
        kept += 1
    tail = "".join(lines[len(lines) - kept :]) if kept else ""
    return text[: header.start()] + table + tail + text[end:]


def _checked_surgery(pyproject: _Pyproject, values: dict[str, str]) -> str:
    """:func:`_surgery`, then proof that only the table changed."""
    new_text = _surgery(pyproject, _table(values))
    try:
        expected: dict[str, Any] = tomllib.loads(pyproject.text)
        expected.setdefault("tool", {})["fluent-gql"] = values
        same = tomllib.loads(new_text) == expected
    except (tomllib.TOMLDecodeError, TypeError, AttributeError):
        same = False
    if not same:
        raise CommandFailed(
            f"{display_path(pyproject.path)}: cannot write [tool.fluent-gql] without "
            "changing the rest of the file: edit it by hand"
        )
    return new_text


def _editor_config(values: dict[str, str]) -> str:
    from importlib import resources

    from fluent_gql._schema import SCHEMA_RESOURCE

    queries = PurePosixPath(Path(values["queries"]).as_posix())
    documents = _string(f"{queries}/**/*.graphql")
    if "schema" in values:
        about = "# The schema of [tool.fluent-gql] in pyproject.toml."
        schema = values["schema"]
    else:
        about = (
            "# The schema bundled with fluent-gql, a snapshot of Fluent's. For your\n"
            "# account's own, set `schema` here and in [tool.fluent-gql] of\n"
            "# pyproject.toml, then run `fluent-gql schema pull`."
        )
        bundled = resources.files("fluent_gql").joinpath(SCHEMA_RESOURCE)
        schema = Path(str(bundled)).as_posix()
    return (
        "# For editors' GraphQL extensions (graphql-config): completion and checks\n"
        "# of the operations against the schema. Written by `fluent-gql init`.\n"
        f"{about}\n"
        f"schema: {_string(schema)}\n"
        f"documents: {documents}\n"
    )


def _refuse_overwrites(pyproject: _Pyproject, files: list[Path]) -> None:
    there = [display_path(f) for f in files if f.exists()]
    if pyproject.has_table:
        there.insert(0, f"[tool.fluent-gql] in {display_path(pyproject.path)}")
    if there:
        raise CommandFailed(
            f"{', '.join(there)}: already there; nothing written (--force replaces "
            f"{'it' if len(there) == 1 else 'them'})"
        )


def _write(path: Path, text: str) -> None:
    from fluent_gql._schema_files import write_text_atomic

    try:
        write_text_atomic(path, text)
    except OSError as exc:
        raise CommandFailed(f"{display_path(path)}: cannot write: {exc}") from exc


@click.command()
@click.option(
    "--package",
    default=DEFAULT_PACKAGE,
    show_default=True,
    help="The package `fluent-gql generate` writes (dotted: acme.fluent).",
)
@click.option(
    "--client",
    default="Client",
    show_default=True,
    help="The sync client class; the async one is Async + this.",
)
@click.option(
    "--queries",
    default="queries",
    show_default=True,
    help="The folder of .graphql operation files, relative to the project.",
)
@click.option(
    "--schema",
    metavar="FILE",
    help="The schema file to compile against, relative to the project (SDL or "
    "introspection .json). [default: the schema pulled for your account, else "
    "the one bundled with fluent-gql]",
)
@click.option(
    "--project",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="The project folder. [default: here]",
)
@click.option("--force", is_flag=True, help="Replace what is already there.")
def init(
    package: str,
    client: str,
    queries: str,
    schema: str | None,
    project: Path | None,
    force: bool,
) -> None:
    """Set the project up for `fluent-gql generate`: the [tool.fluent-gql] table
    of pyproject.toml (the rest of the file is kept as it is), a sample operation
    QUERIES/me.graphql, and .graphqlrc.yml for editors.

    Nothing is overwritten without --force; with it, the [tool.fluent-gql] table
    is replaced in place.
    """
    from fluent_gql.codegen._settings import SettingsError, check_table

    root = (project or Path.cwd()).resolve()
    values = {"queries": queries, "package": package, "client": client}
    if schema is not None:
        values["schema"] = schema
    pyproject = _read_pyproject(root)
    try:
        settings = check_table(pyproject.path, values, check_paths=False)
    except SettingsError as exc:
        raise CommandFailed(str(exc), ExitCode.CONFIG) from exc
    sample, editor = settings.queries / SAMPLE_NAME, root / EDITOR_CONFIG
    if not force:
        _refuse_overwrites(pyproject, [sample, editor])
    new_pyproject = _checked_surgery(pyproject, values)
    _write(sample, SAMPLE)
    _write(editor, _editor_config(values))
    _write(pyproject.path, new_pyproject)
    if pyproject.has_table:
        click.echo(f"replaced [tool.fluent-gql] in {display_path(pyproject.path)}")
    else:
        click.echo(f"added [tool.fluent-gql] to {display_path(pyproject.path)}")
    click.echo(f"wrote {display_path(sample)}: a sample operation")
    click.echo(f"wrote {display_path(editor)}: the schema and operations, for editors")
    if settings.schema is not None and not settings.schema.exists():
        click.echo(
            f"note: {display_path(settings.schema)} does not exist yet: "
            "`fluent-gql schema pull` writes it"
        )
    click.echo(
        f"next: `fluent-gql generate` writes the package {settings.package} "
        f"({settings.client}, {settings.async_client})"
    )
