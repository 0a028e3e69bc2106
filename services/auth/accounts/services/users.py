"""Creating users: through the public API (always a customer) and from the command line
(the only way to make an admin)."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import EMAIL_TAKEN, User


def _normalised(email: str) -> str:
    return email.strip().lower()


def _validate(user: User, *, password: str) -> None:
    """Every problem with the user's fields and password at once, keyed by field name."""
    problems: dict[str, list[str]] = {}
    try:
        user.full_clean(exclude=["password", "last_login"])
    except ValidationError as error:
        problems.update(error.message_dict)
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as error:
        problems["password"] = error.messages
    if problems:
        raise ValidationError(problems)


def _save(user: User) -> User:
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        # Someone registered the same email between our check and our insert.
        raise ValidationError({"email": [EMAIL_TAKEN]}) from None
    return user


@transaction.atomic
def user_register(*, email: str, password: str, name: str) -> User:
    """A new customer. Roles cannot be chosen here: admins come only from user_ensure."""
    user = User(email=_normalised(email), name=name.strip())
    _validate(user, password=password)
    user.set_password(password)
    return _save(user)


@transaction.atomic
def user_ensure(*, email: str, password: str, name: str, is_admin: bool = False) -> tuple[User, bool]:
    """Create the user, or bring an existing one to exactly these values; True if created."""
    email = _normalised(email)
    user = User.objects.select_for_update().filter(email=email).first()
    created = user is None
    if created:
        user = User(email=email)
    user.name = name.strip()
    user.is_admin = is_admin
    user.is_active = True
    _validate(user, password=password)
    user.set_password(password)
    return _save(user), created
