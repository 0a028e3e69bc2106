"""Django's PostgreSQL backend with a health check that costs no round trip when it
need not: ENGINE "chassis.postgres" (see base.py)."""
