from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Receipt",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("event_id", models.UUIDField()),
                ("event_type", models.CharField(max_length=100)),
                ("handled_by_pid", models.IntegerField()),
                ("handled_at", models.DateTimeField(auto_now_add=True)),
            ],
        ),
    ]
