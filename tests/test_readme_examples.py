"""Every ```python example of the README runs as written, against a fresh emulator.

Each block runs the way a reader would run it, in a process of its own:

- a block that defines ``test_`` functions is saved as a test file and run under
  pytest, with fluent-gql's plugin giving its fixtures (one emulator for the
  whole pytest process, which runs them all, reset for each test);
- any other block runs as a script, with the five ``FLUENT_*`` variables pointing
  at a fresh emulator the test started (the README's "Use it against your Fluent
  account");
- both run in the project the README's "Your own operations" makes (its
  ``[tool.fluent-gql]`` table and operation file, then ``fluent-gql generate``), so
  that ``from acme.fluent import AcmeClient`` works as it does there.

An HTML comment on the line before a block may say how to take it:

- ``<!-- given: client -->``: the block uses ``client``, a ``FluentClient`` from the
  variables, as the README's first example makes one;
- ``<!-- not-run: REASON -->``: it is not run; :data:`NOT_RUN` pins how many are
  not, so that the set cannot grow unnoticed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pytest

from fluent_gql.emulator import EmulatorServer
from tests._paths import ROOT

README = ROOT / "README.md"

#: How many python blocks of the README are marked not-run. Change it only with
#: the README, knowingly.
NOT_RUN = 2

_MARKER = re.compile(r"<!-- (?P<kind>given|not-run): (?P<text>.+?) -->")
_FENCE = "```"


@dataclass(frozen=True)
class Example:
    """One python block of the README."""

    line: int  # of its opening fence
    code: str
    given: str | None = None
    not_run: str | None = None

    @property
    def is_test_module(self) -> bool:
        return re.search(r"^(async )?def test_", self.code, re.MULTILINE) is not None


def _examples() -> list[Example]:
    lines = README.read_text(encoding="utf-8").splitlines()
    found: list[Example] = []
    index = 0
    while index < len(lines):
        if lines[index].strip() == f"{_FENCE}python":
            indent = lines[index][: len(lines[index]) - len(lines[index].lstrip())]
            end = lines.index(f"{indent}{_FENCE}", index + 1)
            code = "\n".join(line[len(indent) :] for line in lines[index + 1 : end])
            before = lines[index - 1].strip() if index else ""
            marker = _MARKER.fullmatch(before)
            assert marker or not before.startswith("<!--"), (
                f"README.md:{index}: unknown marker {before!r}"
            )
            found.append(
                Example(
                    line=index + 1,
                    code=code + "\n",
                    given=marker["text"]
                    if marker and marker["kind"] == "given"
                    else None,
                    not_run=marker["text"]
                    if marker and marker["kind"] == "not-run"
                    else None,
                )
            )
            index = end
        index += 1
    return found


EXAMPLES = _examples()
RUN = [e for e in EXAMPLES if e.not_run is None]

_CLIENT = "from fluent_gql import FluentClient\nclient = FluentClient.from_env()\n"

#: What ``<!-- given: ... -->`` may give a block: code run before it, and after.
GIVEN = {
    "client": (_CLIENT, "client.close()\n"),
    # The first example creates the customer and product that later ones use.
    "client, after the first example": (EXAMPLES[0].code + _CLIENT, "client.close()\n"),
}


def _section(example: Example) -> str:
    """The README heading the block is under, for the test's id."""
    heading, in_fence = "", False
    for line in README.read_text(encoding="utf-8").splitlines()[: example.line]:
        in_fence ^= line.lstrip().startswith(_FENCE)
        if not in_fence and line.startswith("#"):
            heading = line
    return re.sub(r"[^a-z0-9]+", "-", heading.lstrip("# ").lower()).strip("-")


def test_every_python_block_is_found_and_the_not_run_ones_say_why() -> None:
    """Every fence is parsed; the not-run blocks are as many as pinned, each with
    its reason."""
    text = README.read_text(encoding="utf-8")

    assert len(EXAMPLES) == text.count(f"{_FENCE}python")
    assert [e.line for e in EXAMPLES if e.not_run] and all(
        len(e.not_run or "") > 20 for e in EXAMPLES if e.not_run
    )
    assert sum(e.not_run is not None for e in EXAMPLES) == NOT_RUN
    assert {e.given for e in EXAMPLES if e.given} <= set(GIVEN)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The README's "Your own operations" project: its pyproject.toml table and its
    operation file, generated with `fluent-gql generate`."""
    text = README.read_text(encoding="utf-8")
    toml = re.search(r"```toml\n(\[tool\.fluent-gql\]\n.*?)```", text, re.DOTALL)
    operation = re.search(r"```graphql\n# (queries/\S+)\n(.*?)```", text, re.DOTALL)
    assert toml and operation, "the README's project lost its table or operation"
    folder = tmp_path_factory.mktemp("readme-project")
    (folder / "pyproject.toml").write_text(toml[1])
    (folder / operation[1]).parent.mkdir(parents=True)
    (folder / operation[1]).write_text(operation[2])
    (folder / "pytest.ini").write_text("[pytest]\n")
    fluent_gql = Path(sys.executable).parent / "fluent-gql"
    subprocess.run(
        [str(fluent_gql), "generate"],
        cwd=folder,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return folder


def _environment(server: EmulatorServer) -> dict[str, str]:
    creds = server.emulator.credentials
    return {
        **os.environ,
        "FLUENT_BASE_URL": server.base_url,
        "FLUENT_USERNAME": creds.username,
        "FLUENT_PASSWORD": creds.password,
        "FLUENT_CLIENT_ID": creds.client_id,
        "FLUENT_CLIENT_SECRET": creds.client_secret,
    }


SCRIPTS = [e for e in RUN if not e.is_test_module]
TEST_MODULES = [e for e in RUN if e.is_test_module]


def _ids(examples: list[Example]) -> list[str]:
    return [f"line-{e.line}-{_section(e)}" for e in examples]


@pytest.mark.parametrize("example", SCRIPTS, ids=_ids(SCRIPTS))
def test_the_readme_script_runs_as_written(
    example: Example, project: Path, fluent_emulator: EmulatorServer
) -> None:
    """The block exits 0, with warnings as errors, against a fresh emulator named
    by the FLUENT_* variables."""
    before, after = GIVEN[example.given] if example.given else ("", "")
    code = before + example.code + after

    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", code],
        cwd=project,
        env=_environment(fluent_emulator),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, (
        f"README.md:{example.line}:\n{code}\n{result.stdout[-3000:]}"
        f"{result.stderr[-3000:]}"
    )


def _module(example: Example) -> str:
    return f"test_readme_line_{example.line}"


@pytest.fixture(scope="module")
def pytest_outcomes(project: Path) -> dict[str, list[str]]:
    """Every test-module block as a file of the project, run by one pytest (with
    the plugin's fixtures, warnings as errors): each module's problems, if any."""
    for example in TEST_MODULES:
        (project / f"{_module(example)}.py").write_text(example.code)
    report = project / "report.xml"
    subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error"]
        + [f"--junitxml={report}"]
        + [f"{_module(e)}.py" for e in TEST_MODULES],
        cwd=project,
        capture_output=True,
        timeout=300,
    )
    outcomes: dict[str, list[str]] = {_module(e): [] for e in TEST_MODULES}
    ran: set[str] = set()
    for case in ElementTree.parse(report).iter("testcase"):
        module = case.get("classname") or case.get("name") or ""
        module = module.split(".")[0]
        ran.add(module)
        for problem in case:
            if problem.tag in ("failure", "error", "skipped"):
                outcomes.setdefault(module, []).append(
                    f"{problem.tag}: {case.get('name')}: {problem.text or ''}"
                )
    for module in set(outcomes) - ran:
        outcomes[module].append("no test ran")
    return outcomes


@pytest.mark.parametrize("example", TEST_MODULES, ids=_ids(TEST_MODULES))
def test_the_readme_test_module_passes_under_pytest(
    example: Example, pytest_outcomes: dict[str, list[str]]
) -> None:
    """The block, saved as a test file, passes: fixtures from fluent-gql's plugin,
    a fresh emulator for each of its tests."""
    problems = pytest_outcomes[_module(example)]

    assert not problems, f"README.md:{example.line}:\n{example.code}\n" + "\n".join(
        p[-3000:] for p in problems
    )
