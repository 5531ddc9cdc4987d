"""Reading bulk-import files: CSV or JSON Lines, one record at a time, checked locally.

Columns are named like the keyword arguments of ``create_customer`` and
``create_product`` (``email``, ``first_name`` ...; camelCase such as ``firstName``
is accepted too). Attributes come from a JSON ``attributes`` column (a list of
``{"name", "type", "value"}`` objects, or an object of name to value) and from every
column that is not an argument: its header is the attribute's name. A row that
Fluent would refuse (a required value missing, a bad number, a value over the
schema's documented length) becomes an :class:`InvalidRow` with its line number,
and is never sent.

Files are read as a stream: memory does not grow with their size.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from graphql import GraphQLInputObjectType

from fluent_gql._exceptions import FluentInputError
from fluent_gql._operations import documented_limit
from fluent_gql._schema import bundled_schema
from fluent_gql_generated.input_types import AttributeInput

__all__ = [
    "CUSTOMERS",
    "PRODUCTS",
    "FileFormat",
    "ImportFileError",
    "InvalidRow",
    "Kind",
    "Record",
    "RecordKind",
    "count_records",
    "file_format",
    "read_records",
]

Kind = Literal["customers", "products"]
FileFormat = Literal["csv", "jsonl"]

_JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson", ".json"})
_TRUE = frozenset({"true", "yes", "y", "1"})
_FALSE = frozenset({"false", "no", "n", "0"})


class ImportFileError(FluentInputError):
    """Raised before anything is sent when the file as a whole cannot be imported
    (unknown format, a header without a required column, duplicate columns)."""


class _RowError(Exception):
    """A value of one row is unusable; the message names the column."""


@cache
def _documented_limit(input_type: str, field_name: str) -> int:
    """The length limit the schema's description documents for an input field."""
    named = bundled_schema().get_type(input_type)
    assert isinstance(named, GraphQLInputObjectType), input_type
    return documented_limit(named.fields[field_name].description)


@dataclass(frozen=True)
class Column:
    """One column: the create argument it feeds and how its value is checked."""

    name: str
    required: bool = False
    #: ``(input type, field)`` whose documented length limit applies to text.
    limit_of: tuple[str, str] | None = None
    parse: Callable[[str, object], object] | None = None

    @property
    def limit(self) -> int | None:
        return None if self.limit_of is None else _documented_limit(*self.limit_of)


@dataclass(frozen=True)
class RecordKind:
    """What is imported: its columns, its identity and its duplicate error code.

    Attributes:
        kind: ``customers`` or ``products``.
        columns: the create arguments a file may give, by name.
        identity: the columns shown in the log for a record (``email``/``username``,
            ``catalogue_ref``/``ref``).
        key: the columns that identify a record to Fluent (the unique ones).
        duplicate_code: the Fluent code for "already exists".
    """

    kind: Kind
    columns: Mapping[str, Column]
    identity: tuple[str, ...]
    key: tuple[str, ...]
    duplicate_code: str
    complete: Callable[[dict[str, Any]], None] = field(default=lambda values: None)

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns.values() if c.required]


@dataclass(frozen=True)
class Record:
    """A row that passed the local checks.

    Attributes:
        line: where the row starts in the file (the header is line 1 of a CSV).
        arguments: keyword arguments for ``create_customer``/``create_product``.
        identity: the identity columns and their values, for the log.
        key: the values that identify the record to Fluent.
    """

    line: int
    arguments: dict[str, Any]
    identity: dict[str, str]
    key: tuple[str, ...]


@dataclass(frozen=True)
class InvalidRow:
    """A row that failed the local checks; it is reported, never sent."""

    line: int
    message: str
    identity: dict[str, str]


# -- value parsers ---------------------------------------------------------------


def _boolean(name: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise _RowError(f"{name} must be true or false, got {value!r}")


def _price(name: str, value: object) -> float:
    if isinstance(value, bool):
        raise _RowError(f"{name} must be a number, got {value!r}")
    try:
        number = float(value) if isinstance(value, int | float | str) else math.nan
    except ValueError:
        raise _RowError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise _RowError(f"{name} must be a finite number, got {value!r}")
    if number < 0:
        raise _RowError(f"{name} must not be negative, got {value!r}")
    return number


def _numeric_id(name: str, value: object) -> str:
    text = str(value).strip()
    if isinstance(value, bool) or not (text.isascii() and text.isdigit()):
        raise _RowError(f"{name} must be a numeric id, got {value!r}")
    return text


def _text(column: Column, value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _RowError(f"{column.name} must be text, got {value!r}")
    text = value if isinstance(value, str) else str(value)
    limit = column.limit
    if limit is not None and len(text) > limit:
        raise _RowError(
            f"{column.name} is {len(text)} characters long; Fluent allows at most "
            f"{limit}"
        )
    return text


def _inferred_type(value: object) -> str:
    if isinstance(value, bool):
        return "BOOLEAN"
    if isinstance(value, int):
        return "INTEGER"
    if isinstance(value, float):
        return "FLOAT"
    if isinstance(value, dict | list):
        return "JSON"
    return "STRING"


_ATTRIBUTE_LIMIT = ("AttributeInput", "name")


def _attribute(name: object, type_: object, value: object) -> AttributeInput:
    if not isinstance(name, str) or not name.strip():
        raise _RowError(f"attributes: every attribute needs a name, got {name!r}")
    if value is None:
        raise _RowError(f"attributes: {name} has no value")
    checked_name = _text(Column(f"attribute {name!r}", limit_of=_ATTRIBUTE_LIMIT), name)
    checked_type = _text(
        Column(f"type of attribute {name!r}", limit_of=_ATTRIBUTE_LIMIT), type_
    )
    return AttributeInput(name=checked_name, type_=checked_type, value=value)


def _attributes_column(value: object) -> list[AttributeInput]:
    if isinstance(value, str):
        if not value.strip():
            return []
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise _RowError(f"attributes is not valid JSON: {exc.msg}") from None
    if isinstance(value, dict):
        return [_attribute(k, _inferred_type(v), v) for k, v in value.items()]
    if isinstance(value, list):
        out = []
        for item in value:
            if not isinstance(item, dict):
                raise _RowError(f"attributes: expected objects, got {item!r}")
            given = item.get("value")
            out.append(
                _attribute(
                    item.get("name"), item.get("type") or _inferred_type(given), given
                )
            )
        return out
    raise _RowError("attributes must be a JSON list of {name, type, value} or object")


# -- the two kinds ---------------------------------------------------------------


def _customer_defaults(values: dict[str, Any]) -> None:
    values.setdefault("username", values["email"])


CUSTOMERS = RecordKind(
    kind="customers",
    columns={
        c.name: c
        for c in (
            Column("email", True, ("CreateCustomerInput", "primaryEmail")),
            Column("first_name", True, ("CreateCustomerInput", "firstName")),
            Column("username", False, ("CreateCustomerInput", "username")),
            Column("last_name", False, ("CreateCustomerInput", "lastName")),
            Column("phone", False, ("CreateCustomerInput", "primaryPhone")),
            Column("country", False, ("CreateCustomerInput", "country")),
            Column("timezone", False, ("CreateCustomerInput", "timezone")),
            Column("promotion_opt_in", parse=_boolean),
            Column("retailer_id", parse=_numeric_id),
        )
    },
    identity=("email", "username"),
    key=("username",),
    duplicate_code="C0123E",
    complete=_customer_defaults,
)

PRODUCTS = RecordKind(
    kind="products",
    columns={
        c.name: c
        for c in (
            Column("catalogue_ref", True, ("ProductCatalogueKey", "ref")),
            Column("ref", True, ("CreateStandardProductInput", "ref")),
            Column("name", True, ("CreateStandardProductInput", "name")),
            Column("gtin", True, ("CreateStandardProductInput", "gtin")),
            Column("price_currency", True, ("PriceInput", "currency")),
            Column("price_value", True, parse=_price),
            Column("type", False, ("CreateStandardProductInput", "type")),
            Column("summary", False, ("CreateStandardProductInput", "summary")),
        )
    },
    identity=("catalogue_ref", "ref"),
    key=("catalogue_ref", "ref"),
    duplicate_code="C0128E",
)


# -- reading ---------------------------------------------------------------------

#: One row as read: where it starts, and its values by column, or why it is unusable.
_Row = tuple[int, "dict[str, object] | str"]


def _column_name(header: str) -> str:
    """``firstName``, ``First Name`` and ``first_name`` all name ``first_name``."""
    spaced = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", header.strip())
    return re.sub(r"[\s\-]+", "_", spaced).lower()


def _named(header: str, kind: RecordKind) -> str:
    """The argument a header names, or the header itself (an attribute's name)."""
    column = _column_name(header)
    return column if column in kind.columns or column == "attributes" else header


def file_format(path: Path, given: FileFormat | None = None) -> FileFormat:
    """The format of ``path``: ``given``, else by suffix (.csv, .jsonl/.ndjson/.json).

    Raises:
        ImportFileError: the suffix names neither format.
    """
    if given is not None:
        return given
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in _JSONL_SUFFIXES:
        return "jsonl"
    raise ImportFileError(
        f"cannot tell the format of {path.name}: name it .csv or .jsonl, or give "
        "the format",
        field="format",
    )


def count_records(path: Path, fmt: FileFormat) -> int:
    """Estimate the records in a file by counting its non-blank lines (one pass)."""
    with path.open(encoding="utf-8-sig", errors="replace") as lines:
        count = sum(1 for line in lines if line.strip())
    return max(count - 1, 0) if fmt == "csv" else count


def read_records(
    path: Path,
    kind: RecordKind,
    *,
    fmt: FileFormat | None = None,
    defaults: Mapping[str, str] | None = None,
) -> Iterator[Record | InvalidRow]:
    """Yield each row of ``path`` as a :class:`Record` or an :class:`InvalidRow`.

    Args:
        path: the CSV or JSON Lines file.
        kind: :data:`CUSTOMERS` or :data:`PRODUCTS`.
        fmt: the file's format; by default from its suffix.
        defaults: values for columns a row leaves blank (``catalogue_ref`` ...).

    Raises:
        ImportFileError: the format is unknown, a default names no column, or a
            CSV header lacks a required column (with no default) or names one
            twice. Raised by this call, before any row is read.
        OSError: the file cannot be read.
    """
    fmt = file_format(path, fmt)
    given = {_column_name(k): v for k, v in (defaults or {}).items()}
    unknown = sorted(set(given) - set(kind.columns))
    if unknown:
        raise ImportFileError(
            f"{kind.kind} have no column {', '.join(unknown)}", field="defaults"
        )
    handle = path.open(encoding="utf-8-sig", newline="")
    try:
        rows = (
            _csv_rows(handle, kind, given)
            if fmt == "csv"
            else _jsonl_rows(handle, kind)
        )
    except BaseException:
        handle.close()
        raise
    return _records(handle, rows, kind, given)


def _records(
    handle: Any, rows: Iterator[_Row], kind: RecordKind, defaults: Mapping[str, str]
) -> Iterator[Record | InvalidRow]:
    with handle:
        for line, values in rows:
            yield _record(line, values, kind, defaults)


def _csv_rows(
    handle: Any, kind: RecordKind, defaults: Mapping[str, str]
) -> Iterator[_Row]:
    reader = csv.reader(handle)
    header = next(reader, None)
    if header is None:
        return iter(())
    keys = [_named(h, kind) for h in header]
    twice = sorted({k for k in keys if k and keys.count(k) > 1})
    if twice:
        raise ImportFileError(
            f"columns given twice: {', '.join(twice)}", field="header"
        )
    missing = [c for c in kind.required if c not in keys and c not in defaults]
    if missing:
        raise ImportFileError(
            f"the header has no {', '.join(missing)} column (required for {kind.kind})",
            field="header",
        )
    return _csv_values(reader, keys)


def _csv_values(reader: Any, keys: Sequence[str]) -> Iterator[_Row]:
    previous = reader.line_num
    for cells in reader:
        # A quoted cell may span lines: the row starts after the previous one.
        start, previous = previous + 1, reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(keys):
            yield start, f"has {len(cells)} cells; the header has {len(keys)}"
            continue
        yield start, {k.strip(): c for k, c in zip(keys, cells, strict=False) if k}


def _jsonl_rows(handle: Any, kind: RecordKind) -> Iterator[_Row]:
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, f"is not valid JSON: {exc.msg}"
            continue
        if not isinstance(value, dict):
            yield number, "is not a JSON object"
            continue
        yield number, {_named(k, kind): v for k, v in value.items()}


def _record(
    line: int,
    values: dict[str, object] | str,
    kind: RecordKind,
    defaults: Mapping[str, str],
) -> Record | InvalidRow:
    if isinstance(values, str):
        return InvalidRow(line, f"line {line} {values}", {})
    identity = {
        name: str(values[name])
        for name in kind.identity
        if isinstance(values.get(name), str | int) and str(values[name]).strip()
    }
    try:
        arguments = _arguments(values, kind, defaults)
    except _RowError as exc:
        return InvalidRow(line, f"line {line}: {exc}", identity)
    identity = {name: str(arguments[name]) for name in kind.identity}
    return Record(
        line=line,
        arguments=arguments,
        identity=identity,
        key=tuple(identity[name] for name in kind.key),
    )


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _value(column: Column, value: object) -> object:
    return column.parse(column.name, value) if column.parse else _text(column, value)


def _arguments(
    values: Mapping[str, object], kind: RecordKind, defaults: Mapping[str, str]
) -> dict[str, Any]:
    arguments: dict[str, Any] = {}
    attributes: list[AttributeInput] = []
    for name, value in values.items():
        column = kind.columns.get(name)
        if name == "attributes":
            attributes.extend(_attributes_column(value))
        elif column is not None:
            if not _blank(value):
                arguments[name] = _value(column, value)
        elif not _blank(value):
            attributes.append(_attribute(name, _inferred_type(value), value))
    for name, value in defaults.items():
        if name not in arguments:
            arguments[name] = _value(kind.columns[name], value)
    missing = [name for name in kind.required if name not in arguments]
    if missing:
        raise _RowError(f"{', '.join(missing)} is required")
    kind.complete(arguments)
    if attributes:
        arguments["attributes"] = attributes
    return arguments
