"""Products: ``standardProduct(s)``, ``product``, ``productCatalogue``, creating one.

A product lives in a product catalogue and is keyed by ref within it; it runs
in the catalogue's workflow (``PRODUCT_CATALOGUE::<type>``). Standard products
are the only kind stored, so a ``Product`` is always a ``StandardProduct``.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from graphql import GraphQLFieldResolver, GraphQLResolveInfo

from fluent_gql.emulator._errors import DUPLICATE_PRODUCT_REF, NOT_FOUND, fluent_error
from fluent_gql.emulator._shared import (
    Args,
    check_lengths,
    in_catalogue,
    link,
    page,
    require,
    require_input,
    store_of,
    unique_by,
)
from fluent_gql.emulator._store import (
    CATALOGUES,
    STANDARD_PRODUCTS,
    AlreadyExistsError,
    Record,
    now,
)

PRODUCT_MAX_LENGTHS: Mapping[str, int] = {
    "ref": 100,
    "type": 50,
    "gtin": 20,
    "name": 255,
    "summary": 255,
}
KEY_MAX_LENGTH = 100
"""Catalogue refs and tax type fields."""

PRODUCT_LIST_FILTERS = (
    "ref",
    "type",
    "workflowRef",
    "workflowVersion",
    "status",
    "gtin",
    "name",
    "summary",
)


def as_product(found: Record | None) -> Record | None:
    """A stored standard product typed for the ``Product`` interface."""
    return None if found is None else {**found, "__typename": "StandardProduct"}


def resolve_standard_product(
    _root: object, info: GraphQLResolveInfo, ref: str, catalogue: Args
) -> Record | None:
    """A standard product by ref within a catalogue."""
    return in_catalogue(store_of(info), CATALOGUES, STANDARD_PRODUCTS, ref, catalogue)


def resolve_product(
    root: object, info: GraphQLResolveInfo, ref: str, catalogue: Args
) -> Record | None:
    """A product of any kind by ref within a catalogue (only standard ones exist)."""
    return as_product(resolve_standard_product(root, info, ref, catalogue))


def resolve_standard_products(
    _root: object, info: GraphQLResolveInfo, **args: Any
) -> Args:
    """Search standard products, optionally within one catalogue."""
    within: dict[str, list[object]] = {}
    if args.get("catalogue") is not None:
        found = store_of(info).find_one(CATALOGUES, {"ref": args["catalogue"]["ref"]})
        # An unknown catalogue holds no products: an empty page, not an error.
        within["catalogueId"] = [] if found is None else [found["id"]]
    return page(info, STANDARD_PRODUCTS, args, PRODUCT_LIST_FILTERS, within=within)


def resolve_product_catalogue(
    _root: object, info: GraphQLResolveInfo, ref: str
) -> Record | None:
    """A product catalogue by ref."""
    return store_of(info).find_one(CATALOGUES, {"ref": ref})


def _check_product_lengths(data: Args) -> None:
    check_lengths(data, PRODUCT_MAX_LENGTHS)
    check_lengths(data["catalogue"], {"ref": KEY_MAX_LENGTH}, "catalogue.")
    if data.get("taxType") is not None:
        limits = dict.fromkeys(("country", "group", "tariff"), KEY_MAX_LENGTH)
        check_lengths(data["taxType"], limits, "taxType.")


def _reject_links(data: Args, catalogue_ref: str) -> None:
    # The emulator has no categories or variant products, so any given is unknown.
    for argument, kind in (("categories", "Category"), ("variants", "VariantProduct")):
        for key in data.get(argument) or []:
            if key is not None:
                raise fluent_error(
                    NOT_FOUND,
                    f"{kind} with ref {key.get('ref')} not found in catalogue "
                    f"{catalogue_ref}",
                )


def resolve_create_standard_product(
    _root: object, info: GraphQLResolveInfo, **args: Any
) -> Record:
    """Create a standard product in an existing catalogue.

    Raises:
        GraphQLError: ``C0140E`` without input, ``C0141E`` for a field that is too
            long, ``C0120E`` for an unknown catalogue, category or variant,
            ``C0128E`` for a ref already used in the catalogue.
    """
    data = require_input(args)
    _check_product_lengths(data)
    store = store_of(info)
    catalogue_ref = data["catalogue"]["ref"]
    catalogue = require(
        store.find_one(CATALOGUES, {"ref": catalogue_ref}),
        "ProductCatalogue",
        f"ref {catalogue_ref}",
    )
    _reject_links(data, catalogue_ref)
    created = now()
    try:
        return store.insert(
            STANDARD_PRODUCTS,
            {
                "id": str(uuid.uuid4()),
                "catalogueId": catalogue["id"],
                "ref": data["ref"],
                "type": data["type"],
                "workflowRef": f"PRODUCT_CATALOGUE::{catalogue['type']}",
                "workflowVersion": 1,
                "status": "CREATED",
                "gtin": data["gtin"],
                "name": data["name"],
                "summary": data.get("summary"),
                "prices": unique_by(
                    data.get("prices"), lambda p: (p["type"], p["currency"])
                ),
                "tax": data.get("taxType"),
                "attributes": unique_by(data.get("attributes"), lambda a: a["name"]),
                "createdOn": created,
                "updatedOn": created,
            },
        )
    except AlreadyExistsError:
        raise fluent_error(
            DUPLICATE_PRODUCT_REF,
            f"StandardProduct with ref {data['ref']} already exists in catalogue "
            f"{catalogue_ref}",
        ) from None


RESOLVERS: Mapping[str, Mapping[str, GraphQLFieldResolver]] = {
    "Query": {
        "standardProduct": resolve_standard_product,
        "standardProducts": resolve_standard_products,
        "product": resolve_product,
        "productCatalogue": resolve_product_catalogue,
    },
    "Mutation": {"createStandardProduct": resolve_create_standard_product},
    "StandardProduct": {"catalogue": link(CATALOGUES, "catalogueId")},
}
