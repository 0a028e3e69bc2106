from django.apps import AppConfig


class ProviderConfig(AppConfig):
    name = "payments.provider"
    label = "provider"
