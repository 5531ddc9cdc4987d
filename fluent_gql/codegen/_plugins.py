"""The ariadne-codegen plugins ``fluent-gql generate`` runs (the ``codegen`` extra).

- :class:`ReservedNamesPlugin` refuses an operation whose method name would replace
  a method of the Fluent base client (``execute``, ``get_data``, ``graphql`` ...).
- :class:`ResultModelsPlugin` has each method turn its answer into the result model
  through the base client, so that an answer that does not fit becomes a
  ``FluentResponseError`` instead of pydantic's ``ValidationError``.
- :class:`PublicArgumentNamesPlugin` gives back the plain Python names the generator
  escapes with a trailing underscore when they shadow a builtin (``type_`` becomes
  ``type``), so that ``create_product(type="STANDARD")`` reads as the GraphQL does.
- :class:`RequestOptionsPlugin` types each method's ``**kwargs`` as the per-call
  options (``Unpack[RequestOptions]``: ``timeout=``, ``headers=``) and has the
  method check them first, so that an unknown keyword is an error naming the
  method instead of an argument for httpx.
"""

from __future__ import annotations

import ast
import builtins
import keyword

from ariadne_codegen.plugins.base import Plugin
from graphql import ExecutableDefinitionNode, FragmentDefinitionNode

from fluent_gql._reserved import public_reserved_names, reserved_method_names


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
        if method_def.name in reserved_method_names() and not isinstance(
            operation_definition, FragmentDefinitionNode
        ):
            name = operation_definition.name.value if operation_definition.name else ""
            raise ReservedOperationNameError(
                f"operation {name!r} would generate the client method "
                f"{method_def.name!r}, which fluent-gql reserves; rename the operation "
                f"(reserved: {', '.join(public_reserved_names())})"
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


class ResultModelsPlugin(Plugin):
    """``return Model.model_validate(data)`` becomes ``self._result(Model, data)``."""

    def generate_client_method(
        self,
        method_def: ast.FunctionDef | ast.AsyncFunctionDef,
        operation_definition: ExecutableDefinitionNode,
    ) -> ast.FunctionDef | ast.AsyncFunctionDef:
        """Route the method's result through the base client's ``_result``."""
        for node in ast.walk(method_def):
            call = node.value if isinstance(node, ast.Return) else None
            if (
                isinstance(call, ast.Call)
                and isinstance(call.func, ast.Attribute)
                and call.func.attr == "model_validate"
                and len(call.args) == 1
            ):
                call.args = [call.func.value, *call.args]
                call.func = ast.Attribute(
                    value=ast.Name(id="self", ctx=ast.Load()),
                    attr="_result",
                    ctx=ast.Load(),
                )
        return method_def


class BothClientsPlugin(Plugin):
    """The package exports its async client too (ariadne-codegen's second run, for
    the sync client, writes an ``__init__`` that knows only that one)."""

    def generate_init_module(self, module: ast.Module) -> ast.Module:
        """Add ``from .async_client import Async<Client>`` and export it."""
        settings = self.config_dict["tool"]["ariadne-codegen"]
        if settings["async_client"]:
            return module
        name = f"Async{settings['client_name']}"
        module.body.insert(
            0,
            ast.ImportFrom(
                module="async_client", names=[ast.alias(name=name)], level=1
            ),
        )
        for node in module.body:
            if (
                isinstance(node, ast.Assign)
                and [getattr(t, "id", None) for t in node.targets] == ["__all__"]
                and isinstance(node.value, ast.List)
            ):
                names = [
                    e.value
                    for e in node.value.elts
                    if isinstance(e, ast.Constant) and isinstance(e.value, str)
                ]
                node.value.elts = [ast.Constant(n) for n in sorted({*names, name})]
        return module


#: Where the generated methods' per-call options type comes from.
OPTIONS_MODULE = "fluent_gql"
OPTIONS_TYPE = "RequestOptions"


class RequestOptionsPlugin(Plugin):
    """``**kwargs: Any`` becomes ``**kwargs: Unpack[RequestOptions]``, checked by
    ``kwargs = self._call_options("method", kwargs)`` before anything else."""

    def generate_client_method(
        self,
        method_def: ast.FunctionDef | ast.AsyncFunctionDef,
        operation_definition: ExecutableDefinitionNode,
    ) -> ast.FunctionDef | ast.AsyncFunctionDef:
        """Type the method's ``**kwargs`` and check them on entry."""
        kwarg = method_def.args.kwarg
        if kwarg is None:
            return method_def
        kwarg.annotation = ast.Subscript(
            value=ast.Name(id="Unpack", ctx=ast.Load()),
            slice=ast.Name(id=OPTIONS_TYPE, ctx=ast.Load()),
            ctx=ast.Load(),
        )
        check = ast.Assign(
            targets=[ast.Name(id=kwarg.arg, ctx=ast.Store())],
            value=ast.Call(
                func=ast.Attribute(
                    value=ast.Name(id="self", ctx=ast.Load()),
                    attr="_call_options",
                    ctx=ast.Load(),
                ),
                args=[
                    ast.Constant(method_def.name),
                    ast.Name(id=kwarg.arg, ctx=ast.Load()),
                ],
                keywords=[],
            ),
            lineno=0,
        )
        method_def.body.insert(0, check)
        return method_def

    def generate_client_module(self, module: ast.Module) -> ast.Module:
        """Import ``Unpack`` and ``RequestOptions`` for the methods' signatures."""
        imports = [
            ast.ImportFrom(module="typing", names=[ast.alias(name="Unpack")], level=0),
            ast.ImportFrom(
                module=OPTIONS_MODULE, names=[ast.alias(name=OPTIONS_TYPE)], level=0
            ),
        ]
        module.body[0:0] = imports
        return module
