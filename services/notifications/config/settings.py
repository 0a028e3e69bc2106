"""Settings of the notifications service: the shared chassis settings, its apps, its
consumer, and how email leaves (Django's email backend, a readable file copy by default)."""

from pathlib import Path

from chassis.settings import common_settings, env, env_bool, env_int, service_apps

BASE_DIR = Path(__file__).resolve().parent.parent

globals().update(common_settings(service="notifications"))

INSTALLED_APPS = service_apps("notifications")

# Each consumer's queue is named <service>.<consumer> (notifications.order-outcomes) by the chassis.
EVENT_CONSUMERS = {"order-outcomes": "notifications.handlers.HANDLERS"}

# Workshops read the emails as files; production sets an SMTP backend and its host.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(BASE_DIR / "sent-mail"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "ecomlab shop <orders@ecomlab.example>")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# A hung mail server must fail the delivery (it is retried), not block the consumer.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
