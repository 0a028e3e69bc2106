"""A whole ecomlab stack for end-to-end tests: the local runtime on free ports with its own
private PostgreSQL servers and RabbitMQ node, seeded, and torn down with its data."""

from __future__ import annotations

import pytest

from ecomctl.runtime import prerequisites
from ecomctl.runtime.local.layout import StateLayout
from ecomctl.runtime.local.runtime import LocalRuntime
from ecomctl.shop import demo_data
from ecomctl.shop.api_client import ApiClient
from ecomctl.shop.seeding import seed_stack
from support.machine import relocated_stack, require_binary
from support.shop import Shop
from support.stacks import running, stack_folder


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="module")
def runtime():
    require_binary(prerequisites.find_binary("nginx"), "nginx")
    require_binary(prerequisites.postgres_bin_dir(), "PostgreSQL server binaries (initdb, postgres)")
    require_binary(prerequisites.rabbitmq_scripts_dir(), "rabbitmq-server")
    with stack_folder("ecomlab-e2e-") as root:
        with running(LocalRuntime(relocated_stack(root), StateLayout(root / "state"))) as runtime:
            yield runtime


@pytest.fixture(scope="module")
def shop(runtime) -> Shop:
    seed_stack(runtime)
    admin = demo_data.ADMIN
    return Shop(runtime, ApiClient(runtime.gateway_url()).login(admin["email"], admin["password"]))
