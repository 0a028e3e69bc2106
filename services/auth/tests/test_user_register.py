"""POST /auth/register/: new customers, and every way a registration can be refused."""

import pytest

from accounts.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_USER = {"email": "Ada.Lovelace@Example.TEST", "password": PASSWORD, "name": "Ada Lovelace"}


def test_registration_creates_a_customer_with_a_normalised_email(api):
    response = api.post("/auth/register/", NEW_USER, format="json")

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "email", "name", "roles"}
    assert body["email"] == "ada.lovelace@example.test"
    assert body["name"] == "Ada Lovelace"
    assert body["roles"] == ["customer"]
    assert "password" not in body


def test_passwords_are_stored_as_argon2_hashes(api):
    api.post("/auth/register/", NEW_USER, format="json")

    user = User.objects.get(email="ada.lovelace@example.test")
    assert user.password.startswith("argon2")
    assert user.check_password(PASSWORD)


def test_the_same_email_in_another_case_is_a_duplicate(api):
    api.post("/auth/register/", NEW_USER, format="json")

    response = api.post("/auth/register/", {**NEW_USER, "email": "ADA.lovelace@example.test"}, format="json")

    assert response.status_code == 400
    assert response.json()["fields"]["email"] == ["A user with this email already exists."]


def test_clients_cannot_choose_roles_or_ids(api):
    forced_id = "00000000-0000-0000-0000-000000000001"
    body = api.post(
        "/auth/register/",
        {**NEW_USER, "roles": ["admin"], "is_admin": True, "id": forced_id},
        format="json",
    ).json()

    assert body["roles"] == ["customer"]
    assert body["id"] != forced_id
    assert User.objects.get(email="ada.lovelace@example.test").is_admin is False


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": "not-an-email"}, "email"),
        ({"email": ""}, "email"),
        ({"email": None}, "email"),
        ({"name": ""}, "name"),
        ({"name": None}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"password": ""}, "password"),
        ({"password": "password"}, "password"),
        ({"password": "12345678901"}, "password"),
        ({"password": "short"}, "password"),
        ({"password": "ada.lovelace"}, "password"),
    ],
)
def test_invalid_fields_are_named(api, changes, field):
    response = api.post("/auth/register/", {**NEW_USER, **changes}, format="json")

    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid"
    assert field in body["fields"]
    assert not User.objects.exists()


@pytest.mark.parametrize(("field", "number"), [("name", 1e308), ("password", 12345678.5), ("email", 10**30)])
def test_a_number_is_not_taken_as_text(api, field, number):
    response = api.post("/auth/register/", {**NEW_USER, field: number}, format="json")

    assert response.status_code == 400
    assert response.json()["fields"] == {field: ["Not a valid string."]}
    assert not User.objects.exists()


@pytest.mark.parametrize("missing", ["email", "password", "name"])
def test_missing_fields_are_named(api, missing):
    body = {key: value for key, value in NEW_USER.items() if key != missing}

    response = api.post("/auth/register/", body, format="json")

    assert response.status_code == 400
    assert missing in response.json()["fields"]


def test_weak_password_answer_carries_the_validator_messages(api):
    response = api.post("/auth/register/", {**NEW_USER, "password": "123"}, format="json")

    problems = " ".join(response.json()["fields"]["password"])
    assert "too short" in problems
    assert "entirely numeric" in problems


def test_malformed_json_is_400_naming_the_body(api):
    response = api.post("/auth/register/", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"] == "malformed_json"
    assert "body" in response.json()["fields"]


def test_a_json_list_instead_of_an_object_is_400(api):
    response = api.post("/auth/register/", ["a"], format="json")

    assert response.status_code == 400
    assert "body" in response.json()["fields"]


def test_oversized_body_is_413(api, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024

    response = api.post("/auth/register/", {**NEW_USER, "name": "x" * 5000}, format="json")

    assert response.status_code == 413
    assert response.json()["error"] == "too_large"
