"""Method names that generated operations must not take.

ariadne-codegen turns an operation ``fooBar`` into a client method ``foo_bar``. An
operation whose method name matches one of these would silently replace a method the
clients rely on (FIELD-NOTES), so code generation refuses it.
``tests/test_reserved_names.py`` keeps this list in step with the clients.
"""

from __future__ import annotations

RESERVED_METHOD_NAMES: frozenset[str] = frozenset(
    {
        # ariadne-codegen's base clients.
        "execute",
        "execute_ws",
        "get_data",
        "close",
        "aclose",
        "http_client",
        "url",
        "headers",
        # fluent-gql's own client surface.
        "config",
        "from_config",
        "graphql",
        "token_info",
        "with_options",
        "login",
        "retry_policy",
        "schema_source",
        "iter_customers",
        "iter_standard_products",
    }
)
