"""Search filters of customers and standardProducts: lists, nulls and date ranges."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from .support import Api, unique

CUSTOMERS = """
query Customers(
  $ref: [String], $status: [String], $title: [String], $department: [String],
  $country: [String], $firstName: [String], $lastName: [String],
  $username: [String], $primaryEmail: [String], $primaryPhone: [String],
  $timezone: [String], $promotionOptIn: [Boolean],
  $createdOn: DateRange, $updatedOn: DateRange, $first: Int
) {
  customers(
    ref: $ref, status: $status, title: $title, department: $department,
    country: $country, firstName: $firstName, lastName: $lastName,
    username: $username, primaryEmail: $primaryEmail, primaryPhone: $primaryPhone,
    timezone: $timezone, promotionOptIn: $promotionOptIn,
    createdOn: $createdOn, updatedOn: $updatedOn, first: $first
  ) { edges { node { username } } }
}
"""
PRODUCTS = """
query Products(
  $ref: [String!], $type: [String!], $workflowRef: [String!],
  $workflowVersion: [Int!], $status: [String], $gtin: [String!], $name: [String!],
  $summary: [String], $catalogue: ProductCatalogueKey,
  $createdOn: DateRange, $updatedOn: DateRange
) {
  standardProducts(
    ref: $ref, type: $type, workflowRef: $workflowRef,
    workflowVersion: $workflowVersion, status: $status, gtin: $gtin, name: $name,
    summary: $summary, catalogue: $catalogue,
    createdOn: $createdOn, updatedOn: $updatedOn
  ) { edges { node { ref } } }
}
"""


def _usernames(api: Api, **filters: Any) -> list[str]:
    data = api.data(CUSTOMERS, filters)
    return [edge["node"]["username"] for edge in data["customers"]["edges"]]


def _refs(api: Api, **filters: Any) -> list[str]:
    data = api.data(PRODUCTS, filters)
    return [edge["node"]["ref"] for edge in data["standardProducts"]["edges"]]


@pytest.mark.parametrize(
    "field",
    [
        "ref",
        "username",
        "primaryEmail",
        "title",
        "department",
        "country",
        "firstName",
        "lastName",
        "primaryPhone",
        "timezone",
    ],
)
def test_each_customer_text_filter_matches_exactly(api: Api, field: str) -> None:
    """Filtering by one customer's value finds it and not its neighbour."""
    values = {"title": unique("t"), "department": unique("d"), "country": unique("c")}
    values |= {"firstName": unique("f"), "lastName": unique("l")}
    values |= {"primaryPhone": unique("p")[:20], "timezone": unique("tz")}
    wanted = api.create_customer(**values)
    api.create_customer(**{name: unique("other")[:20] for name in values})

    found = _usernames(api, **{field: [wanted[field]]})

    assert found == [wanted["username"]]


def test_a_list_filter_matches_any_of_its_values(api: Api) -> None:
    """Two values find both customers, in id order."""
    group = unique("dept")
    a = api.create_customer(department=group, firstName="Ann")
    b = api.create_customer(department=group, firstName="Bob")
    api.create_customer(department=group, firstName="Cat")

    found = _usernames(api, department=[group], firstName=["Bob", "Ann"])

    assert found == [a["username"], b["username"]]


def test_text_filters_are_case_sensitive(api: Api) -> None:
    """Matching is exact: a differently cased value does not match."""
    group = unique("dept")
    api.create_customer(department=group, firstName="Ada")

    assert _usernames(api, department=[group], firstName=["ADA"]) == []


def test_filters_combine_with_and(api: Api) -> None:
    """Different filters must all match."""
    group = unique("dept")
    wanted = api.create_customer(department=group, country="Norway", title="Ms")
    api.create_customer(department=group, country="Norway", title="Mr")
    api.create_customer(department=group, country="Chile", title="Ms")

    found = _usernames(api, department=[group], country=["Norway"], title=["Ms"])

    assert found == [wanted["username"]]


def test_a_null_in_a_list_matches_missing_values(api: Api) -> None:
    """``title: [null]`` finds customers without a title."""
    group = unique("dept")
    untitled = api.create_customer(department=group)
    titled = api.create_customer(department=group, title="Dr")

    assert _usernames(api, department=[group], title=[None]) == [untitled["username"]]
    assert _usernames(api, department=[group], title=[None, "Dr"]) == [
        untitled["username"],
        titled["username"],
    ]


def test_an_empty_list_filters_nothing_out(api: Api) -> None:
    """An empty list is treated like an absent filter."""
    group = unique("dept")
    made = api.create_customer(department=group)

    assert _usernames(api, department=[group], title=[]) == [made["username"]]


def test_customers_filter_by_status_and_promotion_opt_in(api: Api) -> None:
    """Status (always ACTIVE on create) and the boolean opt-in filter too."""
    group = unique("dept")
    opted_in = api.create_customer(department=group, promotionOptIn=True)
    opted_out = api.create_customer(department=group, promotionOptIn=False)

    assert _usernames(api, department=[group], promotionOptIn=[True]) == [
        opted_in["username"]
    ]
    assert _usernames(api, department=[group], status=["ACTIVE"]) == [
        opted_in["username"],
        opted_out["username"],
    ]
    assert _usernames(api, department=[group], status=["INACTIVE"]) == []


@pytest.mark.parametrize("field", ["createdOn", "updatedOn"])
def test_date_ranges_are_inclusive_at_both_ends(api: Api, field: str) -> None:
    """A range from and to a customer's own timestamp contains it."""
    group = unique("dept")
    made = api.create_customer(department=group)
    moment = made[field]
    later = (datetime.fromisoformat(moment) + timedelta(milliseconds=1)).isoformat()
    earlier = (datetime.fromisoformat(moment) - timedelta(milliseconds=1)).isoformat()

    exact = _usernames(
        api, department=[group], **{field: {"from": moment, "to": moment}}
    )
    after = _usernames(api, department=[group], **{field: {"from": later}})
    before = _usernames(api, department=[group], **{field: {"to": earlier}})

    assert exact == [made["username"]]
    assert (after, before) == ([], [])


def test_date_ranges_read_zones_and_naive_times_as_utc(api: Api) -> None:
    """``+10:00`` offsets are converted; a time without zone is UTC."""
    group = unique("dept")
    made = api.create_customer(department=group)
    utc = datetime.fromisoformat(made["createdOn"])
    sydney = utc.astimezone(timezone(timedelta(hours=10)))
    naive = utc.replace(tzinfo=None).isoformat()

    by_offset = _usernames(
        api, department=[group], createdOn={"from": sydney.isoformat(), "to": naive}
    )

    assert by_offset == [made["username"]]


def test_a_finer_lower_bound_excludes_the_earlier_millisecond(api: Api) -> None:
    """Stored times are milliseconds; a bound 0.5 ms later excludes the row."""
    group = unique("dept")
    made = api.create_customer(department=group)
    half_ms_later = datetime.fromisoformat(made["createdOn"]) + timedelta(
        microseconds=500
    )

    found = _usernames(
        api, department=[group], createdOn={"from": half_ms_later.isoformat()}
    )

    assert found == []


@pytest.mark.parametrize("field", ["createdOn", "updatedOn"])
def test_a_date_range_without_ends_is_c0102e(api: Api, field: str) -> None:
    """Fluent's code for a date query with neither from nor to."""
    error = api.error(CUSTOMERS, {field: {}})

    assert error["extensions"] == {"code": "C0102E"}
    assert error["path"] == ["customers"]


def test_product_text_filters_match_exactly(api: Api) -> None:
    """ref, type, gtin, name and summary each find the one product."""
    wanted = api.create_product(
        type=unique("T")[:50],
        gtin=unique("G")[:20],
        name=unique("N"),
        summary=unique("S"),
    )
    api.create_product(
        type=unique("T")[:50],
        gtin=unique("G")[:20],
        name=unique("N"),
        summary=unique("S"),
    )

    for field in ("ref", "type", "gtin", "name", "summary"):
        assert _refs(api, **{field: [wanted[field]]}) == [wanted["ref"]], field


def test_products_filter_by_workflow_status_and_catalogue(api: Api) -> None:
    """Fluent-set fields and the catalogue key filter too."""
    kind = unique("TYPE")
    made = api.create_product(type=kind)
    catalogue = {"ref": api.emulator.catalogue_ref}

    matching = _refs(
        api,
        type=[kind],
        workflowRef=["PRODUCT_CATALOGUE::MASTER"],
        workflowVersion=[1],
        status=["CREATED"],
        catalogue=catalogue,
    )

    assert matching == [made["ref"]]
    assert _refs(api, type=[kind], workflowVersion=[2]) == []
    assert _refs(api, type=[kind], status=["ACTIVE"]) == []


def test_an_unknown_catalogue_filter_finds_nothing(api: Api) -> None:
    """Products of a catalogue that does not exist: an empty page, no error."""
    kind = unique("TYPE")
    api.create_product(type=kind)

    assert _refs(api, type=[kind], catalogue={"ref": "PC:NOPE"}) == []


def test_products_filter_by_date_range(api: Api) -> None:
    """Product createdOn/updatedOn ranges work like the customer ones."""
    kind = unique("TYPE")
    made = api.create_product(type=kind)
    moment = made["createdOn"]

    found = _refs(
        api, type=[kind], createdOn={"from": moment}, updatedOn={"to": moment}
    )

    assert found == [made["ref"]]


def test_products_date_range_without_ends_is_c0102e(api: Api) -> None:
    """The same C0102E rule applies to products."""
    error = api.error(PRODUCTS, {"updatedOn": {"from": None, "to": None}})

    assert error["extensions"] == {"code": "C0102E"}
