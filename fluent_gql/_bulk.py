"""Bulk import of customers and products that never duplicates and loses nothing.

:func:`run_import` streams a CSV or JSON Lines file (:mod:`fluent_gql._bulk_input`)
through one :class:`~fluent_gql.AsyncFluentClient` (one login, one token) with a
bounded number of creates in flight, and appends each record's outcome to a JSON
Lines log as soon as it is known (:mod:`fluent_gql._bulk_log`).

Per record, in order:

1. A row that fails the local checks is logged ``invalid`` with its line number and
   never sent. So is one the client refuses before sending (``FluentInputError``).
2. With ``resume``, a record that log shows as ``created`` or ``exists`` is skipped.
3. The create is sent. Fluent's "already exists" (``C0123E`` for a customer's
   username, ``C0128E`` for a product ref in its catalogue) is logged ``exists``.
4. A failure that may have been applied (``exc.maybe_applied``, an unreadable
   answer, a 5xx) is followed by a look-up by username or catalogue and ref: a
   record that is there now is logged ``created`` with its id. Only a record that
   is not there is created again, so a rerun never duplicates one.
5. Transient failures are tried again, up to ``attempts`` times in all, with a
   growing pause; what still fails, or fails for good (a refused value, a missing
   permission), is logged ``failed`` with Fluent's code and message.

A file that cannot be imported as a whole (not UTF-8, a CSV without a header, a log
path that is the input itself) is refused before anything is sent. Whatever stops a
run once it has started (Ctrl-C, a cancelled task, the file changing under it, an
unexpected error), no further record is sent, the records being sent are finished
(one look-up at most for an ambiguous one, no new try) and logged, and then the
error is raised: every create that was sent has its outcome in the log.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable, Generator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from fluent_gql._bulk_input import (
    CUSTOMERS,
    PRODUCTS,
    FileFormat,
    ImportFileError,
    InvalidRow,
    Kind,
    Record,
    RecordKind,
    file_format,
    read_records,
    scan_file,
)
from fluent_gql._bulk_log import (
    LoggedRecords,
    RecordResult,
    ResultLog,
    check_log_file,
    read_log,
)
from fluent_gql._client import AsyncFluentClient
from fluent_gql._exceptions import (
    FluentAuthError,
    FluentError,
    FluentGraphQLError,
    FluentHTTPServerError,
    FluentInputError,
    FluentRateLimitError,
    FluentResponseError,
    FluentTransportError,
    FluentUnauthorizedError,
)
from fluent_gql_generated.input_types import ProductCatalogueKey

__all__ = [
    "DEFAULT_ATTEMPTS",
    "DEFAULT_CONCURRENCY",
    "DEFAULT_RETRY_DELAY",
    "ImportSummary",
    "ProgressCallback",
    "default_log_path",
    "run_import",
]

DEFAULT_CONCURRENCY = 8
"""Creates in flight at once. Enough to hide network latency (a create takes tens
of milliseconds to Fluent) without tripping Fluent's rate limit."""

DEFAULT_ATTEMPTS = 3
"""Tries per record, counting the first. The client already retries each request
where that is safe; this outer loop adds tries across the look-up that makes an
ambiguous create safe to repeat."""

DEFAULT_RETRY_DELAY = 1.0
"""Seconds before a record's second try; the pause grows with each try."""

_QUEUE_PER_WORKER = 2
"""Rows read ahead per worker: enough to keep workers busy, and memory flat."""


@dataclass
class ImportSummary:
    """Counts of a run so far (passed to the progress callback) or in the end.

    Attributes:
        kind: ``customers`` or ``products``.
        log_path: where the results were written.
        total: the records the file holds, for progress.
        created, exists, invalid, failed: records with that outcome.
        skipped: records the resumed log showed as done.
        warnings: what the user should know that is no record's outcome (lines of
            the resumed log that could not be read).
    """

    kind: Kind
    log_path: Path
    total: int | None = None
    created: int = 0
    exists: int = 0
    invalid: int = 0
    failed: int = 0
    skipped: int = 0
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def processed(self) -> int:
        """Records dealt with so far, skipped ones included."""
        return self.created + self.exists + self.invalid + self.failed + self.skipped

    @property
    def elapsed(self) -> float:
        """Seconds since the run started (until it finished)."""
        return (self.finished or time.monotonic()) - self.started

    @property
    def ok(self) -> bool:
        """True when every record was created, existed already or was skipped:
        none was invalid, none failed."""
        return self.failed == 0 and self.invalid == 0

    def count(self, result: RecordResult | None) -> None:
        """Add one record's outcome (``None``: skipped as already done)."""
        if result is None:
            self.skipped += 1
        else:
            setattr(self, result.outcome, getattr(self, result.outcome) + 1)


ProgressCallback = Callable[[ImportSummary, RecordResult | None], None]
"""Called after every record with the running summary and the record's result
(``None`` for a record skipped because the resumed log shows it done)."""


def default_log_path(source: Path) -> Path:
    """The log beside the input, named after all of its name, so that two inputs
    never share one: ``customers.csv`` -> ``customers.csv.import-log.jsonl``."""
    return source.with_name(f"{source.name}.import-log.jsonl")


# -- what differs between customers and products ---------------------------------


async def _create_customer(client: AsyncFluentClient, record: Record) -> str | None:
    created = (await client.create_customer(**record.arguments)).create_customer
    return created.id if created is not None else None


async def _find_customer(client: AsyncFluentClient, record: Record) -> str | None:
    page = await client.list_customers(usernames=list(record.key), first=1)
    return _first_id(page.customers)


async def _create_product(client: AsyncFluentClient, record: Record) -> str | None:
    created = (await client.create_product(**record.arguments)).create_standard_product
    return created.id if created is not None else None


async def _find_product(client: AsyncFluentClient, record: Record) -> str | None:
    catalogue_ref, ref = record.key
    page = await client.list_standard_products(
        catalogue=ProductCatalogueKey(ref=catalogue_ref), refs=[ref], first=1
    )
    return _first_id(page.standard_products)


def _first_id(connection: object) -> str | None:
    for edge in getattr(connection, "edges", None) or []:
        if edge is not None and edge.node is not None:
            return str(edge.node.id)
    return None


Operation = Callable[[AsyncFluentClient, Record], Awaitable[str | None]]


@dataclass(frozen=True)
class _Kind:
    spec: RecordKind
    create: Operation
    find: Operation


_KINDS: Mapping[str, _Kind] = {
    "customers": _Kind(CUSTOMERS, _create_customer, _find_customer),
    "products": _Kind(PRODUCTS, _create_product, _find_product),
}


# -- deciding what a failure means -----------------------------------------------

Verdict = Literal["final", "retry", "check"]


def _verdict(exc: FluentError) -> Verdict:
    """``retry``: provably not applied; ``check``: maybe applied; else ``final``."""
    if exc.maybe_applied or isinstance(exc, FluentResponseError):
        return "check"  # (a create's answer that fits no model: it was applied)
    # Not maybe_applied, so it never reached Fluent: refused before it ran, or
    # the login failed (a 5xx from the token endpoint included).
    retryable = (
        FluentRateLimitError
        | FluentAuthError
        | FluentUnauthorizedError
        | FluentTransportError
        | FluentHTTPServerError
    )
    return "retry" if isinstance(exc, retryable) else "final"


def _error_result(record: Record, exc: FluentError, note: str = "") -> RecordResult:
    code = getattr(exc, "code", None)
    return RecordResult(
        line=record.line,
        outcome="failed",
        identity=record.identity,
        code=code if isinstance(code, str) else None,
        message=f"{exc}{note}",
    )


class _Importer:
    """One run: the client, the log, the summary, the progress callback."""

    def __init__(
        self,
        client: AsyncFluentClient,
        kind: _Kind,
        log: ResultLog,
        summary: ImportSummary,
        progress: ProgressCallback | None,
        attempts: int,
        retry_delay: float,
    ) -> None:
        self.client = client
        self.kind = kind
        self.log = log
        self.summary = summary
        self.progress = progress
        self.attempts = attempts
        self.retry_delay = retry_delay
        #: Set when the run is stopping: no record is sent, nor tried again.
        self.stopping = False
        #: The unexpected error that stopped a worker (and so the run).
        self.error: BaseException | None = None

    def report(self, result: RecordResult | None) -> None:
        if result is not None:
            self.log.write(result)
        self.summary.count(result)
        if self.progress is not None:
            self.progress(self.summary, result)

    def stop(self, error: BaseException | None = None) -> None:
        """Send nothing more; keep the first unexpected error to raise it."""
        self.stopping = True
        if error is not None and self.error is None:
            self.error = error

    async def worker(self, queue: asyncio.Queue[Record | None]) -> None:
        """Process records until the end of the queue. Never raises: an unexpected
        error stops the run (:meth:`stop`) after the record is logged ``failed``."""
        while (record := await queue.get()) is not None:
            if self.stopping:
                continue  # not sent yet: a rerun with --resume sends it
            try:
                result = await self.process(record)
            except Exception as exc:
                self.stop(exc)
                result = RecordResult(
                    record.line,
                    "failed",
                    record.identity,
                    message=f"the import stopped on an unexpected error while this "
                    f"record was sent ({type(exc).__name__}: {exc}); a rerun with "
                    "--resume checks it",
                )
            try:
                self.report(result)
            except Exception as exc:  # the log or the progress callback failed
                self.stop(exc)

    async def process(self, record: Record) -> RecordResult:
        """Create one record, trying again where that is safe (module docstring)."""
        last = FluentError("no attempt was made")
        unsure = False  # the last create may have been applied
        for attempt in range(self.attempts):
            if attempt and self.stopping:
                return await self.give_up(record, last, unsure, stopping=True)
            if attempt:
                await asyncio.sleep(self.retry_delay * attempt * random.uniform(0.5, 1))
            if unsure:
                found = await self.look_up(record)
                if isinstance(found, RecordResult):
                    return found
                if found is not None:
                    continue  # still unsure: look again before any new create
                unsure = False
            outcome = await self.attempt(record)
            if isinstance(outcome, RecordResult):
                return outcome
            last = outcome
            verdict = _verdict(last)
            if verdict == "final":
                return _error_result(record, last)
            unsure = verdict == "check"
        return await self.give_up(record, last, unsure)

    async def give_up(
        self, record: Record, last: FluentError, unsure: bool, stopping: bool = False
    ) -> RecordResult:
        """The result once every try is spent (or the run is stopping): one last
        look if still unsure."""
        found = await self.look_up(record) if unsure else None
        if isinstance(found, RecordResult):
            return found
        if found is not None:
            return _error_result(
                record,
                last,
                f"; checking whether it was created failed too ({found}); it may "
                "exist: a rerun with --resume checks again",
            )
        if stopping:
            return _error_result(
                record, last, " (not tried again: the import was stopping)"
            )
        return _error_result(record, last, f" (gave up after {self.attempts} tries)")

    async def attempt(self, record: Record) -> RecordResult | FluentError:
        """Send the create once: its result, or the error to decide on."""
        try:
            created = await self.kind.create(self.client, record)
        except FluentInputError as exc:
            return RecordResult(
                record.line, "invalid", record.identity, message=str(exc)
            )
        except FluentGraphQLError as exc:
            if exc.code != self.kind.spec.duplicate_code:
                return exc
            return RecordResult(
                record.line, "exists", record.identity, None, exc.code, str(exc)
            )
        except FluentError as exc:
            return exc
        if created is None:
            return FluentResponseError("Fluent answered the create without data")
        return RecordResult(record.line, "created", record.identity, created)

    async def look_up(self, record: Record) -> RecordResult | FluentError | None:
        """After an ambiguous failure: ``created`` if the record is there now,
        ``None`` if it is not, or the error that kept us from knowing."""
        try:
            found = await self.kind.find(self.client, record)
        except FluentError as exc:
            return exc
        if found is None:
            return None
        return RecordResult(
            record.line,
            "created",
            record.identity,
            found,
            message="confirmed by a look-up after the answer to the create was lost",
        )


async def run_import(
    client: AsyncFluentClient,
    kind: Kind,
    source: Path,
    *,
    log_path: Path | None = None,
    resume: Path | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    attempts: int = DEFAULT_ATTEMPTS,
    retry_delay: float = DEFAULT_RETRY_DELAY,
    fmt: FileFormat | None = None,
    defaults: Mapping[str, str] | None = None,
    progress: ProgressCallback | None = None,
) -> ImportSummary:
    """Import every record of ``source`` into Fluent; return the counts.

    Example::

        async with AsyncFluentClient(FluentConfig.from_env()) as client:
            summary = await run_import(client, "customers", Path("customers.csv"))
        print(summary.created, "created,", summary.failed, "failed")

    Args:
        client: the client every request goes through (one login).
        kind: ``customers`` or ``products``.
        source: a CSV or JSON Lines file (see :mod:`fluent_gql._bulk_input`); a
            regular file, as it is read twice (checked, then imported).
        log_path: the JSON Lines result log, appended to; default: ``resume`` if
            given, else :func:`default_log_path` of ``source``.
        resume: the log of an earlier run: records it shows as ``created`` or
            ``exists`` are skipped. Lines it cannot read are skipped and named in
            the summary's ``warnings``.
        concurrency: creates in flight at once (1 or more).
        attempts: tries per record, counting the first (1 or more).
        retry_delay: seconds before a record's second try; later pauses grow.
        fmt: ``csv`` or ``jsonl``; by default from the file's suffix.
        defaults: values for columns a row leaves blank, e.g.
            ``{"catalogue_ref": "PC:MASTER:2"}``.
        progress: called after every record (see :data:`ProgressCallback`).

    Raises:
        FluentInputError: ``kind``, ``concurrency``, ``attempts`` or
            ``retry_delay`` is out of range.
        ImportFileError: the file cannot be imported as a whole (format, encoding,
            header, a log that is the file itself or not a log): raised before
            anything is sent. Raised during the run if the file changes under it.
        FluentAuthError, FluentTransportError, ...: logging in failed; nothing
            was imported.
        OSError: a file cannot be read or written.
        asyncio.CancelledError: the run was cancelled (Ctrl-C); the records being
            sent were finished and logged first.
    """
    _check_options(kind, concurrency, attempts, retry_delay)
    chosen = _KINDS[kind]
    fmt = file_format(source, fmt)
    log_path = log_path or resume or default_log_path(source)
    _check_paths(source, log_path, resume)
    total = scan_file(source, fmt)
    logged = (
        read_log(resume, chosen.spec.key)
        if resume is not None
        else LoggedRecords(set())
    )
    rows = read_records(source, chosen.spec, fmt=fmt, defaults=defaults)
    try:
        await client.login()  # fail once, here, rather than once per record
        summary = ImportSummary(kind, log_path, total)
        if logged.unreadable:
            summary.warnings.append(_unreadable_warning(resume, logged.unreadable))
        with ResultLog(log_path) as log:
            importer = _Importer(
                client, chosen, log, summary, progress, attempts, retry_delay
            )
            await _feed(importer, rows, logged.finished, concurrency)
    finally:
        rows.close()
    summary.finished = time.monotonic()
    return summary


def _check_options(
    kind: str, concurrency: int, attempts: int, retry_delay: float
) -> None:
    if kind not in _KINDS:
        raise FluentInputError(
            f"kind must be customers or products, got {kind!r}", field="kind"
        )
    for name, value, least in (
        ("concurrency", concurrency, 1),
        ("attempts", attempts, 1),
        ("retry_delay", retry_delay, 0),
    ):
        if isinstance(value, bool) or not value >= least:
            raise FluentInputError(
                f"{name} must be {least} or more, got {value!r}", field=name
            )


def _check_paths(source: Path, log_path: Path, resume: Path | None) -> None:
    """Refuse, before anything is sent, an input that is not a regular file, and a
    log that is the input itself or some other file that is not a log."""
    if not source.is_file():
        raise ImportFileError(
            f"{source} is not a regular file: the importer reads it twice (to check "
            "it, then to import it)",
            field="source",
        )
    for field_name, path in (("log_path", log_path), ("resume", resume)):
        if path is None:
            continue
        if path.exists() and path.samefile(source):
            raise ImportFileError(
                f"the log {path} is the file being imported; results would be "
                f"appended to it: give another log (the default is "
                f"{default_log_path(source).name})",
                field=field_name,
            )
        check_log_file(path, field_name)
    if not log_path.parent.is_dir():
        raise ImportFileError(
            f"the log's folder {log_path.parent} does not exist", field="log_path"
        )


def _unreadable_warning(log: Path | None, lines: tuple[int, ...]) -> str:
    shown = ", ".join(map(str, lines[:5])) + (", ..." if len(lines) > 5 else "")
    return (
        f"{log}: {len(lines)} line(s) are not log entries (not UTF-8, or not JSON "
        f"objects) and were skipped: line {shown}. Their records, if any, are tried "
        "again; one that Fluent already has is logged exists, never created twice."
    )


async def _feed(
    importer: _Importer,
    rows: Generator[Record | InvalidRow, None, None],
    done: set[tuple[str, ...]],
    concurrency: int,
) -> None:
    """Read rows into a bounded queue for ``concurrency`` workers.

    Whatever stops the reading (the end of the file, an error, a cancellation),
    the workers finish the records they are sending and log them before this
    returns or raises; queued records not yet sent are dropped.
    """
    queue: asyncio.Queue[Record | None] = asyncio.Queue(concurrency * _QUEUE_PER_WORKER)
    workers = [asyncio.create_task(importer.worker(queue)) for _ in range(concurrency)]
    try:
        for row in rows:
            if importer.error is not None:
                break
            if isinstance(row, InvalidRow):
                importer.report(
                    RecordResult(row.line, "invalid", row.identity, message=row.message)
                )
            elif row.key in done:
                importer.report(None)
            else:
                await queue.put(row)
        for _ in workers:
            await queue.put(None)
    except BaseException:
        importer.stop()
        while not queue.empty():
            queue.get_nowait()  # never sent: a rerun with --resume sends them
        for _ in workers:
            queue.put_nowait(None)
        await _finish(importer, workers, stopping=True)
        raise
    await _finish(importer, workers, stopping=False)
    if importer.error is not None:
        raise importer.error


async def _finish(
    importer: _Importer, workers: list[asyncio.Task[None]], *, stopping: bool
) -> None:
    """Wait for the workers to log what they are sending. Cancelled while waiting,
    stop sending and wait again; cancelled while stopping (a second Ctrl-C), stop
    the workers at once."""
    try:
        await asyncio.wait(workers)
    except asyncio.CancelledError:
        if stopping:
            for worker in workers:
                worker.cancel()
            raise
        importer.stop()
        await _finish(importer, workers, stopping=True)
        raise
