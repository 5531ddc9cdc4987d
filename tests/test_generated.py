"""Our generated client: current with schema/ and queries/ (through the same
`fluent-gql generate` users run), and safe operation names."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from fluent_gql import (
    AsyncFluentBaseClient,
    AsyncFluentClient,
    FluentBaseClient,
    FluentClient,
)
from fluent_gql._reserved import reserved_method_names
from fluent_gql.codegen import (
    OperationsError,
    ProjectSettings,
    choose_schema,
    generate,
    load_settings,
    stale_files,
)
from fluent_gql_generated.async_client import AsyncClient
from fluent_gql_generated.client import Client
from fluent_gql_generated.operation_plans import INPUT_TYPES, PLANS
from tests._paths import ROOT
from tests._projects import copy_of_our_project


@pytest.fixture
def project(tmp_path: Path) -> ProjectSettings:
    """A copy of our operations, schema and settings, generated once."""
    settings = copy_of_our_project(tmp_path)
    generate(settings, choose_schema(settings))
    return settings


def _stale(settings: ProjectSettings) -> list[str]:
    found = stale_files(settings, choose_schema(settings))
    return [p.relative_to(settings.root).as_posix() for p in found]


def test_generated_code_matches_a_fresh_generation() -> None:
    """generated/ is exactly what `make generate` would write now."""
    assert _stale(load_settings(ROOT)) == []


def test_a_changed_operation_makes_the_check_report_stale_files(
    project: ProjectSettings,
) -> None:
    """The freshness check can fail: an edited query is reported."""
    me = project.queries / "me.graphql"
    me.write_text(me.read_text().replace("    ref\n", "", 1))

    stale = _stale(project)

    assert "generated/fluent_gql_generated/me.py" in stale
    assert "generated/fluent_gql_generated/client.py" in stale


def test_a_changed_schema_makes_the_pre_built_form_and_the_plans_stale(
    project: ProjectSettings,
) -> None:
    """The pre-built schema and the operation plans are checked like the code: a
    new length limit in the SDL makes both stale (and the input model that
    documents the limit)."""
    sdl = project.root / "schema" / "fluent.graphql"
    text = sdl.read_text()
    old = '  """At most 50 characters."""\n  firstName: String\n'
    assert old in text
    sdl.write_text(text.replace(old, old.replace("50", "40"), 1))

    stale = _stale(project)

    assert stale == [
        "generated/fluent_gql_generated/input_types.py",
        "generated/fluent_gql_generated/operation_plans.py",
        "generated/fluent_gql_generated/schema.json",
    ]


@pytest.mark.parametrize(
    ("operation", "method"),
    [
        ("execute", "execute"),
        ("getData", "get_data"),
        ("graphql", "graphql"),
        ("paginate", "paginate"),
        ("fromEnv", "from_env"),
    ],
)
def test_an_operation_that_would_shadow_a_client_method_is_refused(
    project: ProjectSettings, operation: str, method: str
) -> None:
    """Generation stops with a message naming the operation and the method, and
    the package written before is left as it was."""
    before = (project.package_dir / "client.py").read_text()
    (project.queries / f"{operation}.graphql").write_text(
        f"query {operation} {{ me {{ id }} }}\n"
    )

    with pytest.raises(OperationsError) as caught:
        generate(project, choose_schema(project))

    message = " ".join(d.message for d in caught.value.diagnostics)
    assert repr(operation) in message
    assert repr(method) in message
    assert (project.package_dir / "client.py").read_text() == before


def test_the_reserved_names_are_every_member_of_the_base_clients() -> None:
    """Derived from the bases: each public member of either is reserved."""
    members = {
        name
        for cls in (FluentBaseClient, AsyncFluentBaseClient)
        for name, _ in inspect.getmembers(cls)
        if not name.startswith("_")
    }

    assert members <= reserved_method_names()
    assert {"execute", "get_data", "graphql", "paginate", "login"} <= members


def test_the_connector_overrides_only_the_operations_it_means_to() -> None:
    """A new operation whose method a connector module already defines would be
    hidden by it: only these, each on purpose, are replaced: Create Customer and
    Get Customer by Email (the connector's shapes), Create Product (its price
    checked), the order creates (exactly once, by ref) and update_order_attributes
    (its docstring on status)."""
    for client, generated in ((FluentClient, Client), (AsyncFluentClient, AsyncClient)):
        operations = {
            name
            for name, value in vars(generated).items()
            if inspect.isfunction(value) and not name.startswith("_")
        }
        connector = {
            name
            for cls in client.__mro__
            if cls.__module__.startswith("fluent_gql._connector")
            for name in vars(cls)
            if not name.startswith("_")
        }

        assert operations & connector == {
            "create_customer",
            "customer_by_email",
            "create_product",
            "create_order",
            "create_order_and_customer",
            "update_order_attributes",
        }


def test_arguments_keep_their_graphql_names_even_when_they_shadow_builtins() -> None:
    """create_product takes type=, not type_= (the generator's escape is undone)."""
    for cls in (FluentClient, AsyncFluentClient):
        params = inspect.signature(cls.create_product).parameters

        assert "type" in params and "type_" not in params


def test_both_clients_take_the_connector_keywords() -> None:
    """The keyword names are public API on both clients."""
    expected = {
        "create_customer": {
            "email", "first_name", "last_name", "phone", "country", "timezone",
            "promotion_opt_in", "attributes", "retailer_id", "username",
        },
        "create_product": {
            "catalogue_ref", "ref", "name", "gtin", "type", "summary",
            "price_currency", "price_value", "attributes",
        },
        "customer_by_email": {"email"},
        "me": set(),
        "create_order": {
            "ref", "type", "customer_id", "items", "retailer_id", "fulfilment_choice",
            "attributes", "total_price", "total_tax_price",
        },
        "create_order_and_customer": {
            "ref", "type", "customer", "items", "retailer_id", "fulfilment_choice",
            "attributes", "total_price", "total_tax_price",
        },
        "order_by_ref": {"ref"},
        "order_by_id": {"id"},
        "iter_orders": {
            "status", "type", "ref", "created_on", "updated_on", "updated_since",
            "customer_ref", "page_size", "max_items",
        },
        "iter_fulfilments": {
            "order_id", "status", "from_location_ref", "delivery_type", "type", "ref",
            "created_on", "updated_on", "page_size", "max_items",
        },
        "fulfilment_by_id": {"id"},
        "location_by_ref": {"ref"},
        "iter_locations": {"ref", "type", "status", "name", "page_size", "max_items"},
        "iter_inventory_positions": {
            "catalogue_ref", "product_ref", "location_ref", "status", "type",
            "page_size", "max_items",
        },
        "update_order_attributes": {"id", "attributes"},
        "send_event": {
            "name", "entity_type", "entity_ref", "entity_id", "root_entity_type",
            "root_entity_ref", "root_entity_id", "entity_subtype", "attributes",
            "retailer_id", "mode",
        },
        "get_event": {"id"},
        "iter_events": {
            "name", "entity_type", "entity_ref", "entity_id", "root_entity_type",
            "root_entity_ref", "root_entity_id", "event_type", "event_status",
            "from_", "to", "page_size", "max_items",
        },
        "cancel_order": {"ref", "reason", "event_name"},
    }  # fmt: skip
    for cls in (FluentClient, AsyncFluentClient):
        for method, names in expected.items():
            params = set(inspect.signature(getattr(cls, method)).parameters)

            assert params - {"self", "kwargs"} == names, (cls, method)


def test_the_written_plans_hold_each_variable_s_type_and_the_input_types() -> None:
    """operation_plans.py holds the type trees the check walks: each variable's
    declared type with its length limit, and one table of the input objects."""
    plans = {plan.name: plan for plan in PLANS.values()}
    customer = plans["createCustomer"]

    assert customer.variables["firstName"] == "String(50)!"
    assert customer.variables["promotionOptIn"] == "Boolean"
    assert customer.variables["attributes"] == "[AttributeInput]"
    assert customer.types is INPUT_TYPES
    assert INPUT_TYPES["AttributeInput"] == {
        "name": "String(255)!",
        "type": "String(255)!",
        "value": "Json!",
    }
    assert plans["listOrderItems"].variables == {
        "id": "ID!",
        "first": "Int",
        "after": "String",
    }
    assert list(INPUT_TYPES) == sorted(INPUT_TYPES)
