"""The emulator's storage: one SQLite database, in memory or in a file.

One connection serves every thread (``check_same_thread=False``); a lock makes each
method a critical section, and each write is a single transaction, so a mutation
stores all of its row or nothing. Column names are the GraphQL field names, so a
stored row is already the record a resolver hands to graphql-core. Timestamps are
stored as integer milliseconds since the epoch (Fluent's precision), JSON-valued
fields as JSON text, booleans as 0/1.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

Record = dict[str, Any]
"""One stored entity, keyed by GraphQL field name."""

SCHEMA_VERSION = 2
"""Version 2 added orders, fulfilments, addresses, inventory and location details."""

MAX_ROW_ID = 2**63 - 1
"""SQLite's largest integer: no row id or position is larger."""

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MILLISECOND = timedelta(milliseconds=1)

_JSON_COLUMNS = frozenset(
    {
        "attributes",
        "roles",
        "language",
        "retailerRefs",
        "prices",
        "tax",
        "openingSchedule",
    }
)
_TIME_COLUMNS = frozenset(
    {
        "createdOn",
        "updatedOn",
        "expiryTime",
        "expectedOn",
        "deliverAfter",
        "deliverBefore",
        "dispatchOn",
    }
)
_BOOL_COLUMNS = frozenset({"promotionOptIn"})

_DDL = """
CREATE TABLE retailers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ref TEXT NOT NULL UNIQUE,
    status TEXT, summary TEXT, websiteUrl TEXT, websiteUrlName TEXT,
    primaryEmail TEXT, supportContactName TEXT, supportEmail TEXT,
    supportPhone TEXT, tradingName TEXT,
    createdOn INTEGER NOT NULL, updatedOn INTEGER NOT NULL
);
CREATE TABLE locations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ref TEXT, type TEXT, status TEXT, name TEXT,
    retailerId INTEGER REFERENCES retailers (id),
    attributes TEXT NOT NULL DEFAULT '[]',
    createdOn INTEGER NOT NULL, updatedOn INTEGER NOT NULL
);
CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ref TEXT NOT NULL,
    username TEXT NOT NULL UNIQUE,
    title TEXT, firstName TEXT, lastName TEXT, primaryEmail TEXT,
    primaryPhone TEXT, type TEXT NOT NULL, status TEXT,
    attributes TEXT NOT NULL DEFAULT '[]',
    department TEXT, country TEXT, timezone TEXT, language TEXT,
    promotionOptIn INTEGER,
    primaryRetailerId INTEGER REFERENCES retailers (id),
    primaryLocationId INTEGER REFERENCES locations (id),
    roles TEXT NOT NULL DEFAULT '[]',
    createdOn INTEGER NOT NULL, updatedOn INTEGER NOT NULL
);
CREATE TABLE customers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ref TEXT,
    username TEXT NOT NULL UNIQUE,
    status TEXT, title TEXT, department TEXT, country TEXT,
    firstName TEXT, lastName TEXT, primaryEmail TEXT, primaryPhone TEXT,
    timezone TEXT, promotionOptIn INTEGER,
    retailerId INTEGER NOT NULL REFERENCES retailers (id),
    attributes TEXT NOT NULL DEFAULT '[]',
    createdOn INTEGER NOT NULL, updatedOn INTEGER NOT NULL
);
CREATE INDEX customers_ref ON customers (ref);
CREATE INDEX customers_primaryEmail ON customers (primaryEmail);
CREATE INDEX customers_createdOn ON customers (createdOn);
CREATE TABLE productCatalogues (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ref TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL, workflowRef TEXT NOT NULL,
    workflowVersion INTEGER NOT NULL, status TEXT,
    name TEXT NOT NULL, description TEXT,
    retailerRefs TEXT NOT NULL DEFAULT '[]',
    attributes TEXT NOT NULL DEFAULT '[]',
    createdOn INTEGER NOT NULL, updatedOn INTEGER NOT NULL
);
CREATE TABLE standardProducts (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    catalogueId INTEGER NOT NULL REFERENCES productCatalogues (id),
    ref TEXT NOT NULL,
    type TEXT NOT NULL, workflowRef TEXT NOT NULL,
    workflowVersion INTEGER NOT NULL, status TEXT,
    gtin TEXT NOT NULL, name TEXT NOT NULL, summary TEXT,
    prices TEXT NOT NULL DEFAULT '[]', tax TEXT,
    attributes TEXT NOT NULL DEFAULT '[]',
    createdOn INTEGER NOT NULL, updatedOn INTEGER NOT NULL,
    UNIQUE (catalogueId, ref)
);
CREATE INDEX standardProducts_ref ON standardProducts (ref);
CREATE INDEX standardProducts_gtin ON standardProducts (gtin);
CREATE INDEX standardProducts_createdOn ON standardProducts (createdOn);
"""

# What version 2 adds to a version-1 database (and to a new one, after _DDL).
_DDL_V2 = """
ALTER TABLE locations ADD COLUMN supportPhoneNumber TEXT;
ALTER TABLE locations ADD COLUMN defaultCarrier TEXT;
ALTER TABLE locations ADD COLUMN defaultCarrierName TEXT;
ALTER TABLE locations ADD COLUMN openingSchedule TEXT;
CREATE UNIQUE INDEX locations_ref ON locations (ref);
CREATE TABLE addresses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    __typename TEXT NOT NULL,
    ref TEXT, type TEXT, companyName TEXT, name TEXT, street TEXT, street2 TEXT,
    city TEXT, state TEXT, postcode TEXT, region TEXT, country TEXT, email TEXT,
    latitude REAL, longitude REAL, timeZone TEXT, directions TEXT,
    locationId INTEGER REFERENCES locations (id),
    createdOn INTEGER NOT NULL, updatedOn INTEGER NOT NULL
);
CREATE INDEX addresses_locationId ON addresses (locationId);
CREATE TABLE orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ref TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL, status TEXT,
    workflowRef TEXT NOT NULL, workflowVersion INTEGER NOT NULL,
    retailerId INTEGER NOT NULL REFERENCES retailers (id),
    customerId INTEGER REFERENCES customers (id),
    paymentRef TEXT, totalPrice REAL, totalTaxPrice REAL,
    attributes TEXT NOT NULL DEFAULT '[]',
    createdOn INTEGER NOT NULL, updatedOn INTEGER NOT NULL
);
CREATE INDEX orders_customerId ON orders (customerId);
CREATE INDEX orders_updatedOn ON orders (updatedOn);
CREATE TABLE fulfilmentChoices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    orderId INTEGER NOT NULL REFERENCES orders (id),
    ref TEXT, type TEXT NOT NULL, status TEXT,
    workflowRef TEXT NOT NULL, workflowVersion INTEGER NOT NULL,
    currency TEXT, deliverAfter INTEGER, deliverBefore INTEGER,
    deliveryAddressId INTEGER REFERENCES addresses (id),
    deliveryContact TEXT, deliveryEmail TEXT, deliveryFirstName TEXT,
    deliveryInstruction TEXT, deliveryLastName TEXT, deliveryType TEXT NOT NULL,
    dispatchOn INTEGER, fulfilmentPrice REAL, fulfilmentTaxPrice REAL,
    fulfilmentType TEXT, pickupLocationRef TEXT,
    attributes TEXT NOT NULL DEFAULT '[]',
    createdOn INTEGER NOT NULL, updatedOn INTEGER NOT NULL
);
CREATE INDEX fulfilmentChoices_orderId ON fulfilmentChoices (orderId);
CREATE TABLE orderItems (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    orderId INTEGER NOT NULL REFERENCES orders (id),
    ref TEXT NOT NULL,
    productId TEXT NOT NULL REFERENCES standardProducts (id),
    productRef TEXT NOT NULL, productCatalogueRef TEXT,
    fulfilmentChoiceId INTEGER REFERENCES fulfilmentChoices (id),
    status TEXT NOT NULL, quantity INTEGER NOT NULL,
    paidPrice REAL, currency TEXT, price REAL, taxPrice REAL, taxType TEXT,
    totalPrice REAL, totalTaxPrice REAL,
    attributes TEXT NOT NULL DEFAULT '[]',
    createdOn INTEGER NOT NULL, updatedOn INTEGER NOT NULL,
    UNIQUE (orderId, ref)
);
CREATE TABLE fulfilments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    orderId INTEGER NOT NULL REFERENCES orders (id),
    ref TEXT NOT NULL, type TEXT NOT NULL, status TEXT,
    workflowRef TEXT NOT NULL, workflowVersion INTEGER NOT NULL,
    retailerId INTEGER REFERENCES retailers (id),
    customerId INTEGER REFERENCES customers (id),
    deliveryType TEXT, eta TEXT, expiryTime INTEGER,
    fromAddressId INTEGER REFERENCES addresses (id),
    toAddressId INTEGER REFERENCES addresses (id),
    fromLocationId INTEGER REFERENCES locations (id),
    fulfilmentChoiceRef TEXT,
    attributes TEXT NOT NULL DEFAULT '[]',
    createdOn INTEGER NOT NULL, updatedOn INTEGER NOT NULL,
    UNIQUE (orderId, ref)
);
CREATE INDEX fulfilments_fromLocationId ON fulfilments (fromLocationId);
CREATE TABLE fulfilmentItems (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    fulfilmentId INTEGER NOT NULL REFERENCES fulfilments (id),
    orderItemId INTEGER NOT NULL REFERENCES orderItems (id),
    ref TEXT NOT NULL, status TEXT NOT NULL,
    requestedQuantity INTEGER, filledQuantity INTEGER NOT NULL,
    rejectedQuantity INTEGER NOT NULL,
    UNIQUE (fulfilmentId, ref)
);
CREATE TABLE inventoryCatalogues (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ref TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL, workflowRef TEXT NOT NULL,
    workflowVersion INTEGER NOT NULL, status TEXT,
    name TEXT NOT NULL, description TEXT,
    retailerRefs TEXT NOT NULL DEFAULT '[]',
    attributes TEXT NOT NULL DEFAULT '[]',
    createdOn INTEGER NOT NULL, updatedOn INTEGER NOT NULL
);
CREATE TABLE inventoryPositions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    catalogueId INTEGER NOT NULL REFERENCES inventoryCatalogues (id),
    ref TEXT NOT NULL, type TEXT NOT NULL, status TEXT,
    workflowRef TEXT NOT NULL, workflowVersion INTEGER NOT NULL,
    productRef TEXT NOT NULL, locationRef TEXT, onHand INTEGER,
    attributes TEXT NOT NULL DEFAULT '[]',
    createdOn INTEGER NOT NULL, updatedOn INTEGER NOT NULL,
    UNIQUE (catalogueId, ref)
);
CREATE INDEX inventoryPositions_productRef ON inventoryPositions (productRef);
CREATE INDEX inventoryPositions_locationRef ON inventoryPositions (locationRef);
CREATE TABLE inventoryQuantities (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    catalogueId INTEGER NOT NULL REFERENCES inventoryCatalogues (id),
    positionId INTEGER NOT NULL REFERENCES inventoryPositions (id),
    ref TEXT NOT NULL, type TEXT NOT NULL, status TEXT,
    workflowRef TEXT NOT NULL, workflowVersion INTEGER NOT NULL,
    quantity INTEGER, condition TEXT, expectedOn INTEGER, storageAreaRef TEXT,
    attributes TEXT NOT NULL DEFAULT '[]',
    createdOn INTEGER NOT NULL, updatedOn INTEGER NOT NULL,
    UNIQUE (catalogueId, ref)
);
CREATE INDEX inventoryQuantities_positionId ON inventoryQuantities (positionId);
"""

_MIGRATIONS = {0: _DDL + _DDL_V2, 1: _DDL_V2}
"""The DDL that brings a database of a version (0: empty) to SCHEMA_VERSION."""


@dataclass(frozen=True)
class Table:
    """A stored entity type: its table, its paging order column and its columns."""

    name: str
    order_by: str
    columns: frozenset[str]


def _table(name: str, order_by: str, columns: str) -> Table:
    return Table(name, order_by, frozenset(columns.split()))


_AUDIT = "createdOn updatedOn"
RETAILERS = _table(
    "retailers",
    "id",
    "id ref status summary websiteUrl websiteUrlName primaryEmail "
    f"supportContactName supportEmail supportPhone tradingName {_AUDIT}",
)
LOCATIONS = _table(
    "locations",
    "id",
    "id ref type status name retailerId attributes supportPhoneNumber "
    f"defaultCarrier defaultCarrierName openingSchedule {_AUDIT}",
)
USERS = _table(
    "users",
    "id",
    "id ref username title firstName lastName primaryEmail primaryPhone type "
    "status attributes department country timezone language promotionOptIn "
    f"primaryRetailerId primaryLocationId roles {_AUDIT}",
)
CUSTOMERS = _table(
    "customers",
    "id",
    "id ref username status title department country firstName lastName "
    "primaryEmail primaryPhone timezone promotionOptIn retailerId attributes "
    f"{_AUDIT}",
)
CATALOGUES = _table(
    "productCatalogues",
    "id",
    "id ref type workflowRef workflowVersion status name description "
    f"retailerRefs attributes {_AUDIT}",
)
STANDARD_PRODUCTS = _table(
    "standardProducts",
    "seq",
    "seq id catalogueId ref type workflowRef workflowVersion status gtin name "
    f"summary prices tax attributes {_AUDIT}",
)
ADDRESSES = _table(
    "addresses",
    "id",
    "id __typename ref type companyName name street street2 city state postcode "
    f"region country email latitude longitude timeZone directions locationId {_AUDIT}",
)
_WORKFLOW = "ref type status workflowRef workflowVersion"
ORDERS = _table(
    "orders",
    "id",
    f"id {_WORKFLOW} retailerId customerId paymentRef totalPrice totalTaxPrice "
    f"attributes {_AUDIT}",
)
FULFILMENT_CHOICES = _table(
    "fulfilmentChoices",
    "id",
    f"id orderId {_WORKFLOW} currency deliverAfter deliverBefore deliveryAddressId "
    "deliveryContact deliveryEmail deliveryFirstName deliveryInstruction "
    "deliveryLastName deliveryType dispatchOn fulfilmentPrice fulfilmentTaxPrice "
    f"fulfilmentType pickupLocationRef attributes {_AUDIT}",
)
ORDER_ITEMS = _table(
    "orderItems",
    "id",
    "id orderId ref productId productRef productCatalogueRef fulfilmentChoiceId "
    "status quantity paidPrice currency price taxPrice taxType totalPrice "
    f"totalTaxPrice attributes {_AUDIT}",
)
FULFILMENTS = _table(
    "fulfilments",
    "id",
    f"id orderId {_WORKFLOW} retailerId customerId deliveryType eta expiryTime "
    "fromAddressId toAddressId fromLocationId fulfilmentChoiceRef attributes "
    f"{_AUDIT}",
)
FULFILMENT_ITEMS = _table(
    "fulfilmentItems",
    "id",
    "id fulfilmentId orderItemId ref status requestedQuantity filledQuantity "
    "rejectedQuantity",
)
INVENTORY_CATALOGUES = _table(
    "inventoryCatalogues",
    "id",
    "id ref type workflowRef workflowVersion status name description "
    f"retailerRefs attributes {_AUDIT}",
)
INVENTORY_POSITIONS = _table(
    "inventoryPositions",
    "id",
    f"id catalogueId {_WORKFLOW} productRef locationRef onHand attributes {_AUDIT}",
)
INVENTORY_QUANTITIES = _table(
    "inventoryQuantities",
    "id",
    f"id catalogueId positionId {_WORKFLOW} quantity condition expectedOn "
    f"storageAreaRef attributes {_AUDIT}",
)


@dataclass(frozen=True)
class RowId:
    """Stands for the id of an earlier row of the same :meth:`Store.insert_all`.

    Attributes:
        index: Position of that row in the call's list of rows.
    """

    index: int


class AlreadyExistsError(Exception):
    """Raised when an insert breaks a uniqueness rule (nothing is stored)."""


class StoreError(Exception):
    """Raised when a database file is not an emulator database of this version."""


@dataclass(frozen=True)
class Search:
    """Which rows to match.

    Attributes:
        any_of: Column name to accepted values; a row matches when its value equals
            any of them (``None`` matches NULL).
        between: Column name to an inclusive ``(from, to)`` time window; either end
            may be ``None``.
    """

    any_of: Mapping[str, Sequence[object]] = field(default_factory=dict)
    between: Mapping[str, tuple[datetime | None, datetime | None]] = field(
        default_factory=dict
    )


@dataclass(frozen=True)
class Window:
    """Which slice of the matches to return, by position in the paging order.

    ``after`` and ``before`` are exclusive positions. When ``last`` is set without
    ``first`` the slice is taken from the end.
    """

    first: int | None = None
    last: int | None = None
    after: int | None = None
    before: int | None = None


@dataclass(frozen=True)
class Page:
    """A slice of matching rows with their positions and Relay paging flags."""

    records: list[Record]
    positions: list[int]
    has_next: bool
    has_previous: bool


def now() -> datetime:
    """The current UTC time at the millisecond precision the store keeps."""
    moment = datetime.now(UTC)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def _to_millis(moment: datetime, *, round_up: bool = False) -> int:
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    if round_up:
        return -((_EPOCH - aware) // _MILLISECOND)
    return (aware - _EPOCH) // _MILLISECOND


def _from_millis(millis: int) -> datetime:
    return _EPOCH + millis * _MILLISECOND


def _encode(column: str, value: object) -> object:
    if value is None:
        return None
    if column in _JSON_COLUMNS:
        return json.dumps(value, separators=(",", ":"))
    if column in _TIME_COLUMNS and isinstance(value, datetime):
        return _to_millis(value)
    if column in _BOOL_COLUMNS:
        return int(bool(value))
    return value


def _decode(row: sqlite3.Row) -> Record:
    record: Record = {}
    for column, stored in zip(row.keys(), row, strict=True):
        value = stored
        if value is not None:
            if column in _JSON_COLUMNS:
                value = json.loads(value)
            elif column in _TIME_COLUMNS:
                value = _from_millis(value)
            elif column in _BOOL_COLUMNS:
                value = bool(value)
        record[column] = value
    return record


def _check_columns(table: Table, columns: Iterable[str]) -> None:
    unknown = set(columns) - table.columns
    if unknown:
        raise ValueError(f"{table.name} has no columns {sorted(unknown)}")


class Store:
    """Stores the emulated account's entities in SQLite.

    Args:
        path: A database file to use (created when missing), or ``None`` for a
            private in-memory database that vanishes on :meth:`close`.

    Raises:
        StoreError: The file is not a database of this emulator version.
        sqlite3.OperationalError: The file cannot be opened or created.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self._lock = threading.Lock()
        target = ":memory:" if path is None else os.fspath(path)
        self._conn = _connect(target)
        try:
            self._conn.execute(_FOREIGN_KEYS)
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            raise StoreError(f"{target} is not an emulator database: {exc}") from exc
        except StoreError:
            self._conn.close()
            raise

    def _migrate(self) -> None:
        with self._lock, self._conn:
            version = self._conn.execute("PRAGMA user_version").fetchone()[0]
            if version == SCHEMA_VERSION:
                return
            if version not in _MIGRATIONS:
                raise StoreError(
                    f"database schema version {version} is not {SCHEMA_VERSION}; "
                    "use a new database file"
                )
            self._conn.executescript(
                f"BEGIN; {_MIGRATIONS[version]} "
                f"PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
            )

    def copy(self) -> Store:
        """A new in-memory store holding what this one holds now.

        SQLite's backup API copies the pages, so this takes well under a
        millisecond for an emulator's seeded account, and the copy's row ids
        continue where this store's do.
        """
        twin = Store.__new__(Store)
        twin._lock = threading.Lock()
        twin._conn = _connect(":memory:")
        twin._conn.execute(_FOREIGN_KEYS)
        with self._lock:
            self._conn.backup(twin._conn)
        return twin

    def close(self) -> None:
        """Close the database; an in-memory database is discarded."""
        with self._lock:
            self._conn.close()

    def count(self, table: Table) -> int:
        """Count the rows of a table."""
        with self._lock:
            row = self._conn.execute(f"SELECT count(*) FROM {table.name}").fetchone()
        return int(row[0])

    def find_one(self, table: Table, criteria: Mapping[str, object]) -> Record | None:
        """Return the row whose columns equal every value in ``criteria``, if any."""
        _check_columns(table, criteria)
        where = " AND ".join(f"{column} = ?" for column in criteria) or "1"
        params = [_encode(column, value) for column, value in criteria.items()]
        with self._lock:
            row = self._conn.execute(
                f"SELECT * FROM {table.name} WHERE {where} LIMIT 1", params
            ).fetchone()
        return None if row is None else _decode(row)

    def insert(self, table: Table, values: Mapping[str, object]) -> Record:
        """Store one row and return it as stored.

        Raises:
            AlreadyExistsError: The row breaks a uniqueness rule.
        """
        return self.insert_all([(table, values)])[0]

    def insert_all(
        self, rows: Sequence[tuple[Table, Mapping[str, object]]]
    ) -> list[Record]:
        """Store several rows in one transaction: all of them or none.

        A value may be a :class:`RowId`: the id of an earlier row of the call, for
        tables whose ``id`` is the row id.

        Raises:
            AlreadyExistsError: A row breaks a uniqueness rule; nothing is stored.
        """
        inserted: list[tuple[Table, int]] = []
        with self._lock:
            try:
                with self._conn:
                    for table, values in rows:
                        _check_columns(table, values)
                        columns = ", ".join(values)
                        marks = ", ".join("?" for _ in values)
                        cursor = self._conn.execute(
                            f"INSERT INTO {table.name} ({columns}) VALUES ({marks})",
                            [
                                inserted[value.index][1]
                                if isinstance(value, RowId)
                                else _encode(column, value)
                                for column, value in values.items()
                            ],
                        )
                        inserted.append((table, int(cursor.lastrowid or 0)))
            except sqlite3.IntegrityError as exc:
                if "UNIQUE" not in str(exc):
                    raise
                raise AlreadyExistsError(str(exc)) from exc
            return [
                _decode(
                    self._conn.execute(
                        f"SELECT * FROM {table.name} WHERE rowid = ?", (rowid,)
                    ).fetchone()
                )
                for table, rowid in inserted
            ]

    def update_all(
        self, rows: Sequence[tuple[Table, object, Mapping[str, object]]]
    ) -> list[Record]:
        """Change rows, each given as ``(table, id, values)``, in one transaction.

        Returns the rows as stored afterwards, in the order given.

        Raises:
            LookupError: No row has one of the ids; nothing is changed.
            AlreadyExistsError: A change breaks a uniqueness rule; nothing is
                changed.
        """
        with self._lock:
            try:
                with self._conn:
                    for table, row_id, values in rows:
                        self._update(table, row_id, values)
            except sqlite3.IntegrityError as exc:
                if "UNIQUE" not in str(exc):
                    raise
                raise AlreadyExistsError(str(exc)) from exc
            return [
                _decode(
                    self._conn.execute(
                        f"SELECT * FROM {table.name} WHERE id = ?", (row_id,)
                    ).fetchone()
                )
                for table, row_id, _ in rows
            ]

    def _update(
        self, table: Table, row_id: object, values: Mapping[str, object]
    ) -> None:
        _check_columns(table, [*values, "id"])
        assignments = ", ".join(f"{column} = ?" for column in values) or "id = id"
        cursor = self._conn.execute(
            f"UPDATE {table.name} SET {assignments} WHERE id = ?",
            [*(_encode(column, value) for column, value in values.items()), row_id],
        )
        if cursor.rowcount == 0:
            raise LookupError(f"{table.name} has no row with id {row_id}")

    def search(self, table: Table, search: Search, window: Window) -> Page:
        """Return one page of the rows matching ``search``, in paging order."""
        where, params = _where(table, search)
        order = table.order_by
        bounds, bound_params = list(where), list(params)
        if window.after is not None:
            bounds.append(f"{order} > ?")
            bound_params.append(window.after)
        if window.before is not None:
            bounds.append(f"{order} < ?")
            bound_params.append(window.before)
        from_end = window.last is not None and window.first is None
        limit = (window.last if from_end else window.first) or 0
        sql = (
            f"SELECT * FROM {table.name} WHERE {' AND '.join(bounds) or '1'} "
            f"ORDER BY {order} {'DESC' if from_end else 'ASC'} LIMIT ?"
        )
        with self._lock:
            rows = self._conn.execute(sql, [*bound_params, limit + 1]).fetchall()
            more = len(rows) > limit
            rows = rows[:limit]
            if from_end:
                rows.reverse()
                has_previous = more
                has_next = window.before is not None and self._exists(
                    table, where, params, f"{order} >= ?", window.before
                )
            else:
                has_next = more
                has_previous = window.after is not None and self._exists(
                    table, where, params, f"{order} <= ?", window.after
                )
                if window.last is not None and len(rows) > window.last:
                    rows = rows[len(rows) - window.last :]
                    has_previous = True
        return Page(
            records=[_decode(row) for row in rows],
            positions=[int(row[order]) for row in rows],
            has_next=has_next,
            has_previous=has_previous,
        )

    def _exists(
        self,
        table: Table,
        where: list[str],
        params: list[object],
        bound: str,
        position: int,
    ) -> bool:
        sql = (
            f"SELECT 1 FROM {table.name} WHERE {' AND '.join([*where, bound])} LIMIT 1"
        )
        return self._conn.execute(sql, [*params, position]).fetchone() is not None


_FOREIGN_KEYS = "PRAGMA foreign_keys = ON"
"""Per connection: a copy made with the backup API does not inherit it."""


def _connect(target: str) -> sqlite3.Connection:
    # One connection serves every request thread; the store's lock serialises them.
    conn = sqlite3.connect(target, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    return conn


def _where(table: Table, search: Search) -> tuple[list[str], list[object]]:
    _check_columns(table, [*search.any_of, *search.between])
    clauses: list[str] = []
    params: list[object] = []
    for column, values in search.any_of.items():
        present = [_encode(column, value) for value in values if value is not None]
        options = (
            [f"{column} IN ({', '.join('?' for _ in present)})"] if present else []
        )
        if len(present) < len(values):
            options.append(f"{column} IS NULL")
        clauses.append(f"({' OR '.join(options)})" if options else "0")
        params.extend(present)
    for column, (start, end) in search.between.items():
        if start is not None:
            clauses.append(f"{column} >= ?")
            # Stored times have millisecond precision: round a finer lower bound up
            # so that a row just before it is not matched.
            params.append(_to_millis(start, round_up=True))
        if end is not None:
            clauses.append(f"{column} <= ?")
            params.append(_to_millis(end))
    return clauses, params
