"""Django settings for the chassis tests: a tiny app with handlers, and names made unique
per test run (shared with the relay and consumer processes the tests start) so parallel
runs on the same servers never meet."""

import os
import uuid
from pathlib import Path

RUN_ID = os.environ.setdefault("CHASSIS_TEST_RUN_ID", uuid.uuid4().hex[:8])

SERVICE_NAME = "chassis-test"
SECRET_KEY = "chassis-tests-only"
DEBUG = False
USE_TZ = True
TIME_ZONE = "UTC"
ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
ROOT_URLCONF = "tests.urls"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
INSTALLED_APPS = ["chassis.messaging", "tests.testapp"]
MIDDLEWARE = ["chassis.correlation.CorrelationIdMiddleware"]

DATABASES = {
    "default": {
        "ENGINE": "chassis.postgres",
        # Processes started by the tests are pointed at the test database by name.
        "NAME": os.environ.get("CHASSIS_DB_NAME", f"ecomlab_chassis_{RUN_ID}"),
        "USER": os.environ.get("CHASSIS_DB_USER", "postgres"),
        "HOST": os.environ.get("CHASSIS_DB_HOST", "127.0.0.1"),
        "PORT": os.environ.get("CHASSIS_DB_PORT", "5432"),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"NAME": f"test_ecomlab_chassis_{RUN_ID}"},
    }
}

RABBITMQ_URL = os.environ.get("RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/%2F")
EVENTS_EXCHANGE = f"chassis-test.{RUN_ID}.events"
EVENTS_UNROUTED_EXCHANGE = f"chassis-test.{RUN_ID}.unrouted"
EVENTS_DEAD_LETTER_EXCHANGE = f"chassis-test.{RUN_ID}.dlx"
EVENTS_DELIVERY_LIMIT = 2
EVENTS_RETRY_BASE_DELAY = 0.1
EVENTS_RETRY_MAX_DELAY = 1.0
OUTBOX_RELAY_POLL_INTERVAL = 2.0
# The throughput benchmark varies these.
EVENTS_PREFETCH = int(os.environ.get("EVENTS_PREFETCH", 100))
EVENTS_BATCH_SIZE = int(os.environ.get("EVENTS_BATCH_SIZE", 50))
# The repository's contracts: tests/ -> services/chassis -> services -> the repository.
EVENT_CONTRACTS_DIR = os.environ.get("EVENT_CONTRACTS_DIR") or str(Path(__file__).resolve().parents[3] / "contracts")
EVENT_CONSUMERS = {"receipts": "tests.testapp.handlers.HANDLERS"}
# The service name in the consumer queues' names (<service>.<consumer>): this run's, or the
# one test's that starts consume processes of its own (tests.conftest.consumer_env).
CONSUMER_QUEUE_SERVICE_NAME = os.environ.get("CHASSIS_TEST_QUEUE_SERVICE", f"chassis-test.{RUN_ID}")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"correlation": {"()": "chassis.correlation.CorrelationIdFilter"}},
    "formatters": {"json": {"()": "chassis.logging.JsonFormatter", "service": SERVICE_NAME}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["correlation"]}},
    "root": {"handlers": ["stderr"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"pika": {"level": "WARNING"}},
}

# Processes a test starts read their teaching switches as a service does.
from chassis import switches  # noqa: E402

UNSAFE_SWITCHES = switches.parse(os.environ.get(switches.VARIABLE, ""), contracts=Path(EVENT_CONTRACTS_DIR))
