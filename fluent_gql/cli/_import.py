"""``fluent-gql import customers FILE`` and ``fluent-gql import products FILE``.

A thin shell over :func:`fluent_gql._bulk.run_import`: it resolves the settings,
shows progress on stderr (a bar with rate, counts and ETA on a terminal; a plain
line every few seconds otherwise), prints a summary on stdout (``--json`` for
scripts) and exits with ``ExitCode.INCOMPLETE`` (10) when any record was invalid or
failed. A file that cannot be imported at all exits 8 before anything is sent.
Ctrl-C stops the run: the records being sent are finished and logged (a second
Ctrl-C stops at once), and ``--resume LOG`` carries on.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path
from typing import Any, Literal

import click

from fluent_gql._bulk import (
    DEFAULT_ATTEMPTS,
    DEFAULT_CONCURRENCY,
    ImportSummary,
    default_log_path,
    run_import,
)
from fluent_gql._bulk_input import Kind
from fluent_gql._bulk_log import RecordResult
from fluent_gql._client import AsyncFluentClient
from fluent_gql._config import FluentConfig
from fluent_gql.cli._options import (
    CliOptions,
    CommandFailed,
    ExitCode,
    connection_options,
    print_json,
    print_record,
    resolve_config,
)

__all__ = ["import_", "import_customers", "import_products"]

#: Seconds between progress lines when stderr is not a terminal: often enough to
#: show a long job is alive, rarely enough to keep a CI log readable.
DEFAULT_PROGRESS_EVERY = 10.0

#: Exit status after Ctrl-C, as shells report a SIGINT death (128 + 2).
INTERRUPTED = 130


def _rate(summary: ImportSummary) -> float:
    elapsed = summary.elapsed
    return summary.processed / elapsed if elapsed > 0 else 0.0


class PlainProgress:
    """A progress line on a stream every ``every`` seconds (for logs and pipes)."""

    def __init__(self, stream: Any, every: float) -> None:
        self.stream = stream
        self.every = every
        self.last = time.monotonic()

    def __call__(self, summary: ImportSummary, result: RecordResult | None) -> None:
        now = time.monotonic()
        if now - self.last >= self.every:
            self.last = now
            click.echo(self.line(summary), file=self.stream)

    @staticmethod
    def line(summary: ImportSummary) -> str:
        """``import customers: 4000/10000 (40%), 350/s, created 3990, ...``."""
        done, total = summary.processed, summary.total
        share = f" ({100 * done // total}%)" if total else ""
        rate = _rate(summary)
        left = (total - done) / rate if total and rate else None
        eta = f", ETA {left:.0f}s" if left is not None else ""
        return (
            f"import {summary.kind}: {done}/{total or '?'}{share}, {rate:.0f}/s, "
            f"created {summary.created}, exists {summary.exists}, "
            f"invalid {summary.invalid}, failed {summary.failed}{eta}"
        )


class BarProgress:
    """A rich progress bar: counts, rate, created and failed so far, and ETA."""

    def __init__(self, console: Any, kind: str) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self.progress = Progress(
            TextColumn(f"import {kind}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]:.0f}/s"),
            TextColumn("created {task.fields[created]}, failed {task.fields[failed]}"),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self.task = self.progress.add_task(
            kind, total=None, rate=0.0, created=0, failed=0
        )

    def __enter__(self) -> BarProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.progress.stop()

    def __call__(self, summary: ImportSummary, result: RecordResult | None) -> None:
        self.progress.update(
            self.task,
            total=summary.total,
            completed=summary.processed,
            rate=_rate(summary),
            created=summary.created,
            failed=summary.failed,
        )


class _Seen:
    """A progress callback that remembers how many records were done."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.processed = 0

    def __call__(self, summary: ImportSummary, result: RecordResult | None) -> None:
        self.processed = summary.processed
        self.inner(summary, result)


async def _run(config: FluentConfig, kind: Kind, source: Path, **options: Any) -> Any:
    async with AsyncFluentClient(config) as client:
        return await run_import(client, kind, source, **options)


def _import(
    kind: Kind,
    file: Path,
    opts: CliOptions,
    progress_every: float,
    **options: Any,
) -> None:
    config = resolve_config(opts)
    log = options.get("log_path") or options.get("resume") or default_log_path(file)
    stderr = sys.stderr
    seen = _Seen(None)
    try:
        if stderr.isatty():
            from rich.console import Console

            with BarProgress(Console(stderr=True), kind) as bar:
                seen.inner = bar
                summary = asyncio.run(
                    _run(config, kind, file, progress=seen, **options)
                )
        else:
            seen.inner = PlainProgress(stderr, progress_every)
            summary = asyncio.run(_run(config, kind, file, progress=seen, **options))
    except KeyboardInterrupt:
        if seen.processed:
            said = (
                f"interrupted after {seen.processed} record(s), each logged in "
                f"{log}: run again with --resume {log} to carry on"
            )
        elif log.exists():
            said = (
                f"interrupted before any record was done: run again with --resume "
                f"{log} to skip what earlier runs did"
            )
        else:
            said = "interrupted before any record was sent"
        raise CommandFailed(said, INTERRUPTED) from None
    except BaseException as exc:
        if seen.processed:
            # Stopped mid-run: what was sent is logged; say where, then the error.
            click.echo(
                f"The import stopped after {seen.processed} record(s); every record "
                f"sent is in {log}: run again with --resume {log} to carry on.",
                err=True,
            )
        if isinstance(exc, OSError):
            where = f": {exc.filename}" if exc.filename else ""
            raise CommandFailed(f"{exc.strerror or exc}{where}") from exc
        raise
    for warning in summary.warnings:
        click.echo(f"Warning: {warning}", err=True)
    _print_summary(summary, opts.as_json)
    if not summary.ok:
        raise CommandFailed(_incomplete(summary), ExitCode.INCOMPLETE)


def _incomplete(summary: ImportSummary) -> str:
    """The last line of an import that left records out: how many, why, what next."""
    left_out = summary.invalid + summary.failed
    log = summary.log_path
    return (
        f"{left_out} record(s) were not imported ({summary.invalid} invalid, "
        f"{summary.failed} failed); their lines and reasons are in {log} "
        f'(outcomes "invalid" and "failed"). Fix what needs fixing, then run again '
        f"with --resume {log}: it sends only what is not done"
    )


def _print_summary(summary: ImportSummary, as_json: bool) -> None:
    counts = {
        "kind": summary.kind,
        "ok": summary.ok,
        "total": summary.total,
        "created": summary.created,
        "exists": summary.exists,
        "invalid": summary.invalid,
        "failed": summary.failed,
        "skipped": summary.skipped,
        "seconds": round(summary.elapsed, 3),
        "log": str(summary.log_path),
    }
    if as_json:
        print_json(counts)
        return
    # The path goes on a line of its own: a table would fold a long one.
    shown = {k: v for k, v in counts.items() if k not in {"log", "ok", "total"}}
    title = f"Imported {summary.kind}" + ("" if summary.ok else " (incomplete)")
    print_record(shown, title=title)
    click.echo(f"Log: {summary.log_path}")


def _common_options(command: Any) -> Any:
    options = (
        click.argument(
            "file",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
        ),
        click.option(
            "--concurrency",
            type=click.IntRange(min=1, max=64),
            default=DEFAULT_CONCURRENCY,
            show_default=True,
            help="Creates in flight at once.",
        ),
        click.option(
            "--log",
            "log_path",
            type=click.Path(dir_okay=False, path_type=Path),
            help="JSON Lines result log, appended to [default: FILE's name with "
            ".import-log.jsonl added, beside it; with --resume, that log].",
        ),
        click.option(
            "--resume",
            type=click.Path(exists=True, dir_okay=False, path_type=Path),
            metavar="LOG",
            help="Skip the records this log shows as created or exists.",
        ),
        click.option(
            "--format",
            "fmt",
            type=click.Choice(["csv", "jsonl"]),
            help="The file's format [default: from its suffix].",
        ),
        click.option(
            "--attempts",
            type=click.IntRange(min=1, max=10),
            default=DEFAULT_ATTEMPTS,
            show_default=True,
            help="Tries per record; an ambiguous failure is checked before the next.",
        ),
        click.option(
            "--progress-every",
            type=click.FloatRange(min=0),
            default=DEFAULT_PROGRESS_EVERY,
            show_default=True,
            metavar="SECONDS",
            help="Seconds between progress lines when stderr is not a terminal.",
        ),
    )
    for option in reversed(options):
        command = option(command)
    return command


Format = Literal["csv", "jsonl"] | None


@click.group("import")
def import_() -> None:
    """Import customers or products from CSV or JSON Lines.

    Columns are named like the create commands' options (email, first_name ...;
    catalogue_ref, ref, name, gtin, type, summary, price_currency, price_value).
    Other columns become attributes, as does a JSON "attributes" column. Each
    record's outcome (created, exists, invalid, failed) goes to the log. Exits 10
    when any record was invalid or failed, 8 (before anything is sent) when the
    file cannot be imported at all, 130 after Ctrl-C.
    """


@import_.command("customers")
@_common_options
@connection_options
def import_customers(
    file: Path,
    concurrency: int,
    log_path: Path | None,
    resume: Path | None,
    fmt: Format,
    attempts: int,
    progress_every: float,
    opts: CliOptions,
) -> None:
    """Create the customers listed in FILE (required: email, first_name)."""
    _import(
        "customers",
        file,
        opts,
        progress_every,
        concurrency=concurrency,
        log_path=log_path,
        resume=resume,
        fmt=fmt,
        attempts=attempts,
    )


@import_.command("products")
@_common_options
@click.option(
    "--catalogue-ref",
    metavar="REF",
    help="The catalogue of rows that name none.",
)
@connection_options
def import_products(
    file: Path,
    concurrency: int,
    log_path: Path | None,
    resume: Path | None,
    fmt: Format,
    attempts: int,
    progress_every: float,
    catalogue_ref: str | None,
    opts: CliOptions,
) -> None:
    """Create the standard products listed in FILE (required: catalogue_ref, ref,
    name, gtin, price_currency, price_value)."""
    _import(
        "products",
        file,
        opts,
        progress_every,
        concurrency=concurrency,
        log_path=log_path,
        resume=resume,
        fmt=fmt,
        attempts=attempts,
        defaults={"catalogue_ref": catalogue_ref} if catalogue_ref else None,
    )
