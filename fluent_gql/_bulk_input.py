"""Reading bulk-import files: CSV or JSON Lines, one record at a time, checked locally.

Columns are named like the keyword arguments of ``create_customer`` and
``create_product`` (``email``, ``first_name`` ...; camelCase such as ``firstName``
is accepted too). Attributes come from a JSON ``attributes`` column (a list of
``{"name", "type", "value"}`` objects, or an object of name to value) and from every
column that is not an argument: its header is the attribute's name. A row that
Fluent would refuse (a required value missing, a bad number, a value over the
schema's documented length) becomes an :class:`InvalidRow` with its line number,
and is never sent.

A file is read twice, as a stream (memory does not grow with its size): once by
:func:`scan_file` before anything is sent, which refuses a file that cannot be
imported as a whole (not UTF-8, a CSV without a header) and counts its records, then
by :func:`read_records`, row by row. A value over :data:`MAX_VALUE_CHARS` makes its
row invalid.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from graphql import GraphQLInputObjectType

from fluent_gql._config import parse_flag
from fluent_gql._constants import DUPLICATE_CUSTOMER_CODE, DUPLICATE_PRODUCT_CODE
from fluent_gql._exceptions import FluentInputError
from fluent_gql._naming import snake_case
from fluent_gql._plan import documented_limit
from fluent_gql._schema import bundled_schema
from fluent_gql_generated.input_types import AttributeInput

__all__ = [
    "CUSTOMERS",
    "MAX_VALUE_CHARS",
    "PRODUCTS",
    "FileFormat",
    "ImportFileError",
    "InvalidRow",
    "Kind",
    "Record",
    "RecordKind",
    "file_format",
    "read_records",
    "scan_file",
]

Kind = Literal["customers", "products"]
FileFormat = Literal["csv", "jsonl"]

_JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson", ".json"})

MAX_VALUE_CHARS = 128 * 1024
"""The longest value (a CSV cell, a JSON value as JSON text) a row may hold, in
characters; a longer one makes the row invalid. Every text field that Fluent
documents a limit for is far shorter (255 characters unless stated otherwise), and
this keeps a create well under Fluent's 2 MB request limit. It is also the csv
module's own default field limit, which the reader lifts so that an over-long cell
is one invalid row rather than the end of the file."""

#: The csv module's field limit while this module reads: larger than any line, so
#: that a long cell reaches :data:`MAX_VALUE_CHARS`'s check. It fits a C long on
#: every platform.
_CSV_READ_LIMIT = 2**31 - 1


class ImportFileError(FluentInputError):
    """Raised when the file as a whole cannot be imported: an unknown format, text
    that is not UTF-8, a CSV without a header, a header without a required column
    or naming one twice, a log that would overwrite the input. Raised before
    anything is sent (or, if the file changes while it is imported, where the run
    stops)."""


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
    # The one dialect of the package: the config's words are the import's words.
    flag = parse_flag(value)
    if flag is None:
        raise _RowError(
            f"{name} must be true or false (1/0, yes/no, y/n, on/off), got {value!r}"
        )
    return flag


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
        except (ValueError, RecursionError) as exc:
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
            raise _RowError(f"attributes is not valid JSON: {reason}") from None
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
    duplicate_code=DUPLICATE_CUSTOMER_CODE,
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
    duplicate_code=DUPLICATE_PRODUCT_CODE,
)


# -- reading ---------------------------------------------------------------------

#: One row as read: where it starts, and its values by column, or why it is unusable.
_Row = tuple[int, "dict[str, object] | str"]


def _column_name(header: str) -> str:
    """``firstName``, ``First Name`` and ``first_name`` all name ``first_name``
    (the generator's own converter, so a column is named as the argument is)."""
    return snake_case(header)


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


def scan_file(path: Path, fmt: FileFormat) -> int:
    """Read all of ``path`` once, before anything is sent; return its record count.

    A CSV's records are its non-blank rows after the header (a quoted cell may span
    lines); a JSON Lines file's are its non-blank lines. An empty JSON Lines file
    holds 0 records: that format has no other way to say "none today". A CSV says
    it with a header alone, so an empty CSV is an error.

    Raises:
        ImportFileError: the file is not UTF-8 text, or it is a CSV without a
            header line (empty, or blank lines only).
        OSError: the file cannot be read.
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            if fmt == "jsonl":
                return sum(1 for line in handle if line.strip())
            rows = sum(
                1 for cells in _cells(csv.reader(handle), path) if _filled(cells)
            )
    except UnicodeDecodeError:
        raise _encoding_error(path) from None
    if rows == 0:
        raise _no_header(path)
    return rows - 1


def _encoding_error(path: Path) -> ImportFileError:
    """Name the first line of ``path`` that is not UTF-8, and how to fix the file."""
    fix = (
        'save the file as UTF-8 (in Excel: "CSV UTF-8 (Comma delimited)") and '
        "import it again"
    )
    where = ""
    with path.open("rb") as raw:
        # UTF-8 never uses the newline byte inside a character: lines decode alone.
        for number, line in enumerate(raw, start=1):
            if number == 1 and line.startswith((b"\xff\xfe", b"\xfe\xff")):
                return ImportFileError(
                    f"{path.name} is UTF-16 text, not UTF-8: {fix}", field="file"
                )
            try:
                line.removeprefix(b"\xef\xbb\xbf" if number == 1 else b"").decode()
            except UnicodeDecodeError as exc:
                byte = exc.object[exc.start]
                where = f": line {number} has the byte 0x{byte:02X}"
                break
    return ImportFileError(f"{path.name} is not UTF-8 text{where}; {fix}", field="file")


def _no_header(path: Path) -> ImportFileError:
    return ImportFileError(
        f"{path.name} is empty: a CSV file starts with a header line naming its "
        "columns (a header alone imports nothing, successfully)",
        field="file",
    )


def _filled(cells: Sequence[str]) -> bool:
    return any(cell.strip() for cell in cells)


def _cells(reader: Any, path: Path) -> Iterator[list[str]]:
    """The rows of a csv reader, each read with the csv module's field limit lifted
    (and put back at once: the limit is process-wide), so that a cell over
    :data:`MAX_VALUE_CHARS` is one invalid row, not the end of the file."""
    while True:
        previous = csv.field_size_limit(_CSV_READ_LIMIT)
        try:
            cells: list[str] | None = next(reader, None)
        except csv.Error as exc:
            raise ImportFileError(
                f"{path.name} line {reader.line_num} is not readable CSV: {exc}",
                field="file",
            ) from None
        finally:
            csv.field_size_limit(previous)
        if cells is None:
            return
        yield cells


def read_records(
    path: Path,
    kind: RecordKind,
    *,
    fmt: FileFormat | None = None,
    defaults: Mapping[str, str] | None = None,
) -> Generator[Record | InvalidRow, None, None]:
    """Yield each row of ``path`` as a :class:`Record` or an :class:`InvalidRow`.

    Check the file with :func:`scan_file` first: this reads it as it goes, so a
    file that is not UTF-8 stops it at the first bad line.

    Args:
        path: the CSV or JSON Lines file.
        kind: :data:`CUSTOMERS` or :data:`PRODUCTS`.
        fmt: the file's format; by default from its suffix.
        defaults: values for columns a row leaves blank (``catalogue_ref`` ...).

    Raises:
        ImportFileError: the format is unknown, a default names no column, or a
            CSV has no header, or its header lacks a required column (with no
            default) or names one twice: raised by this call, before any row is
            read. Raised while reading: a line is not UTF-8.
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
            _csv_rows(handle, kind, given, path)
            if fmt == "csv"
            else _jsonl_rows(handle, kind)
        )
    except UnicodeDecodeError:
        handle.close()
        raise _encoding_error(path) from None
    except BaseException:
        handle.close()
        raise
    return _records(path, handle, rows, kind, given)


def _records(
    path: Path,
    handle: Any,
    rows: Iterator[_Row],
    kind: RecordKind,
    defaults: Mapping[str, str],
) -> Generator[Record | InvalidRow, None, None]:
    with handle:
        try:
            for line, values in rows:
                yield _record(line, values, kind, defaults)
        except UnicodeDecodeError:
            raise _encoding_error(path) from None


def _csv_rows(
    handle: Any, kind: RecordKind, defaults: Mapping[str, str], path: Path
) -> Iterator[_Row]:
    reader = csv.reader(handle)
    rows = _cells(reader, path)
    header = next((cells for cells in rows if _filled(cells)), None)
    if header is None:
        raise _no_header(path)
    too_long = [n for n, h in enumerate(header, start=1) if len(h) > MAX_VALUE_CHARS]
    if too_long:
        raise ImportFileError(
            f"{path.name}: column {too_long[0]} of the header is "
            f"{len(header[too_long[0] - 1]):,} characters long; a column's name "
            f"takes at most {MAX_VALUE_CHARS:,}",
            field="header",
        )
    keys = [_named(h, kind) for h in header]
    twice = sorted({k for k in keys if k and keys.count(k) > 1})
    if twice:
        raise ImportFileError(
            f"{path.name}: columns given twice: {', '.join(twice)}", field="header"
        )
    missing = [c for c in kind.required if c not in keys and c not in defaults]
    if missing:
        raise ImportFileError(
            f"{path.name} line {reader.line_num}: the header has no "
            f"{', '.join(missing)} column (required for {kind.kind}); a CSV's first "
            f"line names its columns, e.g. {','.join(kind.required)}",
            field="header",
        )
    return _csv_values(reader, rows, keys)


def _csv_values(
    reader: Any, rows: Iterator[list[str]], keys: Sequence[str]
) -> Iterator[_Row]:
    previous = reader.line_num
    for cells in rows:
        # A quoted cell may span lines: the row starts after the previous one.
        start, previous = previous + 1, reader.line_num
        if not _filled(cells):
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
        except (ValueError, RecursionError) as exc:
            # ValueError: not JSON, or an integer of more digits than Python reads;
            # RecursionError: nested deeper than Python parses.
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
            yield number, f"is not valid JSON: {reason}"
            continue
        if not isinstance(value, dict):
            yield number, "is not a JSON object"
            continue
        named: dict[str, object] = {}
        given: dict[str, str] = {}
        for key, item in value.items():
            name = _named(key, kind)
            if name in given:
                yield number, f"names {name} twice ({given[name]!r}, {key!r})"
                break
            named[name], given[name] = item, key
        else:
            yield number, named


def _check_value(name: str, value: object) -> None:
    """Refuse a value over :data:`MAX_VALUE_CHARS` (a list or an object counted as
    JSON text), and text that cannot be sent: a JSON ``\\ud800`` escape decodes to
    half a character, which no UTF-8 request body can carry."""
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    for text in (name, value):
        if not isinstance(text, str):
            continue
        if len(text) > MAX_VALUE_CHARS:
            raise _RowError(
                f"{_shown(name)} is {len(text):,} characters long; the importer "
                f"takes at most {MAX_VALUE_CHARS:,} in one value"
            )
        try:
            text.encode()
        except UnicodeEncodeError:
            raise _RowError(
                f"{_shown(name)} holds half of a UTF-16 surrogate pair (a lone "
                "\\ud800-\\udfff escape), which is not text"
            ) from None


def _shown(name: str) -> str:
    """A name as a message shows it: printable, and cut short if very long."""
    shown = name.encode(errors="backslashreplace").decode()
    return shown if len(shown) <= 60 else f"{shown[:60]}..."


def _record(
    line: int,
    values: dict[str, object] | str,
    kind: RecordKind,
    defaults: Mapping[str, str],
) -> Record | InvalidRow:
    if isinstance(values, str):
        return InvalidRow(line, f"line {line} {values}", {})
    # For the log: an identity value a valid row could not have is left out.
    identity = {
        name: str(value)
        for name in kind.identity
        if isinstance(value := values.get(name), str | int)
        and not isinstance(value, bool)
        and str(value).strip()
        and len(str(value)) <= (kind.columns[name].limit or MAX_VALUE_CHARS)
    }
    try:
        for name, value in values.items():
            _check_value(name, value)
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
