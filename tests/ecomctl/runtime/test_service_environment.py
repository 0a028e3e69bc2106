"""What a service process is told about its surroundings, on every runtime."""

from __future__ import annotations

from pathlib import Path

from ecomctl.description.stack_file import PROJECT_ROOT
from ecomctl.runtime.service_processes import service_environment


def test_local_processes_read_the_event_contracts_of_the_repository(stack):
    environment = service_environment(
        stack,
        stack.service("orders"),
        address_of=lambda other: f"127.0.0.1:{other.port}",
        database_url="postgres://orders@127.0.0.1/orders",
        rabbitmq_url=None,
        secret_key="for-tests-only",
    )

    contracts = Path(environment["EVENT_CONTRACTS_DIR"])
    assert contracts == PROJECT_ROOT / "contracts"
    assert (contracts / "events" / "envelope.v1.json").is_file()
