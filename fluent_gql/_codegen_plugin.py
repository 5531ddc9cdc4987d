"""ariadne-codegen plugins used by ``make generate`` (development only).

- :class:`ReservedNamesPlugin` refuses an operation whose method name would replace
  a client method (``execute``, ``get_data``, ``graphql`` ...).
- :class:`PublicArgumentNamesPlugin` gives back the plain Python names the generator
  escapes with a trailing underscore when they shadow a builtin (``type_`` becomes
  ``type``), so that ``create_product(type="STANDARD")`` reads as the GraphQL does.
"""

from __future__ import annotations

import ast
import builtins
import keyword

from ariadne_codegen.plugins.base import Plugin
from graphql import ExecutableDefinitionNode, FragmentDefinitionNode

from fluent_gql._reserved import RESERVED_METHOD_NAMES


class ReservedOperationNameError(Exception):
    """Raised when an operation's method name is reserved by the clients."""


class ReservedNamesPlugin(Plugin):
    """Refuse operations whose generated method would shadow a client method."""

    def generate_client_method(
        self,
        method_def: ast.FunctionDef | ast.AsyncFunctionDef,
        operation_definition: ExecutableDefinitionNode,
    ) -> ast.FunctionDef | ast.AsyncFunctionDef:
        """Raise :class:`ReservedOperationNameError` for a reserved method name."""
        if method_def.name in RESERVED_METHOD_NAMES and not isinstance(
            operation_definition, FragmentDefinitionNode
        ):
            name = operation_definition.name.value if operation_definition.name else ""
            raise ReservedOperationNameError(
                f"operation {name!r} would generate the client method "
                f"{method_def.name!r}, which fluent-gql reserves; rename the operation "
                f"(reserved: {', '.join(sorted(RESERVED_METHOD_NAMES))})"
            )
        return method_def


def _unescaped(name: str) -> str | None:
    """Return ``name`` without the generator's trailing ``_`` when that is safe."""
    plain = name[:-1]
    if (
        name.endswith("_")
        and plain
        and not plain.endswith("_")
        and not keyword.iskeyword(plain)
        and hasattr(builtins, plain)
    ):
        return plain
    return None


class PublicArgumentNamesPlugin(Plugin):
    """Name method arguments after their GraphQL variables, even over builtins."""

    def generate_client_method(
        self,
        method_def: ast.FunctionDef | ast.AsyncFunctionDef,
        operation_definition: ExecutableDefinitionNode,
    ) -> ast.FunctionDef | ast.AsyncFunctionDef:
        """Rename escaped arguments (``type_``) and every use of them in the body."""
        renames = {
            arg.arg: plain
            for arg in [*method_def.args.args, *method_def.args.kwonlyargs]
            if (plain := _unescaped(arg.arg)) is not None
        }
        if not renames:
            return method_def
        for arg in [*method_def.args.args, *method_def.args.kwonlyargs]:
            arg.arg = renames.get(arg.arg, arg.arg)
        for node in ast.walk(method_def):
            if isinstance(node, ast.Name) and node.id in renames:
                node.id = renames[node.id]
        return method_def
