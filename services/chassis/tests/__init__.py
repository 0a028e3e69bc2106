"""Tests of the chassis against real PostgreSQL and RabbitMQ."""
