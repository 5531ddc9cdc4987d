"""A database file keeps the account's data across restarts; memory does not."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from fluent_gql.emulator import Emulator, EmulatorCredentials, _store
from fluent_gql.emulator._store import StoreError

from .support import CUSTOMER_FIELDS, StartServer


def test_a_file_database_survives_a_restart(
    tmp_path: Path, start_server: StartServer
) -> None:
    """Customers and products written before a restart are served after it."""
    db = tmp_path / "fluent.db"
    first = start_server(db_path=db)
    first.login()
    customer = first.create_customer()
    product = first.create_product()
    first.server.stop()
    first.emulator.close()

    second = start_server(db_path=db)
    second.login()
    found = second.data(
        f"query($r: String!) {{ customer(ref: $r) {{ {CUSTOMER_FIELDS} }} }}",
        {"r": customer["username"]},
    )
    product_found = second.data(
        "query($r: String!, $c: ProductCatalogueKey!) "
        "{ standardProduct(ref: $r, catalogue: $c) { id } }",
        {"r": product["ref"], "c": {"ref": second.emulator.catalogue_ref}},
    )

    assert found["customer"] == customer
    assert product_found["standardProduct"] == {"id": product["id"]}
    assert (second.emulator.customer_count(), second.emulator.product_count()) == (1, 1)


def test_reopening_does_not_seed_twice_and_ids_continue(tmp_path: Path) -> None:
    """The seed runs once per file; the customer id sequence carries on."""
    db = tmp_path / "fluent.db"
    Emulator(db_path=db).close()
    Emulator(db_path=db).close()

    with sqlite3.connect(db) as conn:
        counts = [
            conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("retailers", "locations", "users", "productCatalogues")
        ]
    conn.close()

    assert counts == [1, 1, 1, 1]


def test_new_customers_after_a_restart_get_new_ids(
    tmp_path: Path, start_server: StartServer
) -> None:
    """Ids are not reused after a restart."""
    db = tmp_path / "fluent.db"
    first = start_server(db_path=db)
    first.login()
    before = int(first.create_customer()["id"])
    first.server.stop()
    first.emulator.close()

    second = start_server(db_path=db)
    second.login()
    after = int(second.create_customer()["id"])

    assert after == before + 1


def test_tokens_do_not_survive_a_restart(
    tmp_path: Path, start_server: StartServer
) -> None:
    """Tokens live in memory only, so a restarted emulator refuses old ones."""
    db = tmp_path / "fluent.db"
    first = start_server(db_path=db)
    token = first.login()
    first.server.stop()
    first.emulator.close()

    second = start_server(db_path=db)

    assert second.post("{ me { id } }", token=token).status_code == 401


def test_a_restart_with_new_credentials_adds_that_user(
    tmp_path: Path, start_server: StartServer
) -> None:
    """The login user exists even when a kept database was seeded for another."""
    db = tmp_path / "fluent.db"
    Emulator(db_path=db).close()
    creds = EmulatorCredentials(username="second-admin")

    api = start_server(db_path=db, credentials=creds)
    api.login()

    assert api.data("{ me { username } }") == {"me": {"username": "second-admin"}}


def test_in_memory_emulators_share_nothing(start_server: StartServer) -> None:
    """Data written to one emulator without a path is not in another."""
    one, two = start_server(), start_server()
    one.login()
    one.create_customer()

    assert (one.emulator.customer_count(), two.emulator.customer_count()) == (1, 0)


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    """Pointing at some other file raises StoreError, not a half-open emulator."""
    junk = tmp_path / "notes.txt"
    junk.write_text("not a database " * 100)

    with pytest.raises(StoreError, match="not an emulator database"):
        Emulator(db_path=junk)


def test_a_database_of_another_schema_version_is_refused(tmp_path: Path) -> None:
    """A file written by an incompatible emulator version is not touched."""
    db = tmp_path / "future.db"
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA user_version = 99")
    conn.close()

    with pytest.raises(StoreError, match="version 99"):
        Emulator(db_path=db)


def _version_1_file(path: Path) -> None:
    # What an emulator of schema version 1 left behind: its tables, its seed and
    # one customer.
    conn = sqlite3.connect(path)
    conn.executescript(
        f"BEGIN; {_store._DDL} PRAGMA user_version = 1; COMMIT;"
        "INSERT INTO retailers (id, ref, status, createdOn, updatedOn)"
        " VALUES (1, 'EMULATOR-RETAILER', 'ACTIVE', 0, 0);"
        "INSERT INTO locations (id, ref, type, status, name, retailerId, createdOn,"
        " updatedOn) VALUES (1, 'EMULATOR-WAREHOUSE', 'WAREHOUSE', 'ACTIVE',"
        " 'Emulator Warehouse', 1, 0, 0);"
        "INSERT INTO productCatalogues (ref, type, workflowRef, workflowVersion,"
        " status, name, createdOn, updatedOn) VALUES ('PC:MASTER:1', 'MASTER',"
        " 'PRODUCT_CATALOGUE::MASTER', 1, 'ACTIVE', 'Master catalogue', 0, 0);"
        "INSERT INTO customers (ref, username, status, firstName, primaryEmail,"
        " timezone, promotionOptIn, retailerId, createdOn, updatedOn) VALUES"
        " ('old@example.com', 'old@example.com', 'ACTIVE', 'Old', 'old@example.com',"
        " 'UTC', 0, 1, 0, 0);"
    )
    conn.close()


def _columns(path: Path) -> dict[str, list[str]]:
    conn = sqlite3.connect(path)
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    columns = {
        table: sorted(row[1] for row in conn.execute(f"PRAGMA table_info({table})"))
        for table in tables
    }
    conn.close()
    return columns


def test_a_version_1_database_is_upgraded_and_keeps_its_data(
    tmp_path: Path, start_server: StartServer
) -> None:
    """A file from before orders were stored gains their tables, not an error."""
    db = tmp_path / "v1.db"
    _version_1_file(db)

    api = start_server(db_path=db)
    api.login()
    old = api.data('{ customer(ref: "old@example.com") { id firstName } }')
    catalogue = api.data('{ inventoryCatalogue(ref: "DEFAULT:1") { ref } }')
    location = api.data(
        '{ location(ref: "EMULATOR-WAREHOUSE") { id primaryAddress { id } } }'
    )
    with sqlite3.connect(db) as conn:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.close()

    assert old == {"customer": {"id": "1", "firstName": "Old"}}
    assert catalogue == {"inventoryCatalogue": {"ref": "DEFAULT:1"}}
    assert location == {"location": {"id": "1", "primaryAddress": None}}
    assert version == _store.SCHEMA_VERSION == 2


def test_an_upgraded_database_has_the_tables_of_a_new_one(tmp_path: Path) -> None:
    """Upgrading version 1 gives the same tables and columns as starting afresh."""
    old, new = tmp_path / "old.db", tmp_path / "new.db"
    _version_1_file(old)
    Emulator(db_path=old).close()
    Emulator(db_path=new).close()

    assert _columns(old) == _columns(new)
    assert "orders" in _columns(new)
