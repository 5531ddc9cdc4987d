"""The result log of a bulk import: one JSON object per line, one line per record.

Each line says where the record is in the input (``line``), who it is (``email``
and ``username``, or ``catalogue_ref`` and ``ref``), its ``outcome`` and then
either the created ``id`` or the error's ``code`` and ``message``::

    {"line": 2, "email": "ada@example.com", "username": "ada@example.com",
     "outcome": "created", "id": "1042"}
    {"line": 3, "email": "bob@example.com", "username": "bob@example.com",
     "outcome": "exists", "code": "C0123E", "message": "Customer ... already exists"}

Lines are appended and flushed one by one, so an interrupted run loses nothing it
finished. :func:`finished_keys` reads a log back for ``--resume``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Literal

__all__ = ["FINISHED", "Outcome", "RecordResult", "ResultLog", "finished_keys"]

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
        self._file: IO[str] = path.open("a+", encoding="utf-8")
        if self._file.tell() > 0:
            # A run killed mid-line leaves a partial last line: end it, so that
            # the next entry starts on a line of its own.
            self._file.seek(self._file.tell() - 1)
            if self._file.read(1) != "\n":
                self._file.write("\n")

    def write(self, result: RecordResult) -> None:
        """Append one line and hand it to the operating system at once."""
        line = json.dumps(result.as_json(), ensure_ascii=False, separators=(",", ":"))
        self._file.write(line + "\n")
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


def finished_keys(path: Path, key: Sequence[str]) -> set[tuple[str, ...]]:
    """The keys of the records a log shows as ``created`` or ``exists``.

    A line that is not a complete JSON object (the last line of a run killed while
    writing) is ignored: that record is simply tried again.

    Args:
        path: the log of an earlier run.
        key: the identity fields that identify a record (``("username",)``).

    Raises:
        OSError: the log cannot be read.
    """
    done: set[tuple[str, ...]] = set()
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue
            if not isinstance(entry, dict) or entry.get("outcome") not in FINISHED:
                continue
            values = tuple(entry.get(name) for name in key)
            if all(isinstance(v, str) for v in values):
                done.add(tuple(str(v) for v in values))
    return done
