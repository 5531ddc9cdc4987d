"""`fluent-gql import` and the `list` commands through the real entry point."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from fluent_gql import FluentClient
from fluent_gql._bulk import ImportSummary
from fluent_gql.cli._import import BarProgress, PlainProgress
from fluent_gql.emulator import EmulatorServer
from tests.conftest import Run


@pytest.fixture
def server(emulator_env: EmulatorServer) -> EmulatorServer:
    """The emulator, with the FLUENT_* variables pointing at it."""
    return emulator_env


def _clean(server: EmulatorServer, *outputs: str) -> bool:
    creds = server.emulator.credentials
    return not any(
        secret in output
        for output in outputs
        for secret in (creds.password, creds.client_secret)
    )


def _customers_csv(path: Path, count: int, *, invalid_at: int | None = None) -> Path:
    lines = ["email,first_name,loyaltyTier"]
    for n in range(count):
        first = "" if n == invalid_at else f"First{n}"
        lines.append(f"c{n}@example.com,{first},Gold")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _products_csv(path: Path, refs: list[str], catalogue: str = "") -> Path:
    lines = ["catalogue_ref,ref,name,gtin,price_currency,price_value"]
    lines += [f"{catalogue},{ref},Tea,9300633603140,AUD,7.5" for ref in refs]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _log(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_import_customers_creates_them_and_prints_a_summary(
    run: Run, server: EmulatorServer, tmp_path: Path
) -> None:
    """The summary counts each outcome and names the log written beside the file."""
    source = _customers_csv(tmp_path / "people.csv", 5)

    code, out, err = run("import", "customers", source)

    log = tmp_path / "people.csv.import-log.jsonl"
    assert code == 0, err
    assert "Imported customers" in out and "incomplete" not in out
    assert "created  5" in out and "invalid  0" in out and "failed   0" in out
    assert f"Log: {log}" in out
    assert err == ""
    assert server.emulator.customer_count() == 5
    assert _clean(server, out, err)


def test_an_invalid_row_makes_the_import_exit_10_and_say_so(
    run: Run, server: EmulatorServer, tmp_path: Path
) -> None:
    """A refused row is logged with its line; the rest import; the exit is 10."""
    source = _customers_csv(tmp_path / "people.csv", 5, invalid_at=2)

    code, out, err = run("import", "customers", source)

    log = tmp_path / "people.csv.import-log.jsonl"
    assert code == 10
    assert "Imported customers (incomplete)" in out
    assert "created  4" in out and "invalid  1" in out and "failed   0" in out
    assert err.strip() == (
        f"Error: 1 record(s) were not imported (1 invalid, 0 failed); their lines "
        f'and reasons are in {log} (outcomes "invalid" and "failed"). Fix what '
        f"needs fixing, then run again with --resume {log}: it sends only what is "
        "not done"
    )
    assert server.emulator.customer_count() == 4
    assert {e["line"]: e["outcome"] for e in _log(log)}[4] == "invalid"
    assert _clean(server, out, err)


def test_import_json_summary_is_for_scripts(
    run: Run, server: EmulatorServer, tmp_path: Path
) -> None:
    """--json prints the counts and the log's path as one JSON object."""
    source = _customers_csv(tmp_path / "people.csv", 3)

    code, out, _ = run("import", "customers", source, "--json", "--concurrency", "2")

    summary = json.loads(out)
    assert code == 0
    assert {k: summary[k] for k in ("created", "exists", "invalid", "failed")} == {
        "created": 3,
        "exists": 0,
        "invalid": 0,
        "failed": 0,
    }
    assert summary["log"] == str(tmp_path / "people.csv.import-log.jsonl")
    assert summary["ok"] is True and summary["total"] == 3


def test_without_a_terminal_progress_comes_as_plain_lines(
    run: Run, server: EmulatorServer, tmp_path: Path
) -> None:
    """Not on a terminal, stderr gets periodic one-line reports with counts and ETA."""
    source = _customers_csv(tmp_path / "people.csv", 4)

    code, _, err = run("import", "customers", source, "--progress-every", "0")

    lines = [line for line in err.splitlines() if line.startswith("import customers")]
    assert code == 0
    assert len(lines) == 4
    assert lines[-1].startswith("import customers: 4/4 (100%), ")
    assert "created 4, exists 0, invalid 0, failed 0" in lines[-1]
    assert "ETA" in lines[0]


def test_a_failed_record_makes_the_exit_status_non_zero(
    run: Run, server: EmulatorServer, tmp_path: Path
) -> None:
    """A product in an unknown catalogue fails; the command says where to look."""
    catalogue = server.emulator.catalogue_ref
    source = tmp_path / "p.csv"
    source.write_text(
        "catalogue_ref,ref,name,gtin,price_currency,price_value\n"
        f"{catalogue},SKU-1,Tea,1,AUD,7.5\n"
        "PC:NOWHERE,SKU-2,Tea,1,AUD,7.5\n",
        encoding="utf-8",
    )

    code, out, err = run("import", "products", source)

    log = _log(tmp_path / "p.csv.import-log.jsonl")
    assert code == 10
    assert "created  1" in out and "failed   1" in out
    assert "1 record(s) were not imported (0 invalid, 1 failed)" in err
    assert "--resume" in err
    failed = next(e for e in log if e["outcome"] == "failed")
    assert (failed["line"], failed["ref"], failed["code"]) == (3, "SKU-2", "C0120E")


def test_resume_skips_what_the_log_shows_done(
    run: Run, server: EmulatorServer, tmp_path: Path
) -> None:
    """A second run with --resume sends nothing for records already created."""
    source = _customers_csv(tmp_path / "people.csv", 3)
    run("import", "customers", source)
    log = tmp_path / "people.csv.import-log.jsonl"

    code, out, err = run("import", "customers", source, "--resume", log, "--json")

    assert code == 0, err
    assert json.loads(out)["skipped"] == 3
    assert json.loads(out)["created"] == 0
    assert len(_log(log)) == 3


def test_import_products_takes_a_default_catalogue_and_a_log_path(
    run: Run, server: EmulatorServer, tmp_path: Path
) -> None:
    """--catalogue-ref fills rows that name none; --log puts the log where asked."""
    catalogue = server.emulator.catalogue_ref
    source = _products_csv(tmp_path / "p.csv", ["SKU-1", "SKU-2"])
    log = tmp_path / "elsewhere" / "log.jsonl"
    log.parent.mkdir()

    code, _, err = run(
        "import", "products", source, "--catalogue-ref", catalogue, "--log", log
    )

    assert code == 0, err
    assert [e["catalogue_ref"] for e in _log(log)] == [catalogue, catalogue]
    assert server.emulator.product_count() == 2


def test_a_file_that_cannot_be_imported_is_an_input_error(
    run: Run, server: EmulatorServer, tmp_path: Path
) -> None:
    """A header without a required column exits 8 before anything is sent."""
    source = tmp_path / "c.csv"
    source.write_text("email\na@example.com\n", encoding="utf-8")

    code, out, err = run("import", "customers", source)

    assert code == 8
    assert out == ""
    assert "no first_name column" in err
    assert server.emulator.token_requests == []


def test_ctrl_c_tells_how_to_resume(
    run: Run, server: EmulatorServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An interrupted import exits 130 and names the log to resume from (before
    any record was done, with no log yet, it says nothing was sent)."""
    source = _customers_csv(tmp_path / "people.csv", 1)

    async def interrupted(*args: object, **kwargs: object) -> ImportSummary:
        raise KeyboardInterrupt

    first_code, _, _ = run("import", "customers", source)
    monkeypatch.setattr("fluent_gql.cli._import.run_import", interrupted)
    code, _, err = run("import", "customers", source)
    (tmp_path / "people.csv.import-log.jsonl").unlink()
    nothing_code, _, nothing = run("import", "customers", source)

    assert first_code == 0
    assert code == nothing_code == 130
    assert nothing == "Error: interrupted before any record was sent\n"
    assert f"--resume {tmp_path / 'people.csv.import-log.jsonl'}" in err


def test_the_progress_bar_shows_counts_rate_and_eta_on_a_terminal() -> None:
    """On a terminal a rich bar shows done/total, created and failed counts."""
    from rich.console import Console

    screen = io.StringIO()
    summary = ImportSummary("customers", Path("log.jsonl"), total=10, created=3)
    summary.failed = 1

    with BarProgress(Console(file=screen, force_terminal=True, width=120), "x") as bar:
        bar(summary, None)

    shown = screen.getvalue()
    assert "4/10" in shown
    assert "created 3, failed 1" in shown
    assert "/s" in shown


def test_plain_progress_waits_between_lines() -> None:
    """With a long interval, updates in between print nothing."""
    stream = io.StringIO()
    progress = PlainProgress(stream, every=3600)

    progress(ImportSummary("products", Path("log.jsonl")), None)

    assert stream.getvalue() == ""


# -- list ------------------------------------------------------------------------


@pytest.fixture
def stocked(server: EmulatorServer, monkeypatch: pytest.MonkeyPatch) -> EmulatorServer:
    """Five customers and three products in the emulator; tables 200 columns wide."""
    monkeypatch.setenv("COLUMNS", "200")
    with FluentClient(server.config()) as client:
        for n in range(5):
            client.create_customer(email=f"c{n}@example.com", first_name=f"First{n}")
        for ref in ("SKU-1", "SKU-2", "SKU-3"):
            client.create_product(
                catalogue_ref=server.emulator.catalogue_ref,
                ref=ref,
                name=f"Tea {ref}",
                gtin="9300633603140",
                price_currency="AUD",
                price_value=7.5,
            )
    return server


def test_customer_list_prints_a_table_across_pages(
    run: Run, stocked: EmulatorServer
) -> None:
    """Pages of 2 still list all five customers, in order, with the main columns."""
    code, out, err = run("customer", "list", "--page-size", "2")

    assert code == 0, err
    assert "primaryEmail" in out and "firstName" in out
    positions = [out.index(f"c{n}@example.com") for n in range(5)]
    assert positions == sorted(positions)


def test_customer_list_json_is_one_array_honouring_filters_and_max(
    run: Run, stocked: EmulatorServer
) -> None:
    """--json streams a JSON array; --email filters; --max stops early."""
    code, out, _ = run(
        "customer",
        "list",
        "--json",
        "--email",
        "c1@example.com",
        "--email",
        "c3@example.com",
        "--email",
        "c4@example.com",
        "--max",
        "2",
        "--page-size",
        "1",
    )

    customers = json.loads(out)
    assert code == 0
    assert [c["primaryEmail"] for c in customers] == [
        "c1@example.com",
        "c3@example.com",
    ]
    assert customers[0]["firstName"] == "First1"


def test_customer_list_filters_by_time_and_status(
    run: Run, stocked: EmulatorServer
) -> None:
    """Created in a window that ended long ago, or of an absent status: nothing."""
    _, old, _ = run("customer", "list", "--json", "--created-to", "2000-01-01")
    _, recent, _ = run(
        "customer", "list", "--json", "--created-from", "2000-01-01T00:00Z"
    )
    _, none, _ = run("customer", "list", "--json", "--status", "INACTIVE")
    _, empty_table, _ = run("customer", "list", "--status", "INACTIVE")

    assert json.loads(old) == [] and json.loads(none) == []
    assert len(json.loads(recent)) == 5
    assert "No results." in empty_table


def test_product_list_filters_by_catalogue_and_ref(
    run: Run, stocked: EmulatorServer
) -> None:
    """--catalogue-ref and --ref select products; the table shows price, catalogue."""
    catalogue = stocked.emulator.catalogue_ref

    code, out, _ = run(
        "product", "list", "--catalogue-ref", catalogue, "--ref", "SKU-2", "--json"
    )
    table_code, table, _ = run("product", "list", "--catalogue-ref", catalogue)

    assert code == table_code == 0
    assert [p["ref"] for p in json.loads(out)] == ["SKU-2"]
    assert all(ref in table for ref in ("SKU-1", "SKU-2", "SKU-3"))
    assert "catalogue.ref" in table and "RRP" in table


@pytest.mark.parametrize(
    "args",
    [
        ("customer", "list", "--page-size", "0"),
        ("customer", "list", "--page-size", "5001"),
        ("product", "list", "--max", "-1"),
        ("customer", "list", "--created-from", "last tuesday"),
    ],
)
def test_bad_list_options_are_usage_errors(
    run: Run, server: EmulatorServer, args: tuple[str, ...]
) -> None:
    """Out-of-range page sizes, negative maxima and bad times exit 2, unsent."""
    code, out, err = run(*args)

    assert code == 2
    assert out == ""
    assert "Invalid value" in err
    assert server.emulator.token_requests == []
