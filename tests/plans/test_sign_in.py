"""Sign-in is throttled (django-axes): after five failures for a user name from one address the
account is locked out for a while, even with the right password; a success resets the count."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

RIGHT = "correct horse battery staple"  # the factory's password


def sign_in(client: Client, username: str, password: str) -> int:
    response = client.post("/accounts/login/", {"username": username, "password": password})
    return int(response.status_code)


def test_five_failures_lock_the_account_out() -> None:
    UserFactory(username="officer")
    client = Client()
    for _ in range(4):
        assert sign_in(client, "officer", "wrong") == 200  # the form again, with an error
    assert sign_in(client, "officer", "wrong") == 429
    assert sign_in(client, "officer", RIGHT) == 429
    assert "_auth_user_id" not in client.session


def test_a_success_resets_the_count() -> None:
    UserFactory(username="officer")
    client = Client()
    for _ in range(4):
        sign_in(client, "officer", "wrong")
    assert sign_in(client, "officer", RIGHT) == 302
    client.logout()
    for _ in range(4):
        assert sign_in(client, "officer", "wrong") == 200
    assert sign_in(client, "officer", RIGHT) == 302
