"""A database file keeps the account's data across restarts; memory does not."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from fluent_gql.emulator import Emulator, EmulatorCredentials
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
