"""Reading and writing schema files for the schema workflow (``fluent-gql schema``).

A schema file is SDL (``.graphql``) or an introspection result (``.json``, as
``{"data": {"__schema": ...}}`` or ``{"__schema": ...}``). Pulled schemas are
written as SDL with types and fields sorted by name, so that two pulls of the same
schema give the same bytes whatever order the server lists them in.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from graphql import (
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    build_client_schema,
    build_schema,
    introspection_from_schema,
    lexicographic_sort_schema,
    print_schema,
    specified_directives,
    validate_schema,
)

__all__ = [
    "SchemaFileError",
    "deprecation_mismatches",
    "limit_note",
    "load_schema",
    "schema_from_introspection",
    "sdl_from_introspection",
    "sorted_sdl",
    "without_descriptions",
    "write_text_atomic",
]

#: Permissions of a newly written schema file (an existing one keeps its own).
NEW_FILE_MODE = 0o644


class SchemaFileError(ValueError):
    """Raised when a schema file cannot be read, parsed or built (one-line message).

    A ``ValueError``, so that callers of the emulator need not import it.
    """


def _from_introspection(data: Any, label: str) -> GraphQLSchema:
    if isinstance(data, Mapping) and isinstance(data.get("data"), Mapping):
        data = data["data"]
    if not isinstance(data, Mapping) or "__schema" not in data:
        raise SchemaFileError(f"{label}: not an introspection result (no __schema)")
    try:
        schema = build_client_schema(data)  # type: ignore[arg-type]
    except (TypeError, GraphQLError) as exc:
        raise SchemaFileError(f"{label}: {exc}") from exc
    # Fluent's introspection lists only @include and @skip; without the other
    # standard directives a diff would report them as removed.
    missing = [d for d in specified_directives if d not in schema.directives]
    if not missing:
        return schema
    return GraphQLSchema(
        query=schema.query_type,
        mutation=schema.mutation_type,
        subscription=schema.subscription_type,
        types=list(schema.type_map.values()),
        directives=(*schema.directives, *missing),
        description=schema.description,
    )


def _located(label: str, exc: GraphQLError) -> str:
    where = exc.locations[0] if exc.locations else None
    prefix = f"{label}:{where.line}:{where.column}" if where else label
    return f"{prefix}: {exc.message}"


def load_schema(path: Path) -> GraphQLSchema:
    """Build the schema in ``path`` (SDL, or introspection JSON for ``.json``).

    Raises:
        SchemaFileError: the file is missing or unreadable, or not a valid schema.
    """
    label = str(path)
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise SchemaFileError(f"{label}: cannot read the schema: {reason}") from exc
    if path.suffix == ".json":
        try:
            schema = _from_introspection(json.loads(text), label)
        except json.JSONDecodeError as exc:
            raise SchemaFileError(
                f"{label}:{exc.lineno}:{exc.colno}: {exc.msg}"
            ) from exc
    else:
        try:
            schema = build_schema(text)
        except GraphQLError as exc:
            raise SchemaFileError(_located(label, exc)) from exc
        except TypeError as exc:  # graphql-core reports SDL errors as TypeError
            raise SchemaFileError(_first(label, str(exc).split("\n\n"))) from exc
    problems = validate_schema(schema)
    if problems:
        raise SchemaFileError(_first(label, [p.message for p in problems]))
    return schema


def _first(label: str, messages: list[str]) -> str:
    more = f" (and {len(messages) - 1} more)" if len(messages) > 1 else ""
    return f"{label}: invalid schema: {messages[0]}{more}"


def schema_from_introspection(result: Mapping[str, Any]) -> GraphQLSchema:
    """Build the schema an introspection result describes.

    Raises:
        SchemaFileError: ``result`` is not an introspection result.
    """
    return _from_introspection(result, "introspection result")


def sorted_sdl(schema: GraphQLSchema) -> str:
    """The schema's SDL, types and fields sorted by name, ending in a newline."""
    return print_schema(lexicographic_sort_schema(schema)) + "\n"


def sdl_from_introspection(result: Mapping[str, Any]) -> str:
    """Return the sorted SDL of an introspection result (see :func:`sorted_sdl`).

    Raises:
        SchemaFileError: ``result`` is not an introspection result.
    """
    return sorted_sdl(schema_from_introspection(result))


def limit_note(limit: int) -> str:
    """Our own description of an input field's length limit (what the input checks
    of the client and the importer read back)."""
    return f"At most {limit} characters."


def _input_field_note(description: str | None) -> str | None:
    # Imported here: _operations is part of the client's start-up path.
    from fluent_gql._plan import stated_limit

    limit = stated_limit(description)
    return None if limit is None else limit_note(limit)


def without_descriptions(schema: GraphQLSchema) -> GraphQLSchema:
    """A copy of ``schema`` with every description left out.

    The one thing kept is a fact the client acts on: an input field whose
    description states a length limit gets our own note of it
    (:func:`limit_note`) in place of the original text. Types, fields, arguments,
    input fields, enum values, interfaces and deprecations are unchanged.
    """
    result: dict[str, Any] = dict(introspection_from_schema(schema))
    described = result["__schema"]
    described["description"] = None
    for directive in described["directives"]:
        directive["description"] = None
        for argument in directive["args"]:
            argument["description"] = None
    for type_ in described["types"]:
        type_["description"] = None
        for member in (*(type_["fields"] or ()), *(type_["enumValues"] or ())):
            member["description"] = None
            for argument in member.get("args", ()):
                argument["description"] = None
        for input_field in type_["inputFields"] or ():
            input_field["description"] = _input_field_note(input_field["description"])
    return _from_introspection(result, "schema")


def deprecation_mismatches(schema: GraphQLSchema) -> list[str]:
    """Fields deprecated where the interface field they implement is not.

    graphql-core 3.2 accepts such a schema; graphql-core 3.3 (and so gql 4) refuse
    it, and Fluent's own 2022 schema has four of them (``Payment.workflowRef`` ...).
    """
    found: list[str] = []
    for type_ in schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType | GraphQLInterfaceType):
            continue
        for interface in type_.interfaces:
            for name, field in type_.fields.items():
                inherited = interface.fields.get(name)
                if (
                    inherited
                    and field.deprecation_reason is not None
                    and (inherited.deprecation_reason is None)
                ):
                    found.append(
                        f"{type_.name}.{name} is deprecated but "
                        f"{interface.name}.{name}, which it implements, is not"
                    )
    return sorted(found)


def write_text_atomic(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` through a temporary file and a rename.

    A reader sees the old file or the new one, never a half-written one. Returns
    ``False`` (and writes nothing) when the file already holds exactly ``text``.

    Raises:
        OSError: the file cannot be written, or ``path`` is not a regular file.
    """
    data = text.encode("utf-8")
    try:
        status = path.stat()
    except FileNotFoundError:
        mode = NEW_FILE_MODE
    else:
        # Renaming over a device or a pipe (/dev/null, say) would replace it.
        if not stat.S_ISREG(status.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        if path.read_bytes() == data:
            return False
        mode = status.st_mode & 0o7777
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True
