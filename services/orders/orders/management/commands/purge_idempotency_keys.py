"""manage.py purge_idempotency_keys: delete Idempotency-Keys older than their 24 h lifetime."""

from django.core.management.base import BaseCommand

from orders.services import idempotency_purge_expired


class Command(BaseCommand):
    help = "Delete idempotency keys past their 24-hour lifetime (run it periodically)."

    def handle(self, *args, **options):
        self.stdout.write(f"Deleted {idempotency_purge_expired()} expired idempotency keys.")
