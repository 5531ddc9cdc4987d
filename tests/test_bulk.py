"""Bulk import: files, local checks, the log, resume, and 10,000 rows under faults."""

from __future__ import annotations

import asyncio
import csv
import json
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, cast

import pytest

from fluent_gql import (
    AsyncFluentClient,
    FluentClient,
    FluentTransportError,
    RetryPolicy,
)
from fluent_gql._bulk import ImportSummary, default_log_path, run_import
from fluent_gql._bulk_input import ImportFileError
from fluent_gql._bulk_log import RecordResult
from fluent_gql.emulator import Emulator, EmulatorServer, FaultPlan

pytestmark = pytest.mark.anyio

#: Short pauses: the emulator's faults are instant, so waiting proves nothing.
FAST = RetryPolicy(initial_delay=0.002, max_delay=0.01)


def _write_csv(
    path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]]
) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _write_jsonl(path: Path, lines: Sequence[Any]) -> Path:
    path.write_text(
        "".join(
            (line if isinstance(line, str) else json.dumps(line)) + "\n"
            for line in lines
        ),
        encoding="utf-8",
    )
    return path


def _log(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


async def _import(
    server: EmulatorServer, kind: Any, source: Path, **options: Any
) -> ImportSummary:
    async with AsyncFluentClient(server.config(), retry_policy=FAST) as client:
        return await run_import(client, kind, source, retry_delay=0, **options)


def _customers(server: EmulatorServer) -> dict[str, str]:
    """username -> id, as the emulator stores them."""
    with FluentClient(server.config()) as client:
        return {c.username or "": c.id for c in client.iter_customers(page_size=5000)}


async def test_a_csv_of_customers_is_created_and_logged_line_by_line(
    fluent_emulator: EmulatorServer, tmp_path: Path
) -> None:
    """Every row is created; the log names line, email, username, outcome and id."""
    source = _write_csv(
        tmp_path / "customers.csv",
        ["email", "First Name", "last_name", "username", "promotion_opt_in", "tier"],
        [
            ["ada@example.com", "Ada", "Lovelace", "", "yes", "Gold"],
            ["bob@example.com", "Bob", "", "bobby", "", ""],
        ],
    )

    summary = await _import(fluent_emulator, "customers", source)

    stored = _customers(fluent_emulator)
    assert (summary.created, summary.failed, summary.invalid) == (2, 0, 0)
    assert summary.log_path == tmp_path / "customers.csv.import-log.jsonl"
    assert sorted(_log(summary.log_path), key=lambda e: e["line"]) == [
        {
            "line": 2,
            "email": "ada@example.com",
            "username": "ada@example.com",
            "outcome": "created",
            "id": stored["ada@example.com"],
        },
        {
            "line": 3,
            "email": "bob@example.com",
            "username": "bobby",
            "outcome": "created",
            "id": stored["bobby"],
        },
    ]
    with FluentClient(fluent_emulator.config()) as client:
        ada = client.customer_by_email("ada@example.com")
    assert ada is not None and ada.promotion_opt_in is True
    assert [(a.name, a.type_, a.value) for a in ada.attributes or [] if a] == [
        ("tier", "STRING", "Gold")
    ]


async def test_json_lines_of_products_carry_prices_and_attributes(
    fluent_emulator: EmulatorServer, tmp_path: Path
) -> None:
    """JSONL values keep JSON types; extra keys and `attributes` are attributes."""
    catalogue = fluent_emulator.emulator.catalogue_ref
    source = _write_jsonl(
        tmp_path / "products.jsonl",
        [
            {
                "ref": "SKU-1",
                "name": "Tea",
                "gtin": "9300633603140",
                "priceCurrency": "AUD",
                "price_value": 7.5,
                "weight": 0.25,
                "attributes": [{"name": "organic", "type": "BOOLEAN", "value": True}],
            },
            {
                "catalogue_ref": catalogue,
                "ref": "SKU-2",
                "name": "Cup",
                "gtin": "1",
                "price_currency": "AUD",
                "price_value": "12",
                "type": "MUG",
                "attributes": {"colour": "blue"},
            },
        ],
    )

    summary = await _import(
        fluent_emulator, "products", source, defaults={"catalogue_ref": catalogue}
    )

    with FluentClient(fluent_emulator.config()) as client:
        products = {p.ref: p for p in client.iter_standard_products()}
    assert summary.created == 2
    tea, cup = products["SKU-1"], products["SKU-2"]
    assert tea.prices and tea.prices[0] and tea.prices[0].value == 7.5
    assert {(a.name, a.type_, a.value) for a in tea.attributes or [] if a} == {
        ("weight", "FLOAT", 0.25),
        ("organic", "BOOLEAN", True),
    }
    assert cup.type_ == "MUG" and cup.catalogue.ref == catalogue
    assert [(a.name, a.value) for a in cup.attributes or [] if a] == [
        ("colour", "blue")
    ]


async def test_invalid_rows_are_logged_with_their_line_and_never_sent(
    fluent_emulator: EmulatorServer, tmp_path: Path
) -> None:
    """Missing values, bad numbers, over-long values are `invalid`; the rest go on."""
    long_gtin = "1" * 21
    source = tmp_path / "products.csv"
    source.write_text(
        "catalogue_ref,ref,name,gtin,price_currency,price_value\n"
        "PC:MASTER:1,OK-1,Tea,1,AUD,7.5\n"
        "PC:MASTER:1,NO-NAME,,1,AUD,7.5\n"
        'PC:MASTER:1,BAD-PRICE,"Two\nlines",1,AUD,seven\n'
        "PC:MASTER:1,NAN,Tea,1,AUD,nan\n"
        "PC:MASTER:1,NEGATIVE,Tea,1,AUD,-1\n"
        f"PC:MASTER:1,LONG,Tea,{long_gtin},AUD,1\n"
        "PC:MASTER:1,CELLS,Tea,1,AUD,1,extra\n"
        "\n"
        "PC:MASTER:1,OK-2,Tea,1,AUD,0\n",
        encoding="utf-8",
    )

    summary = await _import(fluent_emulator, "products", source)

    log = {e["line"]: e for e in _log(summary.log_path)}
    assert (summary.created, summary.invalid, summary.failed) == (2, 6, 0)
    assert fluent_emulator.emulator.product_count() == 2
    assert {line: e["outcome"] for line, e in log.items()} == {
        2: "created",
        3: "invalid",
        4: "invalid",
        6: "invalid",
        7: "invalid",
        8: "invalid",
        9: "invalid",
        11: "created",
    }
    assert log[3]["message"] == "line 3: name is required"
    assert log[3]["ref"] == "NO-NAME"
    assert "price_value must be a number" in log[4]["message"]
    assert "finite" in log[6]["message"]
    assert "negative" in log[7]["message"]
    assert log[8]["message"] == (
        "line 8: gtin is 21 characters long; Fluent allows at most 20"
    )
    assert log[9]["message"] == "line 9 has 7 cells; the header has 6"


async def test_unreadable_json_lines_are_invalid_rows(
    fluent_emulator: EmulatorServer, tmp_path: Path
) -> None:
    """A line that is not JSON, or not an object, is reported and skipped."""
    source = _write_jsonl(
        tmp_path / "customers.jsonl",
        [
            '{"email": "a@example.com", "first_name": "A"',
            "[1, 2]",
            {"email": "b@example.com", "first_name": "B", "promotion_opt_in": "maybe"},
            {"email": "c@example.com", "firstName": "C", "promotionOptIn": True},
        ],
    )

    summary = await _import(fluent_emulator, "customers", source)

    outcomes = {
        e["line"]: (e["outcome"], e.get("message", "")) for e in _log(summary.log_path)
    }
    assert outcomes[1][0] == "invalid" and "not valid JSON" in outcomes[1][1]
    assert outcomes[2] == ("invalid", "line 2 is not a JSON object")
    assert "promotion_opt_in must be true or false" in outcomes[3][1]
    assert outcomes[4][0] == "created"
    assert fluent_emulator.emulator.customer_count() == 1


async def test_a_header_without_a_required_column_stops_before_anything_is_sent(
    fluent_emulator: EmulatorServer, tmp_path: Path
) -> None:
    """A file that cannot be imported at all fails at once, without logging in."""
    source = _write_csv(tmp_path / "c.csv", ["email", "last_name"], [["a@b.c", "X"]])

    with pytest.raises(ImportFileError, match="no first_name column"):
        await _import(fluent_emulator, "customers", source)

    assert fluent_emulator.emulator.token_requests == []
    assert not default_log_path(source).exists()


async def test_a_rerun_finds_everything_existing_and_duplicates_nothing(
    fluent_emulator: EmulatorServer, tmp_path: Path
) -> None:
    """Fluent's C0123E and C0128E count as `exists`; the store does not grow."""
    customers = _write_csv(
        tmp_path / "c.csv",
        ["email", "first_name"],
        [["a@x.com", "A"], ["b@x.com", "B"]],
    )
    products = _write_csv(
        tmp_path / "p.csv",
        ["catalogue_ref", "ref", "name", "gtin", "price_currency", "price_value"],
        [["PC:MASTER:1", "SKU-1", "Tea", "1", "AUD", "1"]],
    )
    await _import(fluent_emulator, "customers", customers)
    await _import(fluent_emulator, "products", products)

    again = await _import(fluent_emulator, "customers", customers)
    again_products = await _import(fluent_emulator, "products", products)

    assert (again.created, again.exists) == (0, 2)
    assert (again_products.created, again_products.exists) == (0, 1)
    assert fluent_emulator.emulator.customer_count() == 2
    assert fluent_emulator.emulator.product_count() == 1
    last = _log(again_products.log_path)[-1]
    assert (last["outcome"], last["code"], last["ref"]) == ("exists", "C0128E", "SKU-1")
    assert [e["code"] for e in _log(again.log_path)[-2:]] == ["C0123E", "C0123E"]


async def test_resume_skips_what_the_log_shows_done_and_appends_to_it(
    fluent_emulator: EmulatorServer, tmp_path: Path
) -> None:
    """Records logged created or exists are not sent again; the rest are imported."""
    source = _write_csv(
        tmp_path / "c.csv",
        ["email", "first_name"],
        [[f"u{n}@x.com", "U"] for n in range(5)],
    )
    log = tmp_path / "earlier.jsonl"
    log.write_text(
        '{"line":2,"email":"u0@x.com","username":"u0@x.com","outcome":"created","id":"9"}\n'
        '{"line":3,"email":"u1@x.com","username":"u1@x.com","outcome":"exists"}\n'
        '{"line":4,"email":"u2@x.com","username":"u2@x.com","outcome":"failed"}\n'
        '{"line":5,"email":"u3@x.com","username":"u3@x.com","outc',
        encoding="utf-8",
    )
    seen: list[RecordResult | None] = []

    summary = await _import(
        fluent_emulator,
        "customers",
        source,
        resume=log,
        progress=lambda s, result: seen.append(result),
    )

    assert (summary.skipped, summary.created) == (2, 3)
    assert sorted(_customers(fluent_emulator)) == ["u2@x.com", "u3@x.com", "u4@x.com"]
    assert summary.log_path == log
    assert sorted(e["username"] for e in _log_lines_after(log, 4)) == [
        "u2@x.com",
        "u3@x.com",
        "u4@x.com",
    ]
    assert seen.count(None) == 2 and len(seen) == 5
    assert not default_log_path(source).exists()


def _log_lines_after(path: Path, skip: int) -> list[dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()[skip:]
    return [json.loads(line) for line in lines]


async def test_the_progress_callback_sees_every_record_with_running_counts(
    fluent_emulator: EmulatorServer, tmp_path: Path
) -> None:
    """One call per record; the summary it gets counts what is done so far."""
    source = _write_csv(
        tmp_path / "c.csv",
        ["email", "first_name"],
        [["a@x.com", "A"], ["b@x.com", ""], ["c@x.com", "C"]],
    )
    calls: list[tuple[int, str | None]] = []

    def progress(summary: ImportSummary, result: RecordResult | None) -> None:
        calls.append((summary.processed, result.outcome if result else None))

    summary = await _import(
        fluent_emulator, "customers", source, progress=progress, concurrency=1
    )

    assert [processed for processed, _ in calls] == [1, 2, 3]
    assert Counter(outcome for _, outcome in calls) == {"created": 2, "invalid": 1}
    assert summary.total == 3 and not summary.ok


class _FlakyCustomers:
    """A stand-in client whose creates lose their answer as scripted."""

    def __init__(self, script: list[str], lookups: list[str]) -> None:
        self.script = script  # per create: "applied-lost", "lost", "ok"
        self.lookups = lookups  # per look-up: "fail" or "answer"
        self.stored: dict[str, str] = {}
        self.creates = 0

    async def login(self) -> None:
        return None

    async def create_customer(self, **arguments: Any) -> Any:
        self.creates += 1
        step = self.script.pop(0)
        if step != "lost":
            self.stored[arguments["username"]] = str(len(self.stored) + 1)
        if step == "ok":
            return _Obj(create_customer=_Obj(id=self.stored[arguments["username"]]))
        error = FluentTransportError("connection reset after sending")
        error.maybe_applied = True
        raise error

    async def list_customers(self, usernames: list[str], first: int) -> Any:
        if self.lookups.pop(0) == "fail":
            raise FluentTransportError("the look-up failed too")
        found = [u for u in usernames if u in self.stored]
        edges = [_Obj(node=_Obj(id=self.stored[u])) for u in found]
        return _Obj(customers=_Obj(edges=edges))


class _Obj:
    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)


@pytest.mark.parametrize(
    ("script", "lookups", "creates", "message"),
    [
        (["applied-lost"], ["answer"], 1, "confirmed by a look-up"),
        (["lost", "ok"], ["answer"], 2, None),
        (["lost", "ok"], ["fail", "answer"], 2, None),
        (["applied-lost"], ["fail", "fail", "answer"], 1, "confirmed by a look-up"),
    ],
)
async def test_an_ambiguous_create_is_checked_before_it_is_tried_again(
    tmp_path: Path,
    script: list[str],
    lookups: list[str],
    creates: int,
    message: str | None,
) -> None:
    """maybe_applied: look up by username first; create again only if it is absent."""
    fake = _FlakyCustomers(script, lookups)
    source = _write_csv(tmp_path / "c.csv", ["email", "first_name"], [["a@x.com", "A"]])

    summary = await run_import(
        cast(AsyncFluentClient, fake), "customers", source, retry_delay=0, attempts=4
    )

    entry = _log(summary.log_path)[0]
    assert (entry["outcome"], entry["id"]) == ("created", "1")
    assert message is None or message in entry["message"]
    assert (message is None) == ("message" not in entry)
    assert fake.creates == creates
    assert fake.stored == {"a@x.com": "1"}


async def test_a_record_whose_fate_stays_unknown_is_failed_with_the_reason(
    tmp_path: Path,
) -> None:
    """If no look-up ever answers, the record is `failed`, saying it may exist."""
    fake = _FlakyCustomers(["applied-lost"], ["fail"] * 3)
    source = _write_csv(tmp_path / "c.csv", ["email", "first_name"], [["a@x.com", "A"]])

    summary = await run_import(
        cast(AsyncFluentClient, fake), "customers", source, retry_delay=0, attempts=2
    )

    entry = _log(summary.log_path)[0]
    assert entry["outcome"] == "failed" and not summary.ok
    assert "may exist" in entry["message"]
    assert fake.creates == 1


# -- 10,000 customers under faults, interrupted, then resumed --------------------

ROWS = 10_000
#: 10 % of /graphql requests fail, in every way the fault plan knows.
FAULTS = FaultPlan(
    seed=20,
    server_error_rate=0.02,
    rate_limit_rate=0.01,
    graphql_rate_limit_rate=0.01,
    drop_before_rate=0.015,
    drop_after_rate=0.02,
    malformed_rate=0.02,
    revoke_rate=0.005,
)


def _big_file(path: Path) -> tuple[set[str], dict[int, str]]:
    """10,000 customer rows, every 250th invalid: valid emails, invalid lines."""
    valid: set[str] = set()
    invalid: dict[int, str] = {}
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["email", "first_name", "last_name", "phone"])
        for n in range(ROWS):
            email = f"bulk-{n}@example.com"
            phone = "0" * 21 if n % 250 == 7 else "0412 345 678"
            writer.writerow([email, f"First{n}", "Last", phone])
            if n % 250 == 7:
                invalid[n + 2] = email
            else:
                valid.add(email)
    return valid, invalid


@pytest.fixture
def faulty_server() -> Iterator[EmulatorServer]:
    """An emulator whose /graphql fails 10% of requests."""
    with Emulator(faults=FAULTS) as emulator, EmulatorServer(emulator) as server:
        yield server


@pytest.mark.slow
async def test_ten_thousand_customers_survive_faults_and_an_interruption(
    faulty_server: EmulatorServer, tmp_path: Path
) -> None:
    """Interrupted, then resumed: every row created exactly once or reported invalid."""
    valid, invalid = _big_file(tmp_path / "customers.csv")
    log = tmp_path / "import.jsonl"
    run = asyncio.current_task()
    assert run is not None

    def interrupt(summary: ImportSummary, result: RecordResult | None) -> None:
        if summary.processed == 4_000:
            run.cancel()

    async with AsyncFluentClient(faulty_server.config(), retry_policy=FAST) as client:
        options: dict[str, Any] = {"log_path": log, "retry_delay": 0.001, "attempts": 5}
        with pytest.raises(asyncio.CancelledError):
            await run_import(
                client,
                "customers",
                tmp_path / "customers.csv",
                progress=interrupt,
                **options,
            )
        run.uncancel()
        before = _log(log)
        resumed = await run_import(
            client, "customers", tmp_path / "customers.csv", resume=log, **options
        )

    entries = _log(log)
    first = len(before)
    done_before = {
        e["username"] for e in before if e["outcome"] in {"created", "exists"}
    }
    stored = _customers_without_faults(faulty_server)
    created = Counter(e["username"] for e in entries if e["outcome"] == "created")
    finished = {e["username"] for e in entries if e["outcome"] in {"created", "exists"}}
    assert 4_000 <= first < ROWS
    assert faulty_server.emulator.faults_injected.total() > 1_000
    assert resumed.failed == 0 and resumed.skipped == len(done_before)
    assert set(stored) == valid == finished
    assert max(created.values()) == 1
    assert all(stored[e["username"]] == e["id"] for e in entries if "id" in e)
    assert {
        e["line"]: e["email"] for e in entries if e["outcome"] == "invalid"
    } == invalid
    assert not any(e["outcome"] == "failed" for e in entries[first:])


def _customers_without_faults(server: EmulatorServer) -> dict[str, str]:
    server.emulator.set_faults(None)
    return _customers(server)
