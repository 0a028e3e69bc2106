"""`manage.py ensure_user`: create or update a user idempotently; the only way to make an admin."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts import services


def _flag(field: str) -> str:
    return "" if field == NON_FIELD_ERRORS else f"--{field}: "


class Command(BaseCommand):
    help = "Create a user, or bring an existing one (same email) to exactly these values."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--admin", action="store_true", help="Give the user the admin role.")

    def handle(self, *args, email, password, name, admin, **options):
        try:
            user, created = services.user_ensure(email=email, password=password, name=name, is_admin=admin)
        except ValidationError as error:
            problems = "; ".join(
                f"{_flag(field)}{' '.join(messages)}" for field, messages in error.message_dict.items()
            )
            raise CommandError(f"User not saved: {problems}") from None
        action = "Created" if created else "Updated"
        self.stdout.write(f"{action} {user.email} with roles {', '.join(user.roles)}.")
