"""Fluent CLI profiles, and how the command line merges flags, environment, profile."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fluent_gql import FluentConfigError
from fluent_gql._config import SETTINGS
from fluent_gql._profiles import (
    Profile,
    list_profiles,
    list_retailers,
    profile_dir,
    read_profile,
)
from fluent_gql.cli._options import CliOptions, resolve_config, resolve_settings
from tests.conftest import Run

SECRET = "profile-client-secret-42"
PASSWORD = "profile-password-17"


def write(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


@pytest.fixture
def profiles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A FLUENT_PROFILE_DIR with profile 'dev': two users and two retailers."""
    dev = tmp_path / "dev"
    write(
        dev / "profile.json",
        {
            "baseUrl": "https://dev.sandbox.api.fluentretail.com",
            "id": "DEV",
            "clientSecret": SECRET,
            "user": "admin",
        },
    )
    write(dev / "user.admin.json", {"username": "admin", "password": PASSWORD})
    write(dev / "user.robot.json", {"username": "robot@dev", "password": "robot-pw"})
    write(dev / "retailer.R1.json", {"id": 7, "user": "robot"})
    write(dev / "retailer.R2.json", {"id": "8"})
    (tmp_path / "not-a-profile").mkdir()
    monkeypatch.setenv("FLUENT_PROFILE_DIR", str(tmp_path))
    return tmp_path


def test_a_profile_gives_its_default_users_settings(profiles: Path) -> None:
    """profile.json and the default user's file become FluentConfig settings."""
    profile = read_profile("dev")

    assert profile.settings == {
        "base_url": "https://dev.sandbox.api.fluentretail.com",
        "client_id": "DEV",
        "client_secret": SECRET,
        "username": "admin",
        "password": PASSWORD,
    }
    assert profile.files["password"] == profiles / "dev" / "user.admin.json"


def test_a_retailer_file_sets_the_retailer_and_may_override_the_user(
    profiles: Path,
) -> None:
    """retailer.<ref>.json gives retailer_id; its 'user' replaces the default user."""
    override = read_profile("dev", retailer="R1").settings
    default_user = read_profile("dev", retailer="R2").settings

    assert override["retailer_id"] == "7"
    assert (override["username"], override["password"]) == ("robot@dev", "robot-pw")
    assert default_user["retailer_id"] == "8"
    assert default_user["username"] == "admin"


def test_profiles_and_retailers_are_listed(profiles: Path) -> None:
    """Only folders with a profile.json count; retailers come from their files."""
    assert list_profiles() == ["dev"]
    assert list_retailers("dev") == ["R1", "R2"]
    assert list_profiles(profiles / "missing") == []


def test_the_profile_folder_defaults_to_the_fluent_clis(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Without FLUENT_PROFILE_DIR profiles are read from ~/.fluentcommerce."""
    monkeypatch.setenv("HOME", str(tmp_path))

    assert profile_dir({}) == tmp_path / ".fluentcommerce"
    assert profile_dir({"FLUENT_PROFILE_DIR": "/x"}) == Path("/x")


def test_a_missing_profile_is_named_with_the_ones_that_exist(profiles: Path) -> None:
    """The error names the profile, the file it looked for and the alternatives."""
    with pytest.raises(FluentConfigError) as caught:
        read_profile("prod")

    message = str(caught.value)
    assert "'prod'" in message
    assert str(profiles / "prod" / "profile.json") in message
    assert "dev" in message and "FLUENT_PROFILE_DIR" in message


@pytest.mark.parametrize("key", ["baseUrl", "id", "clientSecret", "user"])
def test_a_missing_key_names_the_file_and_the_key(profiles: Path, key: str) -> None:
    """Each required key of profile.json is reported by file and name."""
    path = profiles / "dev" / "profile.json"
    data = json.loads(path.read_text())
    del data[key]
    write(path, data)

    with pytest.raises(FluentConfigError) as caught:
        read_profile("dev")

    assert str(caught.value) == f"{path} has no {key!r}"


def test_a_missing_user_file_is_named(profiles: Path) -> None:
    """A profile naming a user without a user.<name>.json says which file is missing."""
    (profiles / "dev" / "user.admin.json").unlink()

    with pytest.raises(FluentConfigError) as caught:
        read_profile("dev")

    assert str(profiles / "dev" / "user.admin.json") in str(caught.value)


def test_a_missing_password_names_the_user_file(profiles: Path) -> None:
    """user.<name>.json without 'password' is reported by file and key."""
    path = write(profiles / "dev" / "user.admin.json", {"username": "admin"})

    with pytest.raises(FluentConfigError, match="has no 'password'") as caught:
        read_profile("dev")

    assert str(path) in str(caught.value)


def test_malformed_json_is_reported_without_the_files_contents(profiles: Path) -> None:
    """A broken file is named with the parser's position, never its text."""
    path = write(profiles / "dev" / "profile.json", f'{{"clientSecret": "{SECRET}",')

    with pytest.raises(FluentConfigError) as caught:
        read_profile("dev")

    message = str(caught.value)
    assert f"{path} is not valid JSON" in message and "line 1" in message
    assert SECRET not in message


def test_a_malformed_secret_is_reported_without_its_value(profiles: Path) -> None:
    """A non-string secret is refused by its type, the value is never echoed."""
    path = profiles / "dev" / "profile.json"
    data = json.loads(path.read_text())
    data["clientSecret"] = 987654321
    write(path, data)

    with pytest.raises(FluentConfigError) as caught:
        read_profile("dev")

    assert "'clientSecret' must be a non-empty string, got int" in str(caught.value)
    assert "987654321" not in str(caught.value)


def test_a_file_that_is_not_an_object_is_refused(profiles: Path) -> None:
    """A JSON list where an object belongs is named."""
    write(profiles / "dev" / "user.admin.json", ["admin"])

    with pytest.raises(FluentConfigError, match="must hold a JSON object"):
        read_profile("dev")


def test_an_unknown_retailer_lists_the_known_ones(profiles: Path) -> None:
    """Asking for a retailer without a file names the file and the alternatives."""
    with pytest.raises(FluentConfigError) as caught:
        read_profile("dev", retailer="R9")

    assert "retailer.R9.json" in str(caught.value)
    assert "R1, R2" in str(caught.value)


def test_a_non_numeric_retailer_id_is_refused(profiles: Path) -> None:
    """A retailer file's id must be a number (as a number or numeric text)."""
    write(profiles / "dev" / "retailer.R1.json", {"id": "ACME"})

    with pytest.raises(FluentConfigError) as caught:
        read_profile("dev", retailer="R1")

    assert str(caught.value) == (
        f"{profiles / 'dev' / 'retailer.R1.json'}: 'id' must be numeric (a Fluent "
        "retailer id), got 'ACME'"
    )


@pytest.mark.parametrize("name", ["..", "../dev", "a/b", ""])
def test_names_cannot_leave_the_profile_folder(profiles: Path, name: str) -> None:
    """Profile names with path separators or dots are refused."""
    with pytest.raises(FluentConfigError, match="invalid profile name"):
        read_profile(name)


def test_a_profiles_repr_shows_no_secret(profiles: Path) -> None:
    """repr(Profile) names the keys it holds, not their values."""
    shown = repr(read_profile("dev"))

    assert SECRET not in shown and PASSWORD not in shown
    assert shown.startswith("Profile(name='dev'")
    assert isinstance(read_profile("dev"), Profile)


def test_a_profile_alone_configures_the_client(profiles: Path) -> None:
    """--profile with nothing else resolves a complete FluentConfig."""
    environ = {"FLUENT_PROFILE_DIR": str(profiles)}

    config = resolve_config(CliOptions(profile="dev", retailer="R2"), environ)

    assert config.base_url == "https://dev.sandbox.api.fluentretail.com"
    assert (config.client_id, config.username) == ("DEV", "admin")
    assert (config.client_secret, config.password) == (SECRET, PASSWORD)
    assert config.retailer_id == "8"


def test_flags_beat_environment_which_beats_the_profile(profiles: Path) -> None:
    """Each setting comes from the first of flag, environment and profile."""
    environ = {
        "FLUENT_PROFILE_DIR": str(profiles),
        "FLUENT_BASE_URL": "https://env.sandbox.api.fluentretail.com",
        "FLUENT_USERNAME": "env-user",
        "FLUENT_RETAILER_ID": "5",
    }
    opts = CliOptions(profile="dev", settings={"username": "flag-user", "timeout": "3"})

    resolved = resolve_settings(opts, environ)
    config = resolved.config()

    assert config.username == "flag-user"
    assert config.base_url == "https://env.sandbox.api.fluentretail.com"
    assert config.client_id == "DEV" and config.retailer_id == "5"
    assert resolved.sources["username"].kind == "flag"
    assert resolved.sources["base_url"].kind == "env"
    assert resolved.sources["client_secret"].kind == "profile"
    assert (
        str(profiles / "dev" / "profile.json") in resolved.sources["client_id"].detail
    )
    assert resolved.sources["timeout"].detail == "--timeout"
    assert resolved.sources["scope"].kind == "default"


def test_fluent_profile_selects_the_profile_when_no_flag_does(profiles: Path) -> None:
    """FLUENT_PROFILE names the profile; --profile wins over it."""
    environ = {"FLUENT_PROFILE": "dev", "FLUENT_PROFILE_DIR": str(profiles)}

    by_env = resolve_settings(CliOptions(), environ)

    assert by_env.profile is not None and by_env.profile.name == "dev"
    with pytest.raises(FluentConfigError, match="'other' not found"):
        resolve_settings(CliOptions(profile="other"), environ)


def test_a_retailer_needs_a_profile() -> None:
    """--retailer without a profile is a configuration error, not silently ignored."""
    with pytest.raises(FluentConfigError, match="give --profile"):
        resolve_settings(CliOptions(retailer="R1"), {})


def test_missing_settings_name_their_flags_and_variables() -> None:
    """With nothing configured, the error lists how to set each required setting."""
    with pytest.raises(FluentConfigError) as caught:
        resolve_config(CliOptions(settings={"username": "u"}), {"FLUENT_PASSWORD": "p"})

    message = str(caught.value)
    assert "base_url (--base-url or FLUENT_BASE_URL)" in message
    assert "client_secret (--client-secret or FLUENT_CLIENT_SECRET)" in message
    assert "username" not in message and "password" not in message
    assert "--profile" in message


def test_a_malformed_value_says_where_it_came_from(profiles: Path) -> None:
    """A bad setting is reported with its source: the flag, variable or file."""
    with pytest.raises(FluentConfigError) as caught:
        resolve_config(
            CliOptions(profile="dev"),
            {"FLUENT_RETAILER_ID": "ACME", "FLUENT_PROFILE_DIR": str(profiles)},
        )

    assert "retailer_id must be numeric" in str(caught.value)
    assert "[from env (FLUENT_RETAILER_ID)]" in str(caught.value)


def test_a_blank_optional_variable_counts_as_unset(profiles: Path) -> None:
    """FLUENT_RETAILER_ID= (empty) leaves the profile's retailer in place."""
    resolved = resolve_settings(
        CliOptions(profile="dev", retailer="R1"),
        {"FLUENT_RETAILER_ID": " ", "FLUENT_PROFILE_DIR": str(profiles)},
    )

    assert resolved.values["retailer_id"] == "7"
    assert resolved.sources["retailer_id"].kind == "profile"


def test_a_profile_holds_the_settings_the_table_keeps_in_profiles(
    profiles: Path,
) -> None:
    """Which file and key holds which setting is the settings table's."""
    profile = read_profile("dev", retailer="R2")

    assert set(profile.settings) == {s.name for s in SETTINGS if s.profile}
    for setting in SETTINGS:
        if setting.profile is not None:
            assert profile.files[setting.name].name.startswith(setting.profile[0])


def test_a_profile_value_is_checked_like_a_variable_and_named_by_file_and_key(
    profiles: Path,
) -> None:
    """A malformed baseUrl is refused by the same check as FLUENT_BASE_URL."""
    path = profiles / "dev" / "profile.json"
    data = json.loads(path.read_text())
    write(path, {**data, "baseUrl": "https://dev.example.com/graphql"})

    with pytest.raises(FluentConfigError) as caught:
        read_profile("dev")

    assert str(caught.value).startswith(f"{path}: 'baseUrl' must be the account's")


def test_a_malformed_flag_exits_3_like_a_malformed_variable(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--timeout soon and FLUENT_TIMEOUT=soon get the same check, the same exit
    status and a message naming where the value came from."""
    for variable, value in {
        "FLUENT_BASE_URL": "https://acct.example.com",
        "FLUENT_USERNAME": "u",
        "FLUENT_PASSWORD": PASSWORD,
        "FLUENT_CLIENT_ID": "c",
        "FLUENT_CLIENT_SECRET": SECRET,
    }.items():
        monkeypatch.setenv(variable, value)

    flag_code, _, flag_err = run("me", "--timeout", "soon")
    monkeypatch.setenv("FLUENT_TIMEOUT", "soon")
    env_code, _, env_err = run("me")

    problem = "timeout must be a positive number of seconds, got 'soon'"
    assert (flag_code, env_code) == (3, 3)
    assert f"{problem} [from flag (--timeout)]" in flag_err
    assert f"{problem} [from env (FLUENT_TIMEOUT)]" in env_err
