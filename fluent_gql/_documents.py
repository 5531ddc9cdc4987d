"""Checking operation files like a compiler (``fluent-gql validate``, ``schema diff``).

Each ``.graphql`` file is parsed on its own, so that a syntax error names its file,
and then all are validated together, as ariadne-codegen reads them: a fragment
defined in one file may be used in another. Problems come back as
:class:`Diagnostic` objects located by file, line and column. Beyond the GraphQL
rules, the checks flag what would break or surprise code generation: anonymous and
duplicate operations, operations whose method would shadow a client method, and
deprecated fields.
"""

from __future__ import annotations

import builtins
import keyword
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from graphql import (
    DocumentNode,
    ExecutableDefinitionNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    Source,
    parse,
    specified_rules,
    validate,
)
from graphql.validation import (
    LoneAnonymousOperationRule,
    NoDeprecatedCustomRule,
    UniqueOperationNamesRule,
)

from fluent_gql._complexity import ComplexityEstimate, estimate, judge
from fluent_gql._naming import snake_case
from fluent_gql._reserved import reserved_method_names

__all__ = [
    "Diagnostic",
    "Operation",
    "OperationSet",
    "check_operations",
    "complexity_report",
    "load_operations",
    "method_name",
    "operation_files",
]

#: What operation files are called.
SUFFIX = ".graphql"

# Replaced by checks of our own with messages that name the other file.
_RULES = [
    rule
    for rule in specified_rules
    if rule not in (UniqueOperationNamesRule, LoneAnonymousOperationRule)
]


def method_name(operation_name: str) -> str:
    """The client method ariadne-codegen generates for an operation name."""
    name = snake_case(operation_name)
    if keyword.iskeyword(name) or isinstance(getattr(builtins, name, None), type):
        return f"{name}_"
    return name


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in an operation file, printed as ``path:line:column: message``."""

    path: str
    line: int
    column: int
    message: str
    #: ``error`` (generation or the server would fail) or ``warning``.
    severity: str = "error"

    def __str__(self) -> str:
        label = "" if self.severity == "error" else f"{self.severity}: "
        return f"{self.path}:{self.line}:{self.column}: {label}{self.message}"


@dataclass(frozen=True)
class Operation:
    """One operation of an operation file."""

    name: str | None
    path: str
    line: int
    column: int
    definition: OperationDefinitionNode = field(repr=False, compare=False)


@dataclass(frozen=True)
class OperationSet:
    """Operation files, parsed; ``context`` files only lend their definitions."""

    files: tuple[str, ...]
    operations: tuple[Operation, ...]
    context_operations: tuple[Operation, ...]
    document: DocumentNode
    syntax_errors: tuple[Diagnostic, ...]

    @property
    def fragments(self) -> list[FragmentDefinitionNode]:
        """Every fragment definition, from the files and the context."""
        return [
            d
            for d in self.document.definitions
            if isinstance(d, FragmentDefinitionNode)
        ]


def display_path(path: Path) -> str:
    """``path`` relative to the working directory when it is under it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def operation_files(paths: Iterable[Path]) -> list[Path]:
    """The operation files at ``paths``; directories are searched recursively.

    Raises:
        FileNotFoundError: a path does not exist.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob(f"*{SUFFIX}") if p.is_file())
        elif path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(f"{path}: no such file or directory")
    unique = {p.resolve(): p for p in found}
    return sorted(unique.values(), key=display_path)


def _location(error: GraphQLError) -> tuple[str, int, int]:
    node = next((n for n in error.nodes or () if n.loc is not None), None)
    source = node.loc.source if node and node.loc else error.source
    where = error.locations[0] if error.locations else None
    name = source.name if source is not None else "?"
    return name, where.line if where else 0, where.column if where else 0


def _diagnostic(error: GraphQLError, severity: str = "error") -> Diagnostic:
    path, line, column = _location(error)
    return Diagnostic(path, line, column, error.message, severity)


def _parse(path: Path) -> tuple[list[ExecutableDefinitionNode], Diagnostic | None]:
    name = display_path(path)
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [], Diagnostic(name, 0, 0, f"cannot read the file: {exc}")
    try:
        document = parse(Source(text, name))
    except GraphQLError as exc:
        return [], _diagnostic(exc)
    return list(document.definitions), None  # type: ignore[arg-type]


def _operations(definitions: Iterable[object]) -> list[Operation]:
    found = []
    for d in definitions:
        if isinstance(d, OperationDefinitionNode) and d.loc is not None:
            where = d.loc.source.get_location(d.loc.start)
            name = d.name.value if d.name else None
            found.append(
                Operation(name, d.loc.source.name, where.line, where.column, d)
            )
    return found


def load_operations(
    paths: Sequence[Path], context: Sequence[Path] = ()
) -> OperationSet:
    """Parse the operation files at ``paths``, with ``context`` files alongside.

    Context files (typically the rest of ``queries/``) provide fragments and names
    to compare against; problems in them are not reported.

    Raises:
        FileNotFoundError: a path does not exist.
    """
    files = operation_files(paths)
    wanted = {p.resolve() for p in files}
    extra = [p for p in operation_files(context) if p.resolve() not in wanted]
    definitions: list[ExecutableDefinitionNode] = []
    errors: list[Diagnostic] = []
    operations: list[Operation] = []
    for path in files:
        parsed, error = _parse(path)
        definitions += parsed
        operations += _operations(parsed)
        errors += [error] if error else []
    context_operations: list[Operation] = []
    for path in extra:
        parsed, error = _parse(path)
        if error is None:
            definitions += parsed
            context_operations += _operations(parsed)
    return OperationSet(
        files=tuple(display_path(p) for p in files),
        operations=tuple(operations),
        context_operations=tuple(context_operations),
        document=DocumentNode(definitions=tuple(definitions)),
        syntax_errors=tuple(errors),
    )


_ANONYMOUS = "anonymous operation: name it (the name becomes the client method's)"


def _clash(op: Operation, other: Operation, method: str) -> str:
    at = f"{other.path}:{other.line}:{other.column}"
    if other.name == op.name:
        return f"operation {op.name!r} is also defined at {at}"
    return (
        f"operations {op.name!r} and {other.name!r} (at {at}) would both "
        f"generate the method {method!r}"
    )


def _naming(operations: OperationSet) -> list[Diagnostic]:
    """Anonymous, duplicate and reserved operation names, and clashing methods."""
    by_method: dict[str, list[Operation]] = defaultdict(list)
    for op in (*operations.operations, *operations.context_operations):
        if op.name is not None:
            by_method[method_name(op.name)].append(op)
    found: list[Diagnostic] = []
    for op in operations.operations:
        where = (op.path, op.line, op.column)
        if op.name is None:
            found.append(Diagnostic(*where, _ANONYMOUS))
            continue
        method = method_name(op.name)
        if method in reserved_method_names():
            message = (
                f"operation {op.name!r} would generate the client method {method!r}, "
                "which fluent-gql reserves: rename the operation"
            )
            found.append(Diagnostic(*where, message))
        found += [
            Diagnostic(*where, _clash(op, other, method))
            for other in by_method[method]
            if other is not op
        ]
    return found


def check_operations(
    operations: OperationSet, schema: GraphQLSchema, *, authoritative: bool = True
) -> list[Diagnostic]:
    """Every error and warning in the operation files, sorted by place.

    Errors: syntax, the GraphQL validation rules, and the naming rules of code
    generation. Warnings: deprecated fields, arguments and enum values. When the
    schema is not ``authoritative`` (the bundled snapshot, not the account's own),
    only what no schema version could fix is an error; not fitting the schema is
    a warning.
    """
    # Imported here: _validation loads the client's schema machinery.
    from fluent_gql._validation import SCHEMA_INDEPENDENT_RULES

    found = [*operations.syntax_errors, *_naming(operations)]
    if operations.document.definitions:
        document = operations.document
        if authoritative:
            found += [_diagnostic(e) for e in validate(schema, document, _RULES)]
        else:
            strict = [r for r in _RULES if r in SCHEMA_INDEPENDENT_RULES]
            lenient = [r for r in _RULES if r not in SCHEMA_INDEPENDENT_RULES]
            found += [_diagnostic(e) for e in validate(schema, document, strict)]
            found += [
                _diagnostic(e, "warning") for e in validate(schema, document, lenient)
            ]
        deprecated = validate(schema, operations.document, [NoDeprecatedCustomRule])
        found += [_diagnostic(e, "warning") for e in deprecated]
    files = set(operations.files)
    return sorted({d for d in found if d.path in files})


def complexity_report(
    operations: OperationSet, schema: GraphQLSchema
) -> list[tuple[Operation, ComplexityEstimate | None, list[Diagnostic]]]:
    """Both complexity estimates of every operation, at its variables' defaults.

    Operations over Fluent's limit get an error, those that may be over it a
    warning. An operation the estimator cannot read gets no estimate.
    """
    fragments = operations.fragments
    report: list[tuple[Operation, ComplexityEstimate | None, list[Diagnostic]]] = []
    for op in operations.operations:
        document = DocumentNode(definitions=(op.definition, *fragments))
        try:
            result = estimate(document, schema)
        except (GraphQLError, ValueError, TypeError):  # an invalid operation
            report.append((op, None, []))
            continue
        what = f"operation {op.name!r}" if op.name else "the anonymous operation"
        error, warning = judge(result, what=what)
        where = (op.path, op.line, op.column)
        found = [Diagnostic(*where, str(error))] if error else []
        found += [Diagnostic(*where, warning, "warning")] if warning else []
        report.append((op, result, found))
    return report
