"""`fluent-gql import` with hostile files: every bad file is one clear error before
anything is sent, every bad row an `invalid` outcome with its line, and whatever
stops a run, every create that was sent has its outcome in the log."""

from __future__ import annotations

import asyncio
import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, cast

import pytest

from fluent_gql import AsyncFluentClient, FluentClient
from fluent_gql._bulk import ImportSummary, run_import
from fluent_gql._bulk_input import (
    MAX_VALUE_CHARS,
    FileFormat,
    ImportFileError,
    scan_file,
)
from fluent_gql._bulk_log import RecordResult
from fluent_gql.emulator import EmulatorServer, FaultPlan
from tests.conftest import Run

#: Every create is applied at once, and its answer held this long: creates are
#: "in flight" (sent, applied, not yet answered) for a window a test can hit.
STALLED = FaultPlan(stall_rate=1.0, stall=0.4)


@pytest.fixture
def server(emulator_env: EmulatorServer) -> EmulatorServer:
    """The emulator, with the FLUENT_* variables pointing at it."""
    return emulator_env


def _people(path: Path, count: int, *, start: int = 0) -> Path:
    lines = ["email,first_name"]
    lines += [f"p{n}@example.com,P{n}" for n in range(start, start + count)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _log(path: Path) -> list[dict[str, Any]]:
    """The log's entries; a line that is not one (cut short, not UTF-8) is left out."""
    entries = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return entries


def _stored(server: EmulatorServer) -> dict[str, str]:
    """username -> id of every customer the emulator holds (faults switched off)."""
    server.emulator.set_faults(None)
    with FluentClient(server.config()) as client:
        return {c.username or "": c.id for c in client.iter_customers(page_size=5000)}


def _created(log: Path) -> dict[str, str]:
    return {e["username"]: e["id"] for e in _log(log) if e["outcome"] == "created"}


# -- a bad row is an invalid outcome with its line and reason -----------------------


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_a_value_over_the_limit_is_an_invalid_row_and_the_other_rows_import(
    run: Run, server: EmulatorServer, tmp_path: Path, suffix: str
) -> None:
    """A 200 KB cell (over the csv module's own 128 KiB field limit) or JSON value
    makes its row invalid, naming the column and the limit; the rows around it
    are created, and the csv module's limit is left as it was."""
    big = "x" * 200_000
    rows = [
        {"email": "a@example.com", "first_name": "A", "notes": "short"},
        {"email": "b@example.com", "first_name": "B", "notes": big},
        {"email": f"{big}@example.com", "first_name": "C"},
        {"email": "d@example.com", "first_name": "D", "notes": "short"},
    ]
    source = tmp_path / f"people{suffix}"
    with source.open("w", encoding="utf-8", newline="") as f:
        if suffix == ".csv":
            writer = csv.DictWriter(f, ["email", "first_name", "notes"])
            writer.writeheader()
            writer.writerows(rows)
        else:
            f.writelines(json.dumps(row) + "\n" for row in rows)
    limit_before = csv.field_size_limit()

    code, _, err = run("import", "customers", source)

    first = 2 if suffix == ".csv" else 1
    log = {e["line"] - first: e for e in _log(Path(f"{source}.import-log.jsonl"))}
    assert code == 10, err
    assert {n: e["outcome"] for n, e in log.items()} == {
        0: "created",
        1: "invalid",
        2: "invalid",
        3: "created",
    }
    assert log[1]["message"] == (
        f"line {first + 1}: notes is 200,000 characters long; the importer takes at "
        f"most {MAX_VALUE_CHARS:,} in one value"
    )
    assert log[1]["email"] == "b@example.com"
    assert "email is 200,012 characters long" in log[2]["message"]
    assert "email" not in log[2]  # an identity no valid row could have
    assert server.emulator.customer_count() == 2
    assert csv.field_size_limit() == limit_before


def test_hostile_json_lines_are_invalid_rows_not_a_crash(
    run: Run, server: EmulatorServer, tmp_path: Path
) -> None:
    """An integer of 5,000 digits, JSON nested 100,000 deep, a key naming a column
    twice and a lone surrogate: each is an invalid line; the good line imports."""
    source = tmp_path / "people.jsonl"
    source.write_text(
        '{"email": "a@example.com", "first_name": "A", "n": '
        + "9" * 5000
        + "}\n"
        + "[" * 100_000
        + "\n"
        + '{"email": "b@example.com", "first_name": "B", "firstName": "Bee"}\n'
        + '{"email": "c@example.com", "first_name": "\\ud800"}\n'
        + '{"email": "d@example.com", "first_name": "D"}\n',
        encoding="utf-8",
    )

    code, _, err = run("import", "customers", source)

    log = {e["line"]: e for e in _log(Path(f"{source}.import-log.jsonl"))}
    assert code == 10, err
    assert {n: e["outcome"] for n, e in log.items()} == {
        1: "invalid",
        2: "invalid",
        3: "invalid",
        4: "invalid",
        5: "created",
    }
    assert "is not valid JSON" in log[1]["message"] and "digits" in log[1]["message"]
    assert "is not valid JSON" in log[2]["message"]
    assert (
        log[3]["message"] == "line 3 names first_name twice ('first_name', 'firstName')"
    )
    assert "first_name holds half of a UTF-16 surrogate pair" in log[4]["message"]
    assert server.emulator.customer_count() == 1


# -- a bad file is one clear error before anything is sent --------------------------


def test_a_file_that_is_not_utf8_is_refused_before_anything_is_sent(
    run: Run, server: EmulatorServer, tmp_path: Path
) -> None:
    """1,100 rows with a Latin-1 name in row 1,001: exit 8 naming the file, the
    line and the byte; no login, no log, no customer."""
    source = tmp_path / "people.csv"
    lines = [b"email,first_name"]
    for n in range(1100):
        name = "Zoë".encode("latin-1") if n == 1000 else f"P{n}".encode()
        lines.append(f"p{n}@example.com,".encode() + name)
    source.write_bytes(b"\n".join(lines) + b"\n")

    code, out, err = run("import", "customers", source)

    assert code == 8
    assert out == ""
    assert err.startswith(
        "Error: people.csv is not UTF-8 text: line 1002 has the byte 0xEB; save the "
        "file as UTF-8"
    )
    assert server.emulator.token_requests == []
    assert server.emulator.customer_count() == 0
    assert not Path(f"{source}.import-log.jsonl").exists()


def test_a_utf16_file_is_named_as_such(
    run: Run, server: EmulatorServer, tmp_path: Path
) -> None:
    """Excel's "Unicode Text" export is UTF-16: the error says so."""
    source = tmp_path / "people.csv"
    source.write_text("email,first_name\na@example.com,A\n", encoding="utf-16")

    code, _, err = run("import", "customers", source)

    assert code == 8
    assert "people.csv is UTF-16 text, not UTF-8" in err
    assert server.emulator.token_requests == []


@pytest.mark.parametrize("content", [b"", b"\n\n  \n"])
def test_an_empty_csv_is_an_error_naming_the_file(
    run: Run, server: EmulatorServer, tmp_path: Path, content: bytes
) -> None:
    """0 bytes, or blank lines only: no header, so exit 8 before logging in."""
    source = tmp_path / "nightly.csv"
    source.write_bytes(content)

    code, out, err = run("import", "customers", source)

    assert code == 8
    assert out == ""
    assert "nightly.csv is empty: a CSV file starts with a header line" in err
    assert server.emulator.token_requests == []


def test_a_csv_without_a_header_is_an_error_saying_what_the_first_line_is_for(
    run: Run, server: EmulatorServer, tmp_path: Path
) -> None:
    """A file whose first line is data: exit 8, nothing sent."""
    source = tmp_path / "people.csv"
    source.write_text("a@example.com,Ada\nb@example.com,Bob\n", encoding="utf-8")

    code, _, err = run("import", "customers", source)

    assert code == 8
    assert "people.csv line 1: the header has no email, first_name column" in err
    assert "a CSV's first line names its columns, e.g. email,first_name" in err
    assert server.emulator.token_requests == []


def test_a_header_alone_or_an_empty_json_lines_file_imports_nothing_successfully(
    run: Run, server: EmulatorServer, tmp_path: Path
) -> None:
    """No records today is a success: a CSV says it with its header alone, a JSON
    Lines file (which has no header) by being empty."""
    header_only = tmp_path / "people.csv"
    header_only.write_text("email,first_name\n", encoding="utf-8")
    empty = tmp_path / "people.jsonl"
    empty.write_bytes(b"")

    results = [run("import", "customers", f, "--json") for f in (header_only, empty)]

    for code, out, err in results:
        assert code == 0, err
        summary = json.loads(out)
        assert (summary["ok"], summary["total"], summary["created"]) == (True, 0, 0)


# -- the log ---------------------------------------------------------------------


@pytest.mark.parametrize("how", ["same", "dotted", "symlink", "hardlink", "resume"])
def test_a_log_that_is_the_input_file_is_refused_before_anything_is_sent(
    run: Run, server: EmulatorServer, tmp_path: Path, how: str
) -> None:
    """--log (or --resume) naming the input, however spelled, exits 8 and leaves
    the file as it was."""
    source = _people(tmp_path / "people.csv", 2)
    before = source.read_bytes()
    (tmp_path / "sub").mkdir()
    alias = {
        "same": source,
        "dotted": tmp_path / "sub" / ".." / "people.csv",
        "symlink": tmp_path / "link.csv",
        "hardlink": tmp_path / "hard.csv",
        "resume": source,
    }[how]
    if how == "symlink":
        alias.symlink_to(source)
    if how == "hardlink":
        alias.hardlink_to(source)
    option = "--resume" if how == "resume" else "--log"

    code, _, err = run("import", "customers", source, option, alias)

    assert code == 8
    assert f"the log {alias} is the file being imported" in err
    assert "people.csv.import-log.jsonl" in err  # the default, to use instead
    assert source.read_bytes() == before
    assert server.emulator.token_requests == []


@pytest.mark.parametrize("other_name", ["other.csv", "other.jsonl"])
def test_a_log_that_is_some_other_file_is_refused(
    run: Run, server: EmulatorServer, tmp_path: Path, other_name: str
) -> None:
    """--log or --resume naming a file that is not a log (a CSV, JSON Lines of
    records) exits 8; the file is untouched."""
    source = _people(tmp_path / "people.csv", 2)
    other = tmp_path / other_name
    other.write_text(
        '{"email": "o@example.com", "first_name": "O"}\n'
        if other_name.endswith(".jsonl")
        else "email,first_name\no@example.com,O\n",
        encoding="utf-8",
    )
    before = other.read_bytes()

    codes_errs = [
        run("import", "customers", source, option, other)[::2]
        for option in ("--log", "--resume")
    ]

    assert [code for code, _ in codes_errs] == [8, 8]
    assert all(f"{other} is not an import log" in err for _, err in codes_errs)
    assert other.read_bytes() == before
    assert server.emulator.token_requests == []


def test_a_log_cut_short_in_its_first_line_is_still_a_log(
    run: Run, server: EmulatorServer, tmp_path: Path
) -> None:
    """A run killed while writing its first line leaves a partial JSON object: the
    next run may append to it and resume from it."""
    source = _people(tmp_path / "people.csv", 2)
    log = tmp_path / "people.csv.import-log.jsonl"
    log.write_text('{"line":2,"email":"p0@exa', encoding="utf-8")

    code, out, err = run("import", "customers", source, "--resume", log, "--json")

    assert code == 0, err
    assert json.loads(out)["created"] == 2
    assert "1 line(s) are not log entries" in err
    assert [e["outcome"] for e in _log(log)] == ["created", "created"]


def test_files_of_the_same_stem_get_logs_of_their_own(
    run: Run, server: EmulatorServer, tmp_path: Path
) -> None:
    """customers.csv and customers.jsonl: two default logs, one per file."""
    csv_file = _people(tmp_path / "customers.csv", 2)
    jsonl_file = tmp_path / "customers.jsonl"
    jsonl_file.write_text(
        '{"email": "j@example.com", "first_name": "J"}\n', encoding="utf-8"
    )

    assert run("import", "customers", csv_file)[0] == 0
    assert run("import", "customers", jsonl_file)[0] == 0

    csv_log = _log(tmp_path / "customers.csv.import-log.jsonl")
    jsonl_log = _log(tmp_path / "customers.jsonl.import-log.jsonl")
    assert sorted(e["email"] for e in csv_log) == ["p0@example.com", "p1@example.com"]
    assert [e["email"] for e in jsonl_log] == ["j@example.com"]
    assert not (tmp_path / "customers.import-log.jsonl").exists()


def test_resume_skips_log_lines_that_are_not_utf8_and_warns(
    run: Run, server: EmulatorServer, tmp_path: Path
) -> None:
    """A log line holding Latin-1 bytes is skipped with a warning naming it; its
    record is tried again and found to exist; nothing is created twice."""
    source = _people(tmp_path / "people.csv", 3)
    log = tmp_path / "people.csv.import-log.jsonl"
    assert run("import", "customers", source)[0] == 0
    lines = log.read_bytes().splitlines(keepends=True)
    lines[1] = lines[1].replace(b'"outcome"', b'"note":"caf\xe9","outcome"')
    log.write_bytes(b"".join(lines))

    code, out, err = run("import", "customers", source, "--resume", log, "--json")

    summary = json.loads(out)
    assert code == 0, err
    assert (summary["skipped"], summary["exists"], summary["created"]) == (2, 1, 0)
    assert err.startswith(f"Warning: {log}: 1 line(s) are not log entries")
    assert "line 2." in err
    assert _log(log)[-1]["outcome"] == "exists"
    assert log.read_bytes().endswith(b"}\n")
    assert server.emulator.customer_count() == 3


# -- whatever stops a run, every create that was sent is logged ----------------------


def test_ctrl_c_mid_run_logs_every_create_that_was_sent(
    server: EmulatorServer, tmp_path: Path
) -> None:
    """SIGINT while creates are applied but unanswered: the command finishes those,
    logs them, exits 130; the log's created ids are exactly what Fluent holds."""
    source = _people(tmp_path / "people.csv", 200)
    log = Path(f"{source}.import-log.jsonl")
    server.emulator.set_faults(STALLED)
    command = [sys.executable, "-m", "fluent_gql.cli", "import", "customers"]
    proc = subprocess.Popen(
        [*command, str(source), "--concurrency", "4"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ,
    )
    try:
        deadline = time.monotonic() + 30
        while server.emulator.customer_count() < 4 and time.monotonic() < deadline:
            time.sleep(0.01)
        applied = server.emulator.customer_count()
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    finally:
        proc.kill()

    stored = _stored(server)
    assert proc.returncode == 130, err
    assert applied >= 4 and len(stored) < 200
    assert _created(log) == stored
    assert f"--resume {log}" in err


async def _import_stalled(
    server: EmulatorServer, source: Path, **options: Any
) -> ImportSummary:
    server.emulator.set_faults(STALLED)
    async with AsyncFluentClient(server.config()) as client:
        return await run_import(
            client, "customers", source, concurrency=4, retry_delay=0, **options
        )


@pytest.mark.anyio
async def test_an_error_mid_run_logs_every_create_that_was_sent(
    fluent_emulator: EmulatorServer, tmp_path: Path
) -> None:
    """The progress callback raising at the first record stops the run; the three
    creates in flight with it are finished and logged before the error is raised."""
    source = _people(tmp_path / "people.csv", 50)

    def progress(summary: ImportSummary, result: RecordResult | None) -> None:
        raise RuntimeError("the progress display broke")

    with pytest.raises(RuntimeError, match="the progress display broke"):
        await _import_stalled(fluent_emulator, source, progress=progress)

    created = _created(Path(f"{source}.import-log.jsonl"))
    assert len(created) == 4
    assert created == _stored(fluent_emulator)


@pytest.mark.anyio
async def test_a_cancelled_run_logs_every_create_that_was_sent(
    fluent_emulator: EmulatorServer, tmp_path: Path
) -> None:
    """Cancelled while creates are unanswered: they are finished and logged, and
    the cancellation goes on; nothing queued behind them is sent."""
    source = _people(tmp_path / "people.csv", 50)
    task = asyncio.ensure_future(_import_stalled(fluent_emulator, source))
    while fluent_emulator.emulator.customer_count() < 4:
        await asyncio.sleep(0.01)

    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    created = _created(Path(f"{source}.import-log.jsonl"))
    assert len(created) == 4
    assert created == _stored(fluent_emulator)


def test_a_file_that_changes_mid_run_stops_it_with_every_sent_create_logged(
    run: Run, server: EmulatorServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bytes that are not UTF-8 appended after the file was checked: the run stops
    where it reads them (exit 8), says where everything sent is, and the log
    holds every customer Fluent has."""
    source = _people(tmp_path / "people.csv", 600)

    def scan_then_spoil(path: Path, fmt: FileFormat) -> int:
        total = scan_file(path, fmt)
        with path.open("ab") as f:
            f.write(b"late@example.com,Zo\xeb\n")
        return total

    monkeypatch.setattr("fluent_gql._bulk.scan_file", scan_then_spoil)

    code, _, err = run("import", "customers", source)

    log = Path(f"{source}.import-log.jsonl")
    stored = _stored(server)
    assert code == 8
    assert "people.csv is not UTF-8 text: line 602 has the byte 0xEB" in err
    assert f"The import stopped after {len(_log(log))} record(s)" in err
    assert 0 < len(stored) < 600
    assert _created(log) == stored


def test_an_unexpected_error_while_sending_is_logged_and_stops_the_run(
    tmp_path: Path,
) -> None:
    """A create that raises something that is no FluentError: that record is
    logged failed with the error, nothing more is sent, and the error is raised."""

    class Broken:
        creates = 0

        async def login(self) -> None:
            return None

        async def create_customer(self, **arguments: Any) -> Any:
            self.creates += 1
            raise RuntimeError("a bug")

    client = Broken()
    source = _people(tmp_path / "people.csv", 20)

    with pytest.raises(RuntimeError, match="a bug"):
        asyncio.run(
            run_import(
                cast(AsyncFluentClient, client), "customers", source, concurrency=1
            )
        )

    entries = _log(Path(f"{source}.import-log.jsonl"))
    assert client.creates == 1
    assert [(e["line"], e["outcome"]) for e in entries] == [(2, "failed")]
    assert "unexpected error" in entries[0]["message"]
    assert "RuntimeError: a bug" in entries[0]["message"]


# -- one boolean dialect, header names as the generator names them -------------------


@pytest.mark.parametrize(
    ("first", "opt_in", "value", "expected"),
    [
        ("first_name", "promotion_opt_in", "on", True),
        ("firstName", "promotionOptIn", "OFF", False),
        ("First Name", "Promotion Opt In", "y", True),
        ("FIRST_NAME", "promotion_opt_in", "0", False),
    ],
)
def test_headers_in_any_spelling_and_flags_in_the_config_dialect(
    run: Run,
    server: EmulatorServer,
    tmp_path: Path,
    first: str,
    opt_in: str,
    value: str,
    expected: bool,
) -> None:
    """first_name, firstName, First Name all name the column; on/off and y/n are
    the same booleans as in the settings."""
    source = tmp_path / "people.csv"
    source.write_text(
        f"email,{first},{opt_in}\na@example.com,Ada,{value}\n", encoding="utf-8"
    )

    code, _, err = run("import", "customers", source)

    with FluentClient(server.config()) as client:
        ada = client.customer_by_email("a@example.com")
    assert code == 0, err
    assert ada is not None
    assert (ada.first_name, ada.promotion_opt_in) == ("Ada", expected)


def test_a_flag_outside_the_dialect_is_an_invalid_row_listing_the_words(
    run: Run, server: EmulatorServer, tmp_path: Path
) -> None:
    """ "maybe" is no boolean: the row is invalid and the message lists the words."""
    source = tmp_path / "people.csv"
    source.write_text(
        "email,first_name,promotion_opt_in\na@example.com,Ada,maybe\n",
        encoding="utf-8",
    )

    code, _, _ = run("import", "customers", source)

    entry = _log(Path(f"{source}.import-log.jsonl"))[0]
    assert code == 10
    assert entry["message"] == (
        "line 2: promotion_opt_in must be true or false (1/0, yes/no, y/n, on/off), "
        "got 'maybe'"
    )


def test_the_library_refuses_bad_options_and_a_log_of_the_input_before_logging_in(
    fluent_emulator: EmulatorServer, tmp_path: Path
) -> None:
    """run_import raises FluentInputError (a ValueError) naming the option."""
    source = _people(tmp_path / "people.csv", 1)

    async def attempt(**options: Any) -> None:
        async with AsyncFluentClient(fluent_emulator.config()) as client:
            await run_import(client, "customers", source, **options)

    for options, field in (
        ({"concurrency": 0}, "concurrency"),
        ({"attempts": 0}, "attempts"),
        ({"retry_delay": -1}, "retry_delay"),
        ({"log_path": source}, "log_path"),
    ):
        with pytest.raises(ImportFileError if field == "log_path" else ValueError) as e:
            asyncio.run(attempt(**options))
        assert getattr(e.value, "field", None) == field
    assert fluent_emulator.emulator.token_requests == []
