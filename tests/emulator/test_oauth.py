"""The /oauth/token endpoint: grants, parameter sources, errors, expiry, revocation."""

from __future__ import annotations

import time
import uuid

import pytest

from fluent_gql.emulator import Emulator, EmulatorCredentials

from .support import Api, StartServer

ME = "{ me { username } }"


def test_a_form_body_password_grant_returns_a_fluent_token(api: Api) -> None:
    """A form POST gets a bearer token with Fluent's extra keys and no refresh token."""
    response = api.token()
    body = response.json()

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert uuid.UUID(body.pop("access_token")).version == 4
    assert body == {
        "token_type": "bearer",
        "expires_in": 86400,
        "scope": "api",
        "Retailer_id": 1,
        "FirstName": "Emulator",
        "LastName": "Admin",
        "Roles": ["ADMIN"],
    }


def test_the_issued_token_opens_the_graphql_endpoint(api: Api) -> None:
    """A token from the password grant authorises GraphQL calls as its user."""
    token = api.token().json()["access_token"]

    response = api.post(ME, token=token)

    assert response.json() == {"data": {"me": {"username": "admin"}}}


def test_parameters_in_the_query_string_are_accepted(api: Api) -> None:
    """Fluent's older documented style: every parameter in the URL, empty body."""
    response = api.http.post("/oauth/token", params=api.password_params())

    assert response.status_code == 200
    assert api.post(ME, token=response.json()["access_token"]).status_code == 200


def test_query_string_and_form_parameters_are_merged(api: Api) -> None:
    """Client credentials in the URL combine with user credentials in the body."""
    params = api.password_params()
    url_part = {name: params.pop(name) for name in ("client_id", "client_secret")}

    response = api.http.post("/oauth/token", params=url_part, data=params)

    assert response.status_code == 200


def test_the_scope_may_be_left_out(api: Api) -> None:
    """Without ``scope`` the token still has scope api."""
    params = api.password_params()
    del params["scope"]

    response = api.http.post("/oauth/token", data=params)

    assert (response.status_code, response.json()["scope"]) == (200, "api")


def test_a_wrong_password_is_a_400_invalid_grant(api: Api) -> None:
    """Bad user credentials: Spring-style invalid_grant."""
    response = api.token(password="not-the-password")

    assert response.status_code == 400
    assert response.json() == {
        "error": "invalid_grant",
        "error_description": "Bad credentials",
    }


def test_an_unknown_username_is_a_400_invalid_grant(api: Api) -> None:
    """A user that does not exist is refused like a wrong password."""
    response = api.token(username="nobody")

    assert (response.status_code, response.json()["error"]) == (400, "invalid_grant")


@pytest.mark.parametrize("field", ["client_id", "client_secret"])
def test_wrong_client_credentials_are_a_401_invalid_client(
    api: Api, field: str
) -> None:
    """A bad client id or secret is refused before the user is looked at."""
    response = api.token(**{field: "wrong", "password": "also-wrong"})

    assert response.status_code == 401
    assert response.json() == {
        "error": "invalid_client",
        "error_description": "Bad client credentials",
    }


@pytest.mark.parametrize(
    "missing", ["grant_type", "client_id", "client_secret", "username", "password"]
)
def test_a_missing_parameter_is_a_400_naming_it(api: Api, missing: str) -> None:
    """Each required parameter is reported by name when absent."""
    params = api.password_params()
    del params[missing]

    response = api.http.post("/oauth/token", data=params)

    assert response.status_code == 400
    assert response.json() == {
        "error": "invalid_request",
        "error_description": f"Missing parameter: {missing}",
    }


def test_other_grant_types_are_unsupported(api: Api) -> None:
    """Only the password and refresh_token grants exist."""
    response = api.token(grant_type="client_credentials")

    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


def test_a_scope_other_than_api_is_refused(api: Api) -> None:
    """Fluent issues scope api only."""
    response = api.token(scope="admin")

    assert (response.status_code, response.json()["error"]) == (400, "invalid_scope")


def test_a_form_body_with_another_content_type_is_ignored(api: Api) -> None:
    """Only a form-encoded body carries parameters; JSON bodies are not read."""
    response = api.http.post("/oauth/token", json=api.password_params())

    assert response.status_code == 400
    assert response.json()["error_description"] == "Missing parameter: grant_type"


def test_every_token_request_is_recorded_in_order(start_server: StartServer) -> None:
    """token_requests lists the grant type of each request, failures included."""
    api = start_server(refresh_tokens=True)
    refresh_token = api.token().json()["refresh_token"]
    api.token(password="wrong")
    api.http.post("/oauth/token", data={"username": "x"})
    api.http.post(
        "/oauth/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
            "client_id": api.emulator.credentials.client_id,
            "client_secret": api.emulator.credentials.client_secret,
        },
    )

    assert api.emulator.token_requests == [
        "password",
        "password",
        "",
        "refresh_token",
    ]


def test_custom_credentials_replace_the_defaults(start_server: StartServer) -> None:
    """An emulator given credentials accepts those and refuses the defaults."""
    creds = EmulatorCredentials(
        username="ops", password="pw-1", client_id="ACME", client_secret="s-1"
    )
    api = start_server(credentials=creds)

    default = api.http.post("/oauth/token", data=api.password_params(**_defaults()))
    custom = api.token()

    assert default.status_code == 401
    assert custom.status_code == 200
    assert api.post(ME, token=custom.json()["access_token"]).json() == {
        "data": {"me": {"username": "ops"}}
    }


def _defaults() -> dict[str, str]:
    defaults = EmulatorCredentials()
    return {
        "username": defaults.username,
        "password": defaults.password,
        "client_id": defaults.client_id,
        "client_secret": defaults.client_secret,
    }


def test_credentials_hide_secrets_from_repr() -> None:
    """The password and client secret never appear in a repr."""
    creds = EmulatorCredentials(password="hunter2-pw", client_secret="s3cr3t-cs")

    assert "hunter2-pw" not in repr(creds)
    assert "s3cr3t-cs" not in repr(creds)
    assert "EMULATOR" in repr(creds)


def _refresh(api: Api, refresh_token: str) -> tuple[int, dict[str, object]]:
    creds = api.emulator.credentials
    response = api.http.post(
        "/oauth/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
            "client_id": creds.client_id,
            "client_secret": creds.client_secret,
        },
    )
    return response.status_code, response.json()


def test_refresh_tokens_are_single_use(start_server: StartServer) -> None:
    """A refresh token buys one new token pair; using it again is invalid_grant."""
    api = start_server(refresh_tokens=True)
    first = api.token().json()["refresh_token"]

    status, renewed = _refresh(api, first)
    again_status, again = _refresh(api, first)

    assert status == 200
    assert renewed["refresh_token"] != first
    assert api.post(ME, token=str(renewed["access_token"])).status_code == 200
    assert again_status == 400
    assert again == {
        "error": "invalid_grant",
        "error_description": "Invalid refresh token",
    }


def test_the_renewed_refresh_token_works_once_too(start_server: StartServer) -> None:
    """Refreshing chains: each response carries the next single-use token."""
    api = start_server(refresh_tokens=True)
    token = str(api.token().json()["refresh_token"])

    for _ in range(3):
        status, body = _refresh(api, token)
        assert status == 200
        token = str(body["refresh_token"])

    assert api.emulator.token_requests == ["password"] + ["refresh_token"] * 3


def test_an_unknown_refresh_token_is_invalid_grant(api: Api) -> None:
    """Without refresh tokens enabled no refresh token is ever valid."""
    status, body = _refresh(api, str(uuid.uuid4()))

    assert (status, body["error"]) == (400, "invalid_grant")


def test_a_refresh_with_a_bad_client_secret_is_a_401(start_server: StartServer) -> None:
    """The refresh grant checks client credentials like the password grant."""
    api = start_server(refresh_tokens=True)
    refresh_token = api.token().json()["refresh_token"]

    response = api.http.post(
        "/oauth/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": refresh_token,
            "client_id": api.emulator.credentials.client_id,
            "client_secret": "wrong",
        },
    )

    assert response.status_code == 401


def test_fractional_lifetimes_expire_on_time(start_server: StartServer) -> None:
    """A 0.4 s token reports expires_in 1, works at once and is refused after 0.4 s."""
    api = start_server(token_ttl=0.4)
    issued = api.token().json()
    token = issued["access_token"]

    fresh = api.post(ME, token=token)
    time.sleep(0.45)
    stale = api.post(ME, token=token)

    assert issued["expires_in"] == 1
    assert fresh.status_code == 200
    assert stale.status_code == 401
    assert stale.json() == {
        "error": "invalid_token",
        "error_description": "The access token has expired",
    }


def test_set_token_ttl_applies_to_tokens_issued_afterwards(
    start_server: StartServer,
) -> None:
    """Changing the lifetime leaves earlier tokens alone."""
    api = start_server()
    long_lived = api.token().json()["access_token"]
    api.emulator.set_token_ttl(0.2)
    short = api.token().json()

    time.sleep(0.25)

    assert short["expires_in"] == 1
    assert api.post(ME, token=short["access_token"]).status_code == 401
    assert api.post(ME, token=long_lived).status_code == 200


@pytest.mark.parametrize("seconds", [0, -1.5, float("nan"), float("inf")])
def test_a_lifetime_must_be_positive_and_finite(seconds: float) -> None:
    """Zero, negative, NaN or infinite lifetimes are refused with ValueError."""
    with Emulator() as emulator:
        with pytest.raises(ValueError, match="positive"):
            emulator.set_token_ttl(seconds)
        with pytest.raises(ValueError, match="positive"):
            Emulator(token_ttl=seconds)


def test_revoking_invalidates_access_and_refresh_tokens(
    start_server: StartServer,
) -> None:
    """After revoke_tokens() old tokens get 401 / invalid_grant; new ones work."""
    api = start_server(refresh_tokens=True)
    issued = api.token().json()

    api.emulator.revoke_tokens()
    graphql = api.post(ME, token=issued["access_token"])
    refresh_status, _ = _refresh(api, issued["refresh_token"])
    new_token = api.token().json()["access_token"]

    assert graphql.status_code == 401
    assert refresh_status == 400
    assert api.post(ME, token=new_token).status_code == 200


def test_token_replies_never_echo_secrets(api: Api) -> None:
    """Error descriptions mention neither the password nor the client secret."""
    creds = api.emulator.credentials

    bodies = [
        api.token(password="wrong").text,
        api.token(client_secret="wrong").text,
        api.token(grant_type="nope").text,
    ]

    for body in bodies:
        assert creds.password not in body
        assert creds.client_secret not in body
