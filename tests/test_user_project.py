"""A user's own project, end to end, outside this repository: the built wheel in a
fresh virtual environment with the ``codegen`` and ``emulator`` extras, a project
made by ``fluent-gql init`` with three operations of its own, ``generate``, the
generated clients (sync and async) run against the emulator through the pytest
plugin's fixture factories, ``generate --check``, and ``mypy --strict`` on a script
that uses the client.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests._paths import ROOT

pytestmark = pytest.mark.slow

#: What the user writes: a query with nested input filters, a query over a
#: connection (paged), and a mutation.
OPERATIONS = {
    "customers_created_since.graphql": """
        query customersCreatedSince($since: DateTime!, $status: [String]) {
          customers(createdOn: {from: $since}, status: $status, first: 50) {
            edges { node { id ref username primaryEmail createdOn } }
          }
        }
    """,
    "location_page.graphql": """
        query locationPage($types: [String], $first: Int, $after: String) {
          locations(type: $types, first: $first, after: $after) {
            edges { cursor node { id ref name type } }
            pageInfo { hasNextPage }
          }
        }
    """,
    "add_customer.graphql": """
        mutation addCustomer($input: CreateCustomerInput!) {
          createCustomer(input: $input) { id ref username firstName }
        }
    """,
}

#: The user's own tests, run by the venv's pytest with our installed plugin.
USER_TESTS = """
from datetime import UTC, datetime, timedelta

import pytest

from acme.fluent import AcmeClient, AsyncAcmeClient
from acme.fluent.input_types import CreateCustomerInput, RetailerId
from fluent_gql import FluentGraphQLError


def new_customer(retailer_id, name):
    return CreateCustomerInput(
        username=name, primary_email=f"{name}@example.com", first_name="Ada",
        retailer=RetailerId(id=retailer_id), timezone="UTC", promotion_opt_in=False,
    )


def test_sync(fluent_client_factory, fluent_emulator):
    client = fluent_client_factory(AcmeClient)
    since = datetime.now(UTC) - timedelta(minutes=5)
    made = client.add_customer(
        input=new_customer(fluent_emulator.emulator.retailer_id, "ada")
    ).create_customer
    found = client.customers_created_since(since=since).customers
    refs = [e.node.username for e in found.edges]
    locations = list(client.paginate(client.location_page, page_size=1))
    assert made.first_name == "Ada" and made.username == "ada"
    assert refs == ["ada"]
    assert len(locations) >= 1 and all(loc.ref for loc in locations)
    assert client.customers_created_since(
        since=since + timedelta(days=1)
    ).customers.edges == []
    with pytest.raises(FluentGraphQLError):
        client.add_customer(
            input=new_customer(fluent_emulator.emulator.retailer_id, "ada")
        )


@pytest.mark.anyio
async def test_async(async_fluent_client_factory, fluent_emulator):
    client = await async_fluent_client_factory(AsyncAcmeClient)
    since = datetime.now(UTC) - timedelta(minutes=5)
    await client.add_customer(
        input=new_customer(fluent_emulator.emulator.retailer_id, "grace")
    )
    found = (await client.customers_created_since(since=since)).customers
    locations = [loc async for loc in client.paginate(client.location_page,
                                                      page_size=2)]
    assert [e.node.username for e in found.edges] == ["grace"]
    assert len(locations) >= 1
    assert (await client.graphql("query { me { username } }"))["me"]["username"]


@pytest.fixture
def anyio_backend():
    return "asyncio"
"""

#: A script the user type-checks with mypy --strict.
USER_SCRIPT = '''
from datetime import UTC, datetime

from acme.fluent import AcmeClient, AsyncAcmeClient
from acme.fluent.input_types import CreateCustomerInput, RetailerId
from fluent_gql import FluentConfig, FluentError


def usernames_since(client: AcmeClient, since: datetime) -> list[str]:
    """Every customer created since ``since``."""
    connection = client.customers_created_since(since=since).customers
    if connection is None or connection.edges is None:
        return []
    return [e.node.username or "" for e in connection.edges if e and e.node]


def add(client: AcmeClient, retailer_id: str) -> str:
    made = client.add_customer(
        input=CreateCustomerInput(
            username="ada", primary_email="ada@example.com", first_name="Ada",
            retailer=RetailerId(id=retailer_id), timezone="UTC", promotion_opt_in=False,
        )
    ).create_customer
    return made.id if made else ""


async def first_location(config: FluentConfig) -> str | None:
    async with AsyncAcmeClient(config) as client:
        page = (await client.location_page(first=1)).locations
        edges = [e for e in (page.edges or []) if e and e.node] if page else []
        return edges[0].node.ref if edges and edges[0].node else None


def main() -> None:
    try:
        with AcmeClient.from_env(timeout=30) as client:
            client.login()
            print(usernames_since(client, datetime(2026, 1, 1, tzinfo=UTC)))
            print(add(client, "1"))
            fast = client.with_options(timeout=5, max_retries=0)
            print(fast.graphql("query { me { id } }")["me"])
    except FluentError as exc:
        print(f"failed: {exc}")
'''

MYPY_SETTINGS = """
[tool.mypy]
strict = true
plugins = ["pydantic.mypy"]
"""


@dataclass(frozen=True)
class UserProject:
    """The fresh environment and the user's project in it."""

    venv: Path
    project: Path

    @property
    def bin(self) -> Path:
        return self.venv / "bin"

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run a command of the venv in the project; fail the test on a surprise."""
        env = {
            k: v for k, v in os.environ.items() if not k.startswith(("FLUENT_", "PY"))
        }
        env["XDG_CACHE_HOME"] = str(self.project.parent / "cache")
        done = subprocess.run(
            [str(self.bin / args[0]), *args[1:]],
            cwd=self.project,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if check:
            assert done.returncode == 0, done.stdout + done.stderr
        return done


@pytest.fixture(scope="module")
def user(tmp_path_factory: pytest.TempPathFactory) -> UserProject:
    """The wheel built, installed with its extras in a fresh venv, and a project
    made by ``fluent-gql init`` with the user's operations, generated."""
    base = tmp_path_factory.mktemp("user")
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", base],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = base.glob("fluent_gql-*.whl")
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True, timeout=300)
    subprocess.run(
        [venv / "bin" / "python", "-m", "pip", "install", "--quiet",
         f"{wheel}[codegen,emulator]", "pytest"],
        check=True,
        capture_output=True,
        timeout=600,
    )  # fmt: skip
    project = base / "acme"
    project.mkdir()
    (project / "pyproject.toml").write_text(
        '[project]\nname = "acme"\nversion = "1.0"\n' + MYPY_SETTINGS, "utf-8"
    )
    made = UserProject(venv, project)
    made.run("fluent-gql", "init", "--package", "acme.fluent", "--client", "AcmeClient")
    for name, text in OPERATIONS.items():
        (project / "queries" / name).write_text(textwrap.dedent(text), "utf-8")
    made.run("fluent-gql", "generate")
    return made


def test_generate_writes_the_package_with_both_clients(user: UserProject) -> None:
    """acme/fluent holds the clients, the models and the plans; nothing of this
    repository is on the path (the venv is outside it)."""
    package = user.project / "acme" / "fluent"
    probe = user.run(
        "python", "-c",
        "import acme.fluent as f, fluent_gql; "
        "print(f.AcmeClient.__mro__[1].__name__, f.AsyncAcmeClient.__name__, "
        "fluent_gql.__file__); "
        "print(' '.join(sorted(n for n in vars(f.AcmeClient) if n[0] != '_')))",
    )  # fmt: skip
    first, methods = probe.stdout.splitlines()

    assert (package / "client.py").is_file()
    assert (package / "async_client.py").is_file()
    assert (package / "operation_plans.py").is_file()
    assert not (package / "schema.json").exists()
    bases, async_name, installed = first.split()
    assert (bases, async_name) == ("BaseClient", "AsyncAcmeClient")
    assert not Path(installed).is_relative_to(ROOT)
    assert methods.split() == [
        "add_customer", "customers_created_since", "location_page", "me",
    ]  # fmt: skip


def test_the_generated_clients_run_against_the_emulator(user: UserProject) -> None:
    """The user's own pytest suite, sync and async, through the fixture factories."""
    tests = user.project / "tests"
    tests.mkdir(exist_ok=True)
    (tests / "test_acme.py").write_text(USER_TESTS, "utf-8")

    done = user.run("python", "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests")

    assert "2 passed" in done.stdout


def test_mypy_strict_is_clean_on_a_script_that_uses_the_client(
    user: UserProject,
) -> None:
    """The generated package and a user's script pass mypy --strict (with the
    pydantic plugin, for snake_case input model keywords)."""
    (user.project / "script.py").write_text(USER_SCRIPT, "utf-8")
    mypy = Path(sys.executable).parent / "mypy"

    done = subprocess.run(
        [mypy, "--python-executable", user.bin / "python", "script.py"],
        cwd=user.project,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert "Success" in done.stdout


def test_generate_check_is_clean_then_names_what_an_edit_made_stale(
    user: UserProject,
) -> None:
    """--check exits 0 when current; after an operation changes, 1 with the files."""
    clean = user.run("fluent-gql", "generate", "--check")
    page = user.project / "queries" / "location_page.graphql"
    original = page.read_text("utf-8")
    page.write_text(original.replace("name type", "name"), "utf-8")
    try:
        stale = user.run("fluent-gql", "generate", "--check", check=False)
    finally:
        page.write_text(original, "utf-8")

    assert clean.returncode == 0
    assert stale.returncode == 1
    assert "stale: acme/fluent/location_page.py" in stale.stdout
    assert "stale: acme/fluent/client.py" in stale.stdout
    assert "stale: acme/fluent/async_client.py" in stale.stdout
