"""The generated compose file brought up by docker-compose (v1, what every machine here can
install; Compose v2 reads the same file): it builds from services/Dockerfile, waits for
every health check, takes an order to CONFIRMED and goes with its volumes."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from chassis_testing.waiting import wait_until
from ecomctl.description.stack_file import PROJECT_ROOT, STACK_FILE, load_stack
from ecomctl.runtime import docker_engine_answers
from ecomctl.runtime.ports import port_is_free
from ecomctl.shop import demo_data
from ecomctl.shop.api_client import ApiClient
from ecomctl.shop.seeding import seed
from support.machine import require_binary

COMPOSE_FILE = PROJECT_ROOT / "compose" / "docker-compose.yml"
PROJECT = "ecomlab-compose-e2e"


def compose(*arguments: str, timeout: float = 120) -> str:
    result = subprocess.run(
        ["docker-compose", "-p", PROJECT, "-f", str(COMPOSE_FILE), *arguments],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, f"docker-compose {' '.join(arguments)}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture
def compose_stack():
    require_binary(shutil.which("docker-compose"), "docker-compose (apt-get install docker-compose)")
    require_binary(docker_engine_answers(), "a Docker engine (make docker starts one)")
    stack = load_stack(STACK_FILE)
    rabbitmq = stack.infrastructure["rabbitmq"]
    for port in (stack.gateway.port, rabbitmq["port"], rabbitmq["management_port"]):
        assert port_is_free(port), f"port {port} of the compose file is taken: stop what holds it (ecomctl down?)"
    # What the README tells people whose builds cannot reach PyPI.
    subprocess.run(
        [sys.executable, "-m", "ecomctl", "images", "wheelhouse"], check=True, capture_output=True, timeout=600
    )
    try:
        compose("up", "-d", "--build", timeout=1200)
        yield stack
    finally:
        compose("down", "--volumes", "--remove-orphans", timeout=300)


def test_the_compose_stack_comes_up_and_confirms_an_order(compose_stack):
    admin = demo_data.ADMIN
    compose(
        "exec",
        "-T",
        "auth-web",
        "python",
        "manage.py",
        "ensure_user",
        "--email",
        admin["email"],
        "--password",
        admin["password"],
        "--name",
        admin["name"],
        "--admin",
    )
    api = ApiClient(f"http://127.0.0.1:{compose_stack.gateway.port}")
    seed(api)
    customer = api.login(demo_data.CUSTOMERS[0]["email"], demo_data.CUSTOMERS[0]["password"])
    product = customer.request("GET", "/catalog/products/")["results"][0]
    order = customer.request(
        "POST", "/orders/", json={"items": [{"product_id": product["id"], "quantity": 1}], "payment_method": "tok_visa"}
    )

    confirmed = wait_until(
        lambda: customer.request("GET", f"/orders/{order['id']}/")["status"] == "CONFIRMED",
        timeout=60,
        message="the compose stack did not confirm the order",
    )
    assert confirmed
