"""Printing results: JSON for scripts, tables (rendered by rich) for people.

rich is imported only when a table is printed. Values are printed as text, never
as rich markup, so a ``[bold]`` in a customer's name stays a ``[bold]``. A table's
title is printed above it, centred on it when it fits, and wrapped (to the
terminal's width) only between words, never inside one.

JSON output is the result as Fluent names it (camelCase keys, ISO 8601 times), indented
by two spaces, keys in the order Fluent returned them.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import click
import pydantic

__all__ = [
    "flatten",
    "print_data",
    "print_json",
    "print_record",
    "print_table",
    "to_jsonable",
]


def to_jsonable(value: Any) -> Any:
    """Return ``value`` as plain JSON data; pydantic models by their GraphQL names."""
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(mode="json", by_alias=True)
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def print_json(value: Any) -> None:
    """Print ``value`` (JSON data or a pydantic model) as indented JSON on stdout."""
    click.echo(json.dumps(to_jsonable(value), indent=2, ensure_ascii=False))


def flatten(record: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    """Flatten nested objects into dotted keys (``retailer.ref``), values as text.

    Lists become one line per item; attributes (``name``/``type``/``value``) read
    ``name = value (type)``.
    """
    out: dict[str, str] = {}
    for key, value in to_jsonable(record).items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and not _is_attribute(value):
            out.update(flatten(value, f"{name}.") if value else {name: ""})
        else:
            out[name] = _text(value)
    return out


def print_record(record: Any, *, title: str | None = None) -> None:
    """Print one object (a mapping or a pydantic model) as a two-column table."""
    from rich.table import Table
    from rich.text import Text

    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for key, value in flatten(to_jsonable(record)).items():
        table.add_row(Text(key), Text(value))
    _print_titled(table, title)


def print_table(
    rows: Iterable[Any],
    *,
    columns: Sequence[str] | None = None,
    title: str | None = None,
) -> None:
    """Print objects as a table with one row each.

    Args:
        rows: mappings or pydantic models; nested objects become dotted columns.
        columns: the (dotted) columns to show, in order; default every column seen,
            in the order first seen.
        title: a caption above the table.
    """
    from rich.table import Table
    from rich.text import Text

    flat = [flatten(to_jsonable(row)) for row in rows]
    if not flat:
        click.echo(f"{title}: no results" if title else "No results.")
        return
    shown = list(columns) if columns is not None else _columns_of(flat)
    table = Table(header_style="bold")
    for column in shown:
        table.add_column(Text(column), overflow="fold")
    for row in flat:
        table.add_row(*(Text(row.get(column, "")) for column in shown))
    _print_titled(table, title)


def print_data(data: Mapping[str, Any]) -> None:
    """Print a GraphQL ``data`` object for people, one block per top-level field.

    A connection (``edges``/``node``) or a list of objects becomes a table with a
    row each, an object a two-column table, anything else a ``field: value`` line.
    """
    for field, value in to_jsonable(data).items():
        nodes = _nodes_of(value)
        if nodes is not None:
            print_table(nodes, title=field)
        elif isinstance(value, dict):
            print_record(value, title=field)
        else:
            click.echo(f"{field}: {_text(value) if value is not None else 'null'}")


def _nodes_of(value: Any) -> list[Any] | None:
    """The items of a connection or a list of objects, else ``None``."""
    if isinstance(value, dict) and isinstance(value.get("edges"), list):
        return [e.get("node") or {} for e in value["edges"] if isinstance(e, dict)]
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        return value
    return None


def _print_titled(table: Any, title: str | None) -> None:
    """Print ``table`` under ``title``.

    rich would fit the title into the table's width, folding it inside words
    (``custom`` / ``ers`` over a narrow table); here it is wrapped between words
    only, to the terminal's width, and a word wider than the terminal is left
    whole.
    """
    from rich.cells import cell_len
    from rich.text import Text

    console = _console()
    if title:
        table_width = min(console.measure(table).maximum, console.width)
        lines = textwrap.wrap(
            title,
            width=max(console.width, 1),
            break_long_words=False,
            break_on_hyphens=False,
        )
        for line in lines or [title]:
            text = Text(line, style="table.title")
            if cell_len(line) < table_width:  # centred over the table, as rich does
                console.print(text, justify="center", width=table_width)
            else:
                console.print(text, no_wrap=True, overflow="ignore", crop=False)
    console.print(table)


@functools.cache
def _console_class() -> Any:
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            # rich exits 1 on a closed stdout; fluent_gql.cli.main exits 141 on it.
            raise BrokenPipeError(32, "stdout was closed")

    return _Console


def _console() -> Any:
    # Made per call so that redirected and captured stdout are honoured.
    return _console_class()(highlight=False)


def _columns_of(rows: Sequence[Mapping[str, str]]) -> list[str]:
    seen: dict[str, None] = {}
    for row in rows:
        seen.update(dict.fromkeys(row))
    return list(seen)


def _is_attribute(value: Mapping[str, Any]) -> bool:
    return set(value) == {"name", "type", "value"}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        if _is_attribute(value):
            return f"{value['name']} = {_inline(value['value'])} ({value['type']})"
        return ", ".join(f"{k}={_inline(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "\n".join(_text(item) for item in value)
    return str(value)


def _inline(value: Any) -> str:
    """A value inside a one-line rendering: scalars as text, the rest as JSON."""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return _text(value)
