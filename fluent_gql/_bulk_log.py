"""The result log of a bulk import: one JSON object per line, one line per record.

Each line says where the record is in the input (``line``), who it is (``email``
and ``username``, or ``catalogue_ref`` and ``ref``), its ``outcome`` and then
either the created ``id`` or the error's ``code`` and ``message``::

    {"line": 2, "email": "ada@example.com", "username": "ada@example.com",
     "outcome": "created", "id": "1042"}
    {"line": 3, "email": "bob@example.com", "username": "bob@example.com",
     "outcome": "exists", "code": "C0123E", "message": "Customer ... already exists"}

Lines are appended and flushed one by one, so an interrupted run loses nothing it
finished. :func:`read_log` reads a log back for ``--resume``; a line that is not a
log entry (a last line cut short by a killed run, bytes that are not UTF-8) is
skipped and reported, and its record is simply tried again: one that Fluent already
has is then logged ``exists``, never created twice.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Literal

from fluent_gql._bulk_input import ImportFileError

__all__ = [
    "FINISHED",
    "LoggedRecords",
    "Outcome",
    "RecordResult",
    "ResultLog",
    "check_log_file",
    "read_log",
]

Outcome = Literal["created", "exists", "invalid", "failed"]

#: Outcomes after which a record needs no further attempt.
FINISHED: frozenset[str] = frozenset({"created", "exists"})


@dataclass(frozen=True)
class RecordResult:
    """What happened to one record of the input.

    Attributes:
        line: where the record starts in the input file.
        outcome: ``created``, ``exists`` (Fluent already had it), ``invalid``
            (refused locally, never sent) or ``failed``.
        identity: ``email``/``username`` or ``catalogue_ref``/``ref``, as far as
            the row gave them.
        id: the Fluent id of the created (or found) record.
        code: Fluent's error code, when there was one.
        message: what went wrong, or a note on how the outcome was established.
    """

    line: int
    outcome: Outcome
    identity: Mapping[str, str] = field(default_factory=dict)
    id: str | None = None
    code: str | None = None
    message: str | None = None

    def as_json(self) -> dict[str, Any]:
        """The log line's object; absent values are left out."""
        entry: dict[str, Any] = {"line": self.line, **self.identity}
        entry["outcome"] = self.outcome
        for name in ("id", "code", "message"):
            value = getattr(self, name)
            if value is not None:
                entry[name] = value
        return entry


class ResultLog:
    """Appends :class:`RecordResult` lines to a file, flushing each one.

    Example::

        with ResultLog(Path("customers.import-log.jsonl")) as log:
            log.write(RecordResult(line=2, outcome="created", id="1042"))
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        # Bytes, not text: an earlier line that is not UTF-8 must not stop a run.
        self._file: IO[bytes] = path.open("a+b")
        end = self._file.seek(0, os.SEEK_END)
        if end > 0:
            # A run killed mid-line leaves a partial last line: end it, so that
            # the next entry starts on a line of its own.
            self._file.seek(end - 1)
            if self._file.read(1) != b"\n":
                self._file.write(b"\n")

    def write(self, result: RecordResult) -> None:
        """Append one line and hand it to the operating system at once."""
        entry = result.as_json()
        try:
            line = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
            data = line.encode()
        except UnicodeEncodeError:  # a lone surrogate: JSON's \u escapes carry it
            data = json.dumps(entry, separators=(",", ":")).encode()
        self._file.write(data + b"\n")
        self._file.flush()

    def close(self) -> None:
        """Close the file."""
        self._file.close()

    def __enter__(self) -> ResultLog:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


#: Bytes of a file read to tell whether it is a log: more than a log line takes.
_SNIFF_BYTES = 64 * 1024


def check_log_file(path: Path, field: str) -> None:
    """Refuse a file that exists but is not a result log (a CSV, a JSON Lines file
    of records), before anything is sent: appending to it would spoil it; resuming
    from it would skip nothing. ``field`` is the argument that named it
    (``log_path``, ``resume``).

    Raises:
        ImportFileError: the first line of ``path`` is neither a log entry (a JSON
            object with an ``outcome``) nor the start of one cut short.
        OSError: the file cannot be read.
    """
    if not path.exists():
        return
    with path.open("rb") as raw:
        first = raw.read(_SNIFF_BYTES).lstrip().split(b"\n", 1)[0]
    if not first:
        return
    try:
        entry = json.loads(first.decode())
    except (ValueError, RecursionError):
        entry = None if first.startswith(b"{") else ()  # None: a line cut short
    if entry is not None and not (isinstance(entry, dict) and "outcome" in entry):
        raise ImportFileError(
            f"{path} is not an import log (its first line is not a log entry): "
            "give the log of an import, or a new file",
            field=field,
        )


@dataclass(frozen=True)
class LoggedRecords:
    """What an earlier run's log says.

    Attributes:
        finished: the keys of the records logged ``created`` or ``exists``.
        unreadable: the line numbers of lines that are not log entries (not
            UTF-8, not a JSON object with an ``outcome``); they were skipped.
    """

    finished: set[tuple[str, ...]]
    unreadable: tuple[int, ...] = ()


def read_log(path: Path, key: Sequence[str]) -> LoggedRecords:
    """Read the log of an earlier run: the records it shows as ``created`` or
    ``exists``, and the lines it could not read.

    A line that is not a log entry (the last line of a run killed while writing,
    bytes that are not UTF-8) is skipped and listed in ``unreadable``: its record,
    if it had one, is simply tried again.

    Args:
        path: the log of an earlier run.
        key: the identity fields that identify a record (``("username",)``).

    Raises:
        OSError: the log cannot be read.
    """
    done: set[tuple[str, ...]] = set()
    unreadable: list[int] = []
    with path.open("rb") as lines:
        for number, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            try:
                entry = json.loads(raw.decode())
            except (ValueError, RecursionError):  # not UTF-8, or not JSON
                entry = None
            if not isinstance(entry, dict) or not isinstance(entry.get("outcome"), str):
                unreadable.append(number)
                continue
            if entry["outcome"] not in FINISHED:
                continue
            values = tuple(entry.get(name) for name in key)
            if all(isinstance(v, str) for v in values):
                done.add(tuple(str(v) for v in values))
    return LoggedRecords(done, tuple(unreadable))
