from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="InboxMessage",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("consumer", models.CharField(max_length=100)),
                ("message_id", models.UUIDField()),
                ("event_type", models.CharField(max_length=100)),
                ("processed_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "db_table": "messaging_inbox",
                "constraints": [
                    models.UniqueConstraint(fields=("consumer", "message_id"), name="messaging_inbox_once_per_consumer")
                ],
            },
        ),
        migrations.CreateModel(
            name="MessagingCounter",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=50)),
                ("consumer", models.CharField(blank=True, default="", max_length=100)),
                ("event_type", models.CharField(blank=True, default="", max_length=100)),
                ("shard", models.SmallIntegerField(default=0)),
                ("value", models.BigIntegerField(default=0)),
            ],
            options={
                "db_table": "messaging_counter",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("name", "consumer", "event_type", "shard"), name="messaging_counter_key"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="OutboxMessage",
            fields=[
                ("id", models.UUIDField(help_text="The event id.", primary_key=True, serialize=False)),
                ("event_type", models.CharField(max_length=100)),
                ("payload", models.JSONField(help_text="The whole envelope, as published.")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("published_at", models.DateTimeField(blank=True, null=True)),
                ("attempts", models.PositiveIntegerField(default=0)),
                ("last_error", models.TextField(blank=True, default="")),
            ],
            options={
                "db_table": "messaging_outbox",
                "indexes": [
                    models.Index(
                        condition=models.Q(("published_at__isnull", True)),
                        fields=["created_at"],
                        name="messaging_outbox_pending",
                    )
                ],
            },
        ),
    ]
