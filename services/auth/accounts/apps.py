"""Django app of the auth service's own domain: users, sessions and signing keys."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
