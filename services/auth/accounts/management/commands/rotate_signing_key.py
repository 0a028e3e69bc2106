"""`manage.py rotate_signing_key`: start signing with a new key; the old one stays published
until the last token it signed has expired."""

from django.core.management.base import BaseCommand

from accounts import services


class Command(BaseCommand):
    help = "Create a new active signing key and retire the current one."

    def handle(self, *args, **options):
        key = services.signing_key_rotate()
        self.stdout.write(f"Now signing with key {key.kid}.")
