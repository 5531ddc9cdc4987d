"""The account every emulator starts with: a retailer, location, user, catalogues."""

from __future__ import annotations

from dataclasses import dataclass

from fluent_gql.emulator._store import (
    CATALOGUES,
    INVENTORY_CATALOGUES,
    LOCATIONS,
    RETAILERS,
    USERS,
    Record,
    Store,
    now,
)

RETAILER_ID = 1
RETAILER_REF = "EMULATOR-RETAILER"
LOCATION_ID = 1
CATALOGUE_REF = "PC:MASTER:1"
CATALOGUE_TYPE = "MASTER"
INVENTORY_CATALOGUE_TYPE = "DEFAULT"
INVENTORY_CATALOGUE_REF = f"{INVENTORY_CATALOGUE_TYPE}:{RETAILER_ID}"
"""Fluent names a retailer's default inventory catalogue ``DEFAULT:<retailerId>``."""

ADMIN_PERMISSIONS = (
    "CUSTOMER_CREATE",
    "CUSTOMER_UPDATE",
    "CUSTOMER_VIEW",
    "FULFILMENT_CREATE",
    "FULFILMENT_UPDATE",
    "FULFILMENT_VIEW",
    "INVENTORYCATALOGUE_VIEW",
    "INVENTORYPOSITION_CREATE",
    "INVENTORYPOSITION_UPDATE",
    "INVENTORYPOSITION_VIEW",
    "INVENTORYQUANTITY_CREATE",
    "INVENTORYQUANTITY_UPDATE",
    "INVENTORYQUANTITY_VIEW",
    "LOCATION_CREATE",
    "LOCATION_UPDATE",
    "LOCATION_VIEW",
    "ORDER_CREATE",
    "ORDER_UPDATE",
    "ORDER_VIEW",
    "PRODUCT_CREATE",
    "PRODUCT_UPDATE",
    "PRODUCT_VIEW",
    "PRODUCTCATALOGUE_VIEW",
    "RETAILER_VIEW",
    "SETTING_VIEW",
    "USER_VIEW",
)


@dataclass(frozen=True)
class SeededAccount:
    """What the seed guarantees exists, for callers that build requests."""

    retailer_id: str
    catalogue_ref: str
    inventory_catalogue_ref: str = INVENTORY_CATALOGUE_REF


def seed(store: Store, username: str) -> SeededAccount:
    """Seed an empty store, and make sure a user named ``username`` exists.

    A database file keeps its data: the account is only created when the store has
    no retailer. The login user is added on its own when a later run is given
    different credentials, so the emulator can always sign that user in.
    """
    if store.count(RETAILERS) == 0:
        _seed_account(store)
    if store.find_one(USERS, {"username": username}) is None:
        store.insert(USERS, _admin_user(username))
    # A database written before inventory was emulated has the account but not
    # the inventory catalogue.
    if store.find_one(INVENTORY_CATALOGUES, {"ref": INVENTORY_CATALOGUE_REF}) is None:
        store.insert(INVENTORY_CATALOGUES, _inventory_catalogue())
    return SeededAccount(retailer_id=str(RETAILER_ID), catalogue_ref=CATALOGUE_REF)


def _seed_account(store: Store) -> None:
    created = now()
    audit = {"createdOn": created, "updatedOn": created}
    store.insert_all(
        [
            (
                RETAILERS,
                {
                    "id": RETAILER_ID,
                    "ref": RETAILER_REF,
                    "status": "ACTIVE",
                    "summary": "The retailer of the fluent-gql emulator",
                    "tradingName": "Emulator Retailer",
                    "primaryEmail": "retailer@emulator.invalid",
                    "websiteUrl": "https://emulator.invalid",
                    "websiteUrlName": "Emulator Retailer",
                    "supportContactName": "Emulator Support",
                    "supportEmail": "support@emulator.invalid",
                    "supportPhone": "+61 2 0000 0000",
                    **audit,
                },
            ),
            (
                LOCATIONS,
                {
                    "id": LOCATION_ID,
                    "ref": "EMULATOR-WAREHOUSE",
                    "type": "WAREHOUSE",
                    "status": "ACTIVE",
                    "name": "Emulator Warehouse",
                    "retailerId": RETAILER_ID,
                    "attributes": [],
                    **audit,
                },
            ),
            (
                CATALOGUES,
                {
                    "ref": CATALOGUE_REF,
                    "type": CATALOGUE_TYPE,
                    "workflowRef": f"PRODUCT_CATALOGUE::{CATALOGUE_TYPE}",
                    "workflowVersion": 1,
                    "status": "ACTIVE",
                    "name": "Master catalogue",
                    "description": "The emulator's product catalogue",
                    "retailerRefs": [RETAILER_REF],
                    "attributes": [],
                    **audit,
                },
            ),
        ]
    )


def _inventory_catalogue() -> Record:
    created = now()
    return {
        "ref": INVENTORY_CATALOGUE_REF,
        "type": INVENTORY_CATALOGUE_TYPE,
        "workflowRef": f"INVENTORY_CATALOGUE::{INVENTORY_CATALOGUE_TYPE}",
        "workflowVersion": 1,
        "status": "ACTIVE",
        "name": "Default inventory catalogue",
        "description": "The emulator's inventory catalogue",
        "retailerRefs": [RETAILER_REF],
        "attributes": [],
        "createdOn": created,
        "updatedOn": created,
    }


def _admin_user(username: str) -> Record:
    created = now()
    return {
        "ref": username,
        "username": username,
        "title": None,
        "firstName": "Emulator",
        "lastName": "Admin",
        "primaryEmail": "admin@emulator.invalid",
        "primaryPhone": None,
        "type": "ADMIN",
        "status": "ACTIVE",
        "attributes": [],
        "department": "Engineering",
        "country": "Australia",
        "timezone": "UTC",
        "language": {"value": "en", "label": "English"},
        "promotionOptIn": False,
        "primaryRetailerId": RETAILER_ID,
        "primaryLocationId": LOCATION_ID,
        "roles": [
            {
                "role": {
                    "id": "1",
                    "name": "ADMIN",
                    "permissions": [{"name": name} for name in ADMIN_PERMISSIONS],
                },
                "contexts": [
                    {"contextType": "RETAILER", "contextId": str(RETAILER_ID)}
                ],
            }
        ],
        "createdOn": created,
        "updatedOn": created,
    }
