"""createCustomer and createStandardProduct: stored values, defaults, error codes."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from .support import (
    CREATE_CUSTOMER,
    CREATE_PRODUCT,
    Api,
    StartServer,
    customer_input,
    product_input,
)


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value)


def test_create_customer_stores_every_input_field(api: Api) -> None:
    """All input fields come back; Fluent's own fields are filled in."""
    fields = customer_input(
        title="Dr",
        department="Research",
        country="Australia",
        primaryPhone="+61 400 000 000",
        promotionOptIn=True,
        attributes=[
            {"name": "loyaltyTier", "type": "STRING", "value": "Gold"},
            {
                "name": "prefs",
                "type": "JSON",
                "value": {"sms": False, "tags": [1, "a"]},
            },
        ],
    )
    before = datetime.now(UTC) - timedelta(seconds=1)

    made = api.data(CREATE_CUSTOMER, {"input": fields})["createCustomer"]

    assert made["id"].isdigit()
    assert made["ref"] == made["username"] == fields["username"]
    assert made["status"] == "ACTIVE"
    for name in (
        "title",
        "department",
        "country",
        "firstName",
        "lastName",
        "primaryEmail",
        "primaryPhone",
        "timezone",
        "promotionOptIn",
        "attributes",
    ):
        assert made[name] == fields[name], name
    assert made["retailer"] == {"id": "1", "ref": "EMULATOR-RETAILER"}
    assert made["createdOn"] == made["updatedOn"]
    assert before <= _parse(made["createdOn"]) <= datetime.now(UTC)


def test_optional_customer_fields_default_to_null(api: Api) -> None:
    """Leaving optional fields out stores nulls and no attributes."""
    fields = customer_input()
    del fields["lastName"]

    made = api.data(CREATE_CUSTOMER, {"input": fields})["createCustomer"]

    assert [made[n] for n in ("title", "department", "lastName", "primaryPhone")] == [
        None,
        None,
        None,
        None,
    ]
    assert made["attributes"] == []


def test_customer_ids_come_from_a_sequence(api: Api) -> None:
    """Each new customer gets the next numeric id."""
    first = int(api.create_customer()["id"])
    second = int(api.create_customer()["id"])

    assert second == first + 1


def test_attributes_with_the_same_name_are_merged(api: Api) -> None:
    """A later attribute of the same name updates the earlier one in place."""
    made = api.create_customer(
        attributes=[
            {"name": "a", "type": "STRING", "value": "1"},
            {"name": "b", "type": "STRING", "value": "2"},
            {"name": "a", "type": "INTEGER", "value": 3},
        ]
    )

    assert made["attributes"] == [
        {"name": "a", "type": "INTEGER", "value": 3},
        {"name": "b", "type": "STRING", "value": "2"},
    ]


def test_a_duplicate_username_is_c0123e_and_stores_nothing(
    start_server: StartServer,
) -> None:
    """The second customer with a username fails and the count stays at one."""
    api = start_server()
    api.login()
    fields = customer_input()
    api.data(CREATE_CUSTOMER, {"input": fields})

    error = api.error(CREATE_CUSTOMER, {"input": {**fields, "firstName": "Other"}})

    assert error["extensions"] == {"code": "C0123E"}
    assert error["message"] == (
        f"Customer with username {fields['username']} already exists"
    )
    assert error["path"] == ["createCustomer"]
    assert api.emulator.customer_count() == 1


@pytest.mark.parametrize("retailer_id", ["2", "abc", "0"])
def test_an_unknown_retailer_is_c0120e(api: Api, retailer_id: str) -> None:
    """Customers need an existing retailer."""
    fields = customer_input(retailer={"id": retailer_id})

    error = api.error(CREATE_CUSTOMER, {"input": fields})

    assert error["extensions"] == {"code": "C0120E"}
    assert error["message"] == f"Retailer with id {retailer_id} not found"


CUSTOMER_LIMITS = [
    ("username", 250),
    ("title", 50),
    ("country", 100),
    ("firstName", 50),
    ("lastName", 50),
    ("primaryEmail", 250),
    ("primaryPhone", 20),
    ("timezone", 32),
    ("department", 255),
]


@pytest.mark.parametrize(("field", "limit"), CUSTOMER_LIMITS)
def test_customer_fields_have_maximum_lengths(api: Api, field: str, limit: int) -> None:
    """One character over the limit is C0141E naming the field; the limit is fine."""
    at_limit = customer_input(**{field: "x" * limit})
    over = customer_input(**{field: "x" * (limit + 1)})

    made = api.data(CREATE_CUSTOMER, {"input": at_limit})["createCustomer"]
    error = api.error(CREATE_CUSTOMER, {"input": over})

    assert made[field] == "x" * limit
    assert error["extensions"] == {"code": "C0141E"}
    assert f"'{field}'" in error["message"]
    assert f"at most {limit} characters" in error["message"]


def test_a_null_input_is_c0140e(api: Api) -> None:
    """The SDL lets ``input`` be null; the emulator refuses it with a code."""
    error = api.error(CREATE_CUSTOMER, {"input": None})

    assert error["extensions"] == {"code": "C0140E"}


def test_a_missing_required_input_field_is_a_request_error(api: Api) -> None:
    """Variable coercion errors come from graphql-core with no data key."""
    fields = customer_input()
    del fields["timezone"]

    body = api.execute(CREATE_CUSTOMER, {"input": fields})

    assert "data" not in body
    assert "timezone" in body["errors"][0]["message"]


def test_create_product_stores_fields_and_fluent_defaults(api: Api) -> None:
    """Status CREATED, workflow from the catalogue type, prices and tax kept."""
    fields = product_input(
        api.emulator.catalogue_ref,
        summary="A fine widget",
        attributes=[{"name": "colour", "type": "STRING", "value": "red"}],
        prices=[
            {"type": "RRP", "currency": "AUD", "value": 19.95},
            {"type": "SALE", "currency": "AUD", "value": 15},
        ],
        taxType={"country": "AU", "group": "GST", "tariff": "10"},
    )

    made = api.data(CREATE_PRODUCT, {"input": fields})["createStandardProduct"]

    assert uuid.UUID(made["id"]).version == 4
    assert (made["ref"], made["type"], made["gtin"], made["name"]) == (
        fields["ref"],
        "STANDARD",
        fields["gtin"],
        "Widget",
    )
    assert made["summary"] == "A fine widget"
    assert made["status"] == "CREATED"
    assert (made["workflowRef"], made["workflowVersion"]) == (
        "PRODUCT_CATALOGUE::MASTER",
        1,
    )
    assert made["prices"] == [
        {"type": "RRP", "currency": "AUD", "value": 19.95},
        {"type": "SALE", "currency": "AUD", "value": 15.0},
    ]
    assert made["tax"] == {"country": "AU", "group": "GST", "tariff": "10"}
    assert made["attributes"] == fields["attributes"]
    assert made["catalogue"] == {"ref": "PC:MASTER:1", "type": "MASTER"}
    assert made["createdOn"] == made["updatedOn"]


def test_prices_with_the_same_type_and_currency_are_merged(api: Api) -> None:
    """The last price of a type and currency wins."""
    made = api.create_product(
        prices=[
            {"type": "RRP", "currency": "AUD", "value": 1},
            {"type": "RRP", "currency": "USD", "value": 2},
            {"type": "RRP", "currency": "AUD", "value": 3},
        ]
    )

    assert made["prices"] == [
        {"type": "RRP", "currency": "AUD", "value": 3.0},
        {"type": "RRP", "currency": "USD", "value": 2.0},
    ]


def test_a_product_without_optional_fields_has_empty_lists_and_no_tax(
    api: Api,
) -> None:
    """Without prices, attributes or tax: empty lists and null."""
    made = api.create_product()

    assert (made["prices"], made["attributes"], made["tax"], made["summary"]) == (
        [],
        [],
        None,
        None,
    )


def test_a_duplicate_product_ref_is_c0128e_and_stores_nothing(
    start_server: StartServer,
) -> None:
    """A ref is unique within its catalogue."""
    api = start_server()
    api.login()
    fields = product_input(api.emulator.catalogue_ref)
    api.data(CREATE_PRODUCT, {"input": fields})

    error = api.error(CREATE_PRODUCT, {"input": {**fields, "name": "Other"}})

    assert error["extensions"] == {"code": "C0128E"}
    assert error["message"] == (
        f"StandardProduct with ref {fields['ref']} already exists in catalogue "
        "PC:MASTER:1"
    )
    assert api.emulator.product_count() == 1


def test_an_unknown_catalogue_is_c0120e(api: Api) -> None:
    """Products need an existing catalogue."""
    error = api.error(CREATE_PRODUCT, {"input": product_input("PC:NOPE")})

    assert error["extensions"] == {"code": "C0120E"}
    assert error["message"] == "ProductCatalogue with ref PC:NOPE not found"


@pytest.mark.parametrize(
    ("link", "value", "kind"),
    [
        (
            "categories",
            [{"ref": "CAT-1", "catalogue": {"ref": "PC:MASTER:1"}}],
            "Category",
        ),
        (
            "variants",
            [{"ref": "VAR-1", "catalogue": {"ref": "PC:MASTER:1"}}],
            "VariantProduct",
        ),
    ],
)
def test_categories_and_variants_do_not_exist(
    api: Api, link: str, value: list[dict[str, Any]], kind: str
) -> None:
    """The emulator has no categories or variants, so naming one is C0120E."""
    fields = product_input(api.emulator.catalogue_ref, **{link: value})

    error = api.error(CREATE_PRODUCT, {"input": fields})

    assert error["extensions"] == {"code": "C0120E"}
    assert error["message"].startswith(f"{kind} with ref")


def test_empty_category_and_variant_lists_are_fine(api: Api) -> None:
    """Empty lists name nothing, so the product is created."""
    made = api.create_product(categories=[], variants=[])

    assert made["status"] == "CREATED"


PRODUCT_LIMITS = [
    ("ref", 100),
    ("type", 50),
    ("gtin", 20),
    ("summary", 255),
    ("name", 255),
]


@pytest.mark.parametrize(("field", "limit"), PRODUCT_LIMITS)
def test_product_fields_have_maximum_lengths(api: Api, field: str, limit: int) -> None:
    """One character over is C0141E naming the field; exactly the limit is fine."""
    prefix = "R" if field == "ref" else ""
    at_limit = product_input(api.emulator.catalogue_ref)
    at_limit[field] = (prefix + uuid.uuid4().hex * 10)[:limit]
    over = product_input(api.emulator.catalogue_ref, **{field: "x" * (limit + 1)})

    made = api.data(CREATE_PRODUCT, {"input": at_limit})["createStandardProduct"]
    error = api.error(CREATE_PRODUCT, {"input": over})

    assert len(made[field]) == limit
    assert error["extensions"] == {"code": "C0141E"}
    assert f"'{field}'" in error["message"]
    assert f"at most {limit} characters" in error["message"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"catalogue": {"ref": "C" * 101}}, "catalogue.ref"),
        (
            {"taxType": {"country": "A" * 101, "group": "GST", "tariff": "10"}},
            "taxType.country",
        ),
    ],
)
def test_nested_product_keys_have_maximum_lengths(
    api: Api, overrides: dict[str, Any], field: str
) -> None:
    """Catalogue refs and tax fields are limited to 100 characters."""
    fields = product_input(api.emulator.catalogue_ref, **overrides)

    error = api.error(CREATE_PRODUCT, {"input": fields})

    assert error["extensions"] == {"code": "C0141E"}
    assert f"'{field}'" in error["message"]


def test_failed_mutations_store_nothing(start_server: StartServer) -> None:
    """Every kind of refused create leaves the counts unchanged."""
    api = start_server()
    api.login()
    catalogue = api.emulator.catalogue_ref
    attempts = [
        (CREATE_CUSTOMER, customer_input(retailer={"id": "9"})),
        (CREATE_CUSTOMER, customer_input(timezone="T" * 33)),
        (CREATE_PRODUCT, product_input("PC:NOPE")),
        (CREATE_PRODUCT, product_input(catalogue, gtin="9" * 21)),
        (
            CREATE_PRODUCT,
            product_input(catalogue, variants=[{"catalogue": {"ref": catalogue}}]),
        ),
    ]

    for mutation, fields in attempts:
        api.error(mutation, {"input": fields})

    assert (api.emulator.customer_count(), api.emulator.product_count()) == (0, 0)


def test_several_mutations_in_one_request_run_in_order(
    start_server: StartServer,
) -> None:
    """Aliased mutations run one after another; a failing one does not undo others."""
    api = start_server()
    api.login()
    first, second = customer_input(), customer_input()

    body = api.execute(
        """mutation($a: CreateCustomerInput, $b: CreateCustomerInput) {
            a: createCustomer(input: $a) { id }
            dup: createCustomer(input: $a) { id }
            b: createCustomer(input: $b) { id }
        }""",
        {"a": first, "b": second},
    )

    assert body["data"]["dup"] is None
    assert int(body["data"]["b"]["id"]) == int(body["data"]["a"]["id"]) + 1
    assert [e["extensions"]["code"] for e in body["errors"]] == ["C0123E"]
    assert api.emulator.customer_count() == 2
