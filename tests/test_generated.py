"""The generated client: current with schema/ and queries/, and safe operation names."""

from __future__ import annotations

import inspect
import shutil
from pathlib import Path

import pytest

from fluent_gql import AsyncFluentClient, FluentClient
from fluent_gql._generate import GenerationError, generate, stale_files
from fluent_gql._reserved import RESERVED_METHOD_NAMES
from tests._paths import ROOT


def _project_copy(tmp_path: Path) -> Path:
    for folder in ("schema", "queries", "codegen"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def test_generated_code_matches_a_fresh_generation() -> None:
    """generated/ is exactly what `make generate` would write now."""
    assert stale_files(ROOT) == []


def test_a_changed_operation_makes_the_check_report_stale_files(tmp_path: Path) -> None:
    """The freshness check can fail: an edited query is reported."""
    root = _project_copy(tmp_path)
    generate(root, root / "generated")
    me = root / "queries" / "me.graphql"
    me.write_text(me.read_text().replace("    ref\n", "", 1))

    stale = stale_files(root)

    assert "generated/fluent_gql_generated/me.py" in stale
    assert "generated/fluent_gql_generated/client.py" in stale


def test_a_changed_schema_makes_the_pre_built_form_and_the_plans_stale(
    tmp_path: Path,
) -> None:
    """The pre-built schema and the operation plans are checked like the code: a
    new length limit in the SDL makes both stale."""
    root = _project_copy(tmp_path)
    generate(root, root / "generated")
    sdl = root / "schema" / "fluent.graphql"
    text = sdl.read_text()
    old = '  """At most 50 characters."""\n  firstName: String\n'
    assert old in text
    sdl.write_text(text.replace(old, old.replace("50", "40"), 1))

    stale = stale_files(root)

    assert stale == [
        "generated/fluent_gql_generated/operation_plans.py",
        "generated/fluent_gql_generated/schema.json",
    ]


@pytest.mark.parametrize(
    ("operation", "method"),
    [("execute", "execute"), ("getData", "get_data"), ("graphql", "graphql")],
)
def test_an_operation_that_would_shadow_a_client_method_is_refused(
    tmp_path: Path, operation: str, method: str
) -> None:
    """Generation stops with a message naming the operation and the method."""
    root = _project_copy(tmp_path)
    (root / "queries" / f"{operation}.graphql").write_text(
        f"query {operation} {{ me {{ id }} }}\n"
    )

    with pytest.raises(GenerationError) as caught:
        generate(root, root / "generated")

    assert repr(operation) in str(caught.value)
    assert repr(method) in str(caught.value)


def test_the_reserved_names_cover_every_method_the_clients_define() -> None:
    """Every public member of the clients that is not an operation is reserved."""
    operations = {
        p.stem for p in (ROOT / "queries").glob("*.graphql")
    }  # camelCase; compare in snake_case below
    from ariadne_codegen.utils import str_to_snake_case

    operation_methods = {str_to_snake_case(o) for o in operations}
    members = {
        name
        for cls in (FluentClient, AsyncFluentClient)
        for name, _ in inspect.getmembers(cls)
        if not name.startswith("_")
    } | {"http_client", "url", "headers"}

    assert members - operation_methods <= RESERVED_METHOD_NAMES


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
    }  # fmt: skip
    for cls in (FluentClient, AsyncFluentClient):
        for method, names in expected.items():
            params = set(inspect.signature(getattr(cls, method)).parameters)

            assert params - {"self", "kwargs"} == names, (cls, method)
