"""Messaging tables: the outbox of events to publish, the inbox of events already handled,
and counters the metrics view reads (relays and consumers run in other processes)."""

from __future__ import annotations

from django.contrib.postgres.indexes import BrinIndex
from django.db import models
from django.db.models import Q


class OutboxMessage(models.Model):
    id = models.UUIDField(primary_key=True, help_text="The event id.")
    event_type = models.CharField(max_length=100)
    payload = models.JSONField(help_text="The whole envelope, as published.")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")

    class Meta:
        db_table = "messaging_outbox"
        indexes = [
            # The relay only ever scans unpublished rows, oldest first.
            models.Index(
                fields=["created_at"], condition=Q(published_at__isnull=True), name="messaging_outbox_pending"
            ),
            # Pruning finds old rows by time; rows arrive in time order, which BRIN needs.
            BrinIndex(fields=["created_at"], name="messaging_outbox_age"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.id}"


class InboxMessage(models.Model):
    consumer = models.CharField(max_length=100)
    message_id = models.UUIDField()
    event_type = models.CharField(max_length=100)
    correlation_id = models.CharField(max_length=128, blank=True, default="", help_text="The event's flow.")
    processed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "messaging_inbox"
        constraints = [
            models.UniqueConstraint(fields=["consumer", "message_id"], name="messaging_inbox_once_per_consumer")
        ]
        indexes = [
            BrinIndex(fields=["processed_at"], name="messaging_inbox_age"),
            # `ecomctl trace` asks which events of one flow a service handled.
            models.Index(fields=["correlation_id"], name="messaging_inbox_flow"),
        ]

    def __str__(self) -> str:
        return f"{self.consumer} {self.event_type} {self.message_id}"


class MessagingCounter(models.Model):
    """A striped counter: each process adds to its own shard's row, so consumers running
    side by side never wait on one hot row; readers sum the shards."""

    name = models.CharField(max_length=50)
    consumer = models.CharField(max_length=100, blank=True, default="")
    event_type = models.CharField(max_length=100, blank=True, default="")
    shard = models.SmallIntegerField(default=0)
    value = models.BigIntegerField(default=0)

    class Meta:
        db_table = "messaging_counter"
        constraints = [
            models.UniqueConstraint(fields=["name", "consumer", "event_type", "shard"], name="messaging_counter_key")
        ]

    def __str__(self) -> str:
        return f"{self.name}{{{self.consumer},{self.event_type}}}={self.value}"
