"""Settings of the auth service: the shared chassis settings plus users, passwords and
token lifetimes."""

from chassis.settings import common_settings, env_int, service_apps

globals().update(common_settings(service="auth"))

INSTALLED_APPS = service_apps("accounts", messaging=False)

AUTH_USER_MODEL = "accounts.User"

# Auth verifies tokens with the keys in its own database, never over HTTP to itself.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F821 - merged in from common_settings above
    "DEFAULT_AUTHENTICATION_CLASSES": ["accounts.authentication.LocalJWTAuthentication"],
}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "name")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

ACCESS_TOKEN_LIFETIME = env_int("ACCESS_TOKEN_LIFETIME", 900)
REFRESH_TOKEN_LIFETIME = env_int("REFRESH_TOKEN_LIFETIME", 7 * 24 * 3600)
# A retired signing key stays published this long after its last token can have expired,
# so services whose clocks run slightly behind still accept those tokens.
SIGNING_KEY_RETIREMENT_MARGIN = env_int("SIGNING_KEY_RETIREMENT_MARGIN", 60)
JWKS_CACHE_MAX_AGE = env_int("JWKS_CACHE_MAX_AGE", 300)
