"""Django app config for the messaging tables (outbox, inbox, counters)."""

from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "chassis.messaging"
    label = "messaging"
    verbose_name = "Messaging"
    default_auto_field = "django.db.models.BigAutoField"
