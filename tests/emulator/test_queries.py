"""Every root query field returns the seeded or created data, and null when unknown."""

from __future__ import annotations

import pytest

from .support import CUSTOMER_FIELDS, PRODUCT_FIELDS, Api

ME_QUERY = """
{ me {
    id ref username title firstName lastName primaryEmail primaryPhone type status
    attributes { name type value } department country timezone
    language { value label } promotionOptIn
    primaryRetailer { id ref tradingName status }
    primaryLocation { id ref type status name retailer { id } }
    roles { role { id name permissions { name } } contexts { contextType contextId } }
} }
"""


def test_me_is_the_seeded_admin_user(api: Api) -> None:
    """``me`` describes the token's user with retailer, location and roles."""
    me = api.data(ME_QUERY)["me"]
    permissions = {p["name"] for p in me["roles"][0]["role"]["permissions"]}

    assert me["id"] == "1"
    assert (me["ref"], me["username"], me["type"], me["status"]) == (
        "admin",
        "admin",
        "ADMIN",
        "ACTIVE",
    )
    assert (me["firstName"], me["lastName"]) == ("Emulator", "Admin")
    assert me["language"] == {"value": "en", "label": "English"}
    assert me["primaryRetailer"] == {
        "id": "1",
        "ref": "EMULATOR-RETAILER",
        "tradingName": "Emulator Retailer",
        "status": "ACTIVE",
    }
    assert me["primaryLocation"]["retailer"] == {"id": "1"}
    assert me["primaryLocation"]["status"] == "ACTIVE"
    assert me["roles"][0]["role"]["name"] == "ADMIN"
    assert me["roles"][0]["contexts"] == [{"contextType": "RETAILER", "contextId": "1"}]
    assert {"CUSTOMER_CREATE", "CUSTOMER_VIEW", "PRODUCT_CREATE", "PRODUCT_VIEW"} <= (
        permissions
    )


@pytest.mark.parametrize(
    "arguments", ['id: "1"', 'username: "admin"', 'id: "1", username: "admin"']
)
def test_user_is_found_by_id_or_username(api: Api, arguments: str) -> None:
    """``user`` matches on whichever of id and username is given."""
    data = api.data(f"{{ user({arguments}) {{ id username }} }}")

    assert data == {"user": {"id": "1", "username": "admin"}}


@pytest.mark.parametrize(
    "arguments",
    ['id: "999"', 'id: "abc"', 'username: "nobody"', 'id: "1", username: "x"', ""],
)
def test_user_is_null_when_nothing_matches(api: Api, arguments: str) -> None:
    """Unknown ids, unknown names, contradicting pairs and no arguments give null."""
    query = f"{{ user({arguments}) {{ id }} }}" if arguments else "{ user { id } }"

    assert api.data(query) == {"user": None}


def test_customer_is_found_by_ref_which_is_its_username(api: Api) -> None:
    """``customer(ref:)`` looks the customer up by username."""
    made = api.create_customer()

    data = api.data(
        f"query($ref: String!) {{ customer(ref: $ref) {{ {CUSTOMER_FIELDS} }} }}",
        {"ref": made["username"]},
    )

    assert data["customer"] == made
    assert made["ref"] == made["username"]


def test_customer_by_id_returns_the_same_customer(api: Api) -> None:
    """``customerById`` finds a customer by its numeric id."""
    made = api.create_customer()

    data = api.data(
        f"query($id: ID!) {{ customerById(id: $id) {{ {CUSTOMER_FIELDS} }} }}",
        {"id": made["id"]},
    )

    assert data["customerById"] == made


@pytest.mark.parametrize(
    "query",
    [
        '{ customer(ref: "nobody@example.com") { id } }',
        '{ customerById(id: "999999") { id } }',
        '{ customerById(id: "not-a-number") { id } }',
        '{ retailerById(id: "2") { id } }',
        '{ retailerById(id: "x") { id } }',
        '{ productCatalogue(ref: "NO-SUCH-CATALOGUE") { id } }',
        '{ standardProduct(ref: "NO-SKU", catalogue: {ref: "PC:MASTER:1"}) { id } }',
        '{ standardProduct(ref: "NO-SUCH-SKU", catalogue: {ref: "NOPE"}) { id } }',
    ],
)
def test_unknown_entities_are_null_without_errors(api: Api, query: str) -> None:
    """Fluent answers a query for something missing with 200 and null."""
    body = api.execute(query)

    assert "errors" not in body
    assert list(body["data"].values()) == [None]


def test_retailer_by_id_returns_the_seeded_retailer(api: Api) -> None:
    """``retailerById`` returns retailer 1 with its details."""
    data = api.data(
        """{ retailerById(id: "1") {
            id ref status tradingName primaryEmail summary websiteUrl websiteUrlName
            supportContactName supportEmail supportPhone createdOn updatedOn
        } }"""
    )
    retailer = data["retailerById"]

    assert (retailer["id"], retailer["ref"], retailer["status"]) == (
        "1",
        "EMULATOR-RETAILER",
        "ACTIVE",
    )
    assert retailer["tradingName"] == "Emulator Retailer"
    assert all(value is not None for value in retailer.values())


def test_product_catalogue_returns_the_seeded_master_catalogue(api: Api) -> None:
    """``productCatalogue`` returns the MASTER catalogue used by the retailer."""
    data = api.data(
        """query($ref: String!) { productCatalogue(ref: $ref) {
            id ref type workflowRef workflowVersion status name description
            retailerRefs attributes { name } createdOn updatedOn
        } }""",
        {"ref": api.emulator.catalogue_ref},
    )
    catalogue = data["productCatalogue"]

    assert catalogue["ref"] == "PC:MASTER:1"
    assert (catalogue["type"], catalogue["workflowRef"]) == (
        "MASTER",
        "PRODUCT_CATALOGUE::MASTER",
    )
    assert catalogue["workflowVersion"] == 1
    assert catalogue["retailerRefs"] == ["EMULATOR-RETAILER"]
    assert catalogue["attributes"] == []


def test_standard_product_is_found_by_ref_and_catalogue(api: Api) -> None:
    """``standardProduct`` returns the product created under that ref."""
    made = api.create_product()

    data = api.data(
        f"""query($ref: String!, $cat: ProductCatalogueKey!) {{
            standardProduct(ref: $ref, catalogue: $cat) {{ {PRODUCT_FIELDS} }}
        }}""",
        {"ref": made["ref"], "cat": {"ref": api.emulator.catalogue_ref}},
    )

    assert data["standardProduct"] == made


def test_seeded_identifiers_are_exposed_on_the_emulator(api: Api) -> None:
    """retailer_id and catalogue_ref name entities that really exist."""
    data = api.data(
        "query($id: ID!, $ref: String!) { retailerById(id: $id) { id } "
        "productCatalogue(ref: $ref) { ref } }",
        {"id": api.emulator.retailer_id, "ref": api.emulator.catalogue_ref},
    )

    assert data == {
        "retailerById": {"id": api.emulator.retailer_id},
        "productCatalogue": {"ref": api.emulator.catalogue_ref},
    }


def test_typename_and_aliases_work(api: Api) -> None:
    """Ordinary GraphQL features come with graphql-core."""
    data = api.data("{ who: me { __typename name: username } }")

    assert data == {"who": {"__typename": "User", "name": "admin"}}
