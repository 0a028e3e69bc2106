"""What auth stores: users, the RSA keys that sign access tokens, and refresh tokens.

User ──< RefreshToken      (grouped in families: one family per login, rotated on use)
SigningKey                 (one active; retired ones stay published for a while)
"""

from __future__ import annotations

import uuid

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

EMAIL_TAKEN = "A user with this email already exists."
CUSTOMER_ROLE = "customer"
ADMIN_ROLE = "admin"


class UserManager(BaseUserManager):
    def get_by_natural_key(self, email: str) -> User:
        return self.get(email=email.lower())


class User(AbstractBaseUser):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(max_length=254, unique=True, error_messages={"unique": EMAIL_TAKEN})
    name = models.CharField(max_length=100)
    is_active = models.BooleanField(default=True)
    is_admin = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        constraints = [
            # Emails are stored lower-cased; this keeps them unique even if one is not.
            models.UniqueConstraint(Lower("email"), name="user_email_unique_case_insensitive"),
        ]

    @property
    def roles(self) -> list[str]:
        return [ADMIN_ROLE, CUSTOMER_ROLE] if self.is_admin else [CUSTOMER_ROLE]

    def __str__(self) -> str:
        return self.email


class SigningKey(models.Model):
    """An RSA key pair. The private half never leaves this table except to sign."""

    kid = models.CharField(max_length=64, unique=True)
    private_key_pem = models.TextField()
    public_jwk = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)
    published_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # At most one key signs at a time, whatever several workers race to do.
            models.UniqueConstraint(
                models.Value(True),
                condition=models.Q(retired_at__isnull=True),
                name="signing_key_one_active",
            ),
        ]

    def __str__(self) -> str:
        return self.kid

    def __repr__(self) -> str:
        return f"<SigningKey {self.kid} retired_at={self.retired_at}>"


class RefreshToken(models.Model):
    """Only the sha256 of the token is kept; the token itself is shown once, to its owner."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="refresh_tokens")
    family = models.UUIDField(db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"refresh token {self.pk} of family {self.family}"


class LoginFailure(models.Model):
    """Failed logins for one email, whether or not an account has it (so the back-off says
    nothing about which emails exist). Keyed by the email's sha256, not the text a client
    typed; a successful login deletes the row."""

    email_digest = models.CharField(max_length=64, unique=True)
    failures = models.PositiveIntegerField(default=0)
    last_failed_at = models.DateTimeField(default=timezone.now, db_index=True)  # pruning finds old rows
    locked_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.failures} failed login(s), locked until {self.locked_until}"
