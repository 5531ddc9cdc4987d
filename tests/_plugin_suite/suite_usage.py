"""The generated suite of bad marker usage (copied as ``test_usage.py``): each
test but the last is a usage error the plugin must name."""

from __future__ import annotations

import pytest

from fluent_gql import FluentClient
from fluent_gql.emulator import EmulatorServer, FaultPlan


@pytest.mark.fluent_emulator("x")
def test_positional_emulator_setting(fluent_emulator: EmulatorServer) -> None:
    """Settings are keywords."""
    pytest.fail("ran with a positional setting")


@pytest.mark.fluent_emulator(colour="blue")
def test_unknown_emulator_setting(fluent_emulator: EmulatorServer) -> None:
    """Only the Emulator's own settings."""
    pytest.fail("ran with an unknown setting")


@pytest.mark.fluent_faults(seed=1)
@pytest.mark.fluent_emulator(faults=FaultPlan(seed=2))
def test_faults_in_both_markers(fluent_emulator: EmulatorServer) -> None:
    """One fault plan, in one place."""
    pytest.fail("ran with two plans")


@pytest.mark.fluent_faults(server_error_rate=2.0)
def test_a_rate_above_one(fluent_emulator: EmulatorServer) -> None:
    """A plan the FaultPlan refuses."""
    pytest.fail("ran with a bad plan")


@pytest.mark.fluent_faults("often")
def test_a_plan_that_is_no_plan(fluent_emulator: EmulatorServer) -> None:
    """A positional plan is a FaultPlan."""
    pytest.fail("ran with a string for a plan")


def test_good_usage_still_runs(fluent_client: FluentClient) -> None:
    """The usage errors of other tests leave this one alone."""
    me = fluent_client.me().me
    assert me is not None and me.username
