"""3. The raw method, ``FluentClient.graphql(query)``, versus raw httpx and gql.

Client CPU per call, as in ``sync_overhead.py``, for the same ``me`` query sent as
text: raw ``httpx.Client`` (the baseline); ``FluentClient.graphql`` with local
validation on (cached by query text) and off, when the installed client has the
``validate=`` keyword (otherwise its one mode, reported as such); and gql's sync
client on its httpx transport, without a schema and with ``Client(schema=...)``
given our SDL ``schema/fluent.graphql``, in gql's own environment. gql's
document is parsed once with ``gql()`` outside the loop, as gql's docs do.

gql 4 runs on graphql-core 3.3, which refuses a schema where an implementation's
field is deprecated and its interface's is not (FIELD-NOTES); Fluent's schema
has four such fields (``Payment`` and ``PaymentTransaction``'s ``workflowRef``
and ``workflowVersion``, against ``Orchestrateable``). So gql is given the same
SDL with exactly those ``@deprecated`` markers cut out (:func:`gql_sdl`), which
changes nothing a query's validation looks at.

Budgets: ours with validation <= 1.15x raw httpx; ours ahead of gql (lower CPU
per call) with validation and without.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path
from typing import Any

from _common import (
    GQL_PYTHON,
    MAIN_PYTHON,
    SCHEMA,
    CannedServer,
    Worker,
    add_instructions,
    budget,
    common_arguments,
    emit,
    gql_available,
    instruction_counts,
    interleaved_rounds,
    me_request_body,
    paired_ratio,
    per_call_us,
    result,
    server_summary,
    workers,
)

BUDGET = 1.15
BASE = "raw httpx.Client"
OURS_ON = "FluentClient.graphql(), validation on"
OURS_OFF = "FluentClient.graphql(), validation off"
OURS_ONLY = "FluentClient.graphql() (no validate= yet)"
GQL_ON = "gql Client(schema=SDL)"
GQL_OFF = "gql Client(), no schema"


#: Counts what graphql-core 3.3 (gql's) finds wrong with a schema file.
SCHEMA_ERRORS_PROBE = (
    "import sys; from graphql import build_schema, validate_schema; "
    "print(len(validate_schema(build_schema(open(sys.argv[1]).read()))))"
)


def gql_sdl(directory: Path) -> tuple[Path, list[str]]:
    """Our SDL as gql's graphql-core accepts it; the file, and the fields changed.

    An implementation field deprecated where its interface's field is not loses
    its ``@deprecated`` (graphql-core 3.3 refuses the schema otherwise); nothing
    else changes.
    """
    from graphql import (
        GraphQLInterfaceType,
        GraphQLObjectType,
        InterfaceTypeDefinitionNode,
        ObjectTypeDefinitionNode,
        build_ast_schema,
        parse,
    )

    sdl = SCHEMA.read_text("utf-8")
    document = parse(sdl)
    schema = build_ast_schema(document)
    mismatched = {
        (named.name, name)
        for named in schema.type_map.values()
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType)
        for interface in named.interfaces
        for name, field in interface.fields.items()
        if field.deprecation_reason is None
        and name in named.fields
        and named.fields[name].deprecation_reason is not None
    }
    with_fields = ObjectTypeDefinitionNode | InterfaceTypeDefinitionNode
    cuts = [
        (directive.loc.start, directive.loc.end)
        for definition in document.definitions
        if isinstance(definition, with_fields)
        for field in definition.fields or ()
        if (definition.name.value, field.name.value) in mismatched
        for directive in field.directives or ()
        if directive.name.value == "deprecated" and directive.loc is not None
    ]
    for start, end in sorted(cuts, reverse=True):
        sdl = sdl[:start] + sdl[end:]
    path = directory / "fluent-for-gql.graphql"
    path.write_text(sdl, "utf-8")
    return path, sorted(f"{t}.{f}" for t, f in mismatched)


def _gql_accepts(path: Path) -> bool:
    done = subprocess.run(
        [str(GQL_PYTHON), "-c", SCHEMA_ERRORS_PROBE, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode == 0 and done.stdout.strip() == "0"


def _validate_supported(base_url: str, body: str) -> bool:
    probe = Worker(
        "fluent-raw", base_url, options={"body": body, "warmup": "1"}
    )  # a short-lived worker tells us what the installed client offers
    try:
        return bool(probe.info.get("validate_supported"))
    finally:
        probe.close()


def _specs(
    body: str, validate: bool, with_gql: bool, gql_schema: Path | None
) -> list[tuple[str, str, Path, dict[str, str]]]:
    plain = {"body": body}
    specs = [(BASE, "httpx", MAIN_PYTHON, plain)]
    if validate:
        specs += [
            (OURS_ON, "fluent-raw", MAIN_PYTHON, {**plain, "validate": "on"}),
            (OURS_OFF, "fluent-raw", MAIN_PYTHON, {**plain, "validate": "off"}),
        ]
    else:
        specs.append((OURS_ONLY, "fluent-raw", MAIN_PYTHON, plain))
    if with_gql:
        specs.append((GQL_OFF, "gql", GQL_PYTHON, plain))
    if with_gql and gql_schema is not None:
        specs.append((GQL_ON, "gql", GQL_PYTHON, {**plain, "schema": str(gql_schema)}))
    return specs


def _cpu(samples: dict[str, list[dict[str, float]]], label: str) -> float | None:
    return per_call_us(samples[label]) if label in samples else None


def _ahead(ours: float | None, theirs: float | None) -> float | None:
    """gql's CPU per call over ours: above 1.0 means we are ahead."""
    return None if ours is None or theirs is None else round(theirs / ours, 3)


def main() -> None:
    """Measure, then print the result as JSON."""
    parser = common_arguments(default_rounds=5, default_calls=2000)
    parser.add_argument(
        "--no-instructions",
        dest="instructions",
        action="store_false",
        help="skip the instruction counts under callgrind (~1 min)",
    )
    args = parser.parse_args()
    notes: list[str] = []
    with_gql = gql_available()
    if not with_gql:
        notes.append(f"gql not measured: {GQL_PYTHON} missing (make bench sets it up)")
    with tempfile.TemporaryDirectory() as tmp, CannedServer() as server:
        body = str(me_request_body(Path(tmp)))
        validate = _validate_supported(server.base_url, body)
        if not validate:
            notes.append(
                "FluentClient.graphql has no validate= keyword yet: its one mode "
                "(no local validation) is compared with both gql modes"
            )
        gql_schema = None
        if with_gql:
            gql_schema, changed = gql_sdl(Path(tmp))
            if changed:
                notes.append(
                    "gql's schema: our SDL without @deprecated on "
                    + ", ".join(changed)
                    + " (graphql-core 3.3 refuses an implementation field "
                    "deprecated where its interface's is not)"
                )
            if not _gql_accepts(gql_schema):
                notes.append("gql with a schema not measured: gql refuses our SDL")
                gql_schema = None
        specs = _specs(body, validate, with_gql, gql_schema)
        with workers(server.base_url, specs) as running:
            versions = {label: w.info.get("versions") for label, w in running.items()}
            samples = interleaved_rounds(
                server, running, rounds=args.rounds, calls=args.calls
            )
        # Counted for the budgeted pair only: gql's margins need no cross-check.
        counted = [spec for spec in specs if spec[0] in (BASE, OURS_ON)]
        counts = instruction_counts(
            server.base_url, counted, enabled=args.instructions and validate
        )
    rows: list[dict[str, Any]] = []
    for label, sample in samples.items():
        paired = paired_ratio(sample, samples[BASE])
        rows.append(
            {
                "label": label,
                "value": round(per_call_us(sample), 1),
                "ratio": paired["median"],
                "ratio_range": [paired["min"], paired["max"]],
                **server_summary(sample),
            }
        )
    base_count = add_instructions(rows, counts, BASE)
    on_count = counts.get(OURS_ON)
    ours_on = OURS_ON if validate else None
    ours_off = OURS_OFF if validate else OURS_ONLY
    budgets = [
        budget(
            "raw method, validation on (cached), vs raw httpx",
            paired_ratio(samples[ours_on], samples[BASE])["median"]
            if ours_on
            else None,
            BUDGET,
            "max",
        ),
        budget(
            "  the same in instructions (cross-check, steady under load)",
            on_count / base_count if on_count and base_count else None,
            BUDGET,
            "max",
        ),
        budget(
            "gql with schema validation / ours with validation (ahead if > 1)",
            _ahead(_cpu(samples, ours_on) if ours_on else None, _cpu(samples, GQL_ON)),
            1.0,
            "min",
        ),
        budget(
            "gql without validation / ours without validation (ahead if > 1)",
            _ahead(_cpu(samples, ours_off), _cpu(samples, GQL_OFF)),
            1.0,
            "min",
        ),
    ]
    emit(
        result(
            "raw_method",
            "3. Raw method vs raw httpx and gql (client CPU per call)",
            unit="us CPU/call",
            rows=rows,
            budgets=budgets,
            notes=[
                f"{args.calls} calls x {args.rounds} rounds; value: median CPU per "
                "call; ratio: median of per-round ratios to raw httpx",
                *notes,
            ],
            details={"samples": samples, "versions": versions},
        )
    )


if __name__ == "__main__":
    main()
