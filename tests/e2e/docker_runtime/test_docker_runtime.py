"""The docker runtime end to end, against a real engine: each fault is a real container
killed or stopped, each recovery the real mechanism, and the isolation the design promises
(a service's database on a network only that service joins) is checked from inside."""

from __future__ import annotations

import time

import pytest

from chassis_testing.waiting import wait_until
from ecomctl.runtime.docker.naming import STACK_LABEL
from ecomctl.shop.api_client import ApiClient, ApiError
from support.stacks import running, stack_folder

from .conftest import new_docker_runtime


def test_every_component_runs_healthy_in_its_own_container_and_an_order_is_confirmed(shop):
    statuses = shop.runtime.status()
    assert len(statuses) == 18
    assert {(status.state, status.healthy) for status in statuses} == {("running", True)}

    order = shop.place(shop.new_customer())
    assert shop.wait_final(order["id"])["status"] == "CONFIRMED"
    shop.assert_invariants()


def test_orders_wait_while_payments_is_killed_and_confirm_once_it_is_started(shop):
    shop.runtime.kill("payments")
    try:
        assert {
            status.state
            for status in shop.runtime.status()
            if status.name.startswith("payments-") and status.name != "payments-db"
        } == {"exited"}
        order = shop.place(shop.new_customer())
        time.sleep(2)
        assert shop.order(order["id"])["status"] == "PENDING"
    finally:
        shop.runtime.start("payments")
    assert shop.wait_final(order["id"], timeout=60)["status"] == "CONFIRMED"
    shop.assert_invariants()


def test_orders_are_accepted_while_the_broker_container_is_stopped(shop):
    shop.runtime.stop("rabbitmq")
    try:
        order = shop.place(shop.new_customer())
        assert order["status"] == "PENDING"
    finally:
        shop.runtime.start("rabbitmq")
    assert shop.wait_final(order["id"], timeout=90)["status"] == "CONFIRMED"
    shop.assert_invariants()


def test_a_stopped_orders_database_affects_only_orders(shop):
    customer = shop.new_customer()
    shop.runtime.stop("orders-db")
    try:
        with pytest.raises(ApiError) as refused:
            customer.request(
                "POST",
                "/orders/",
                json={"items": [{"product_id": shop.product_id, "quantity": 1}], "payment_method": "tok_visa"},
            )
        assert refused.value.status == 503
        assert customer.request("GET", "/catalog/products/")["count"] >= 1
        assert customer.request("GET", "/auth/me/")["email"].endswith("@ecomlab.test")
    finally:
        shop.runtime.start("orders-db")
    order = wait_until(lambda: _placed_or_none(shop, customer), timeout=30)
    assert shop.wait_final(order["id"])["status"] == "CONFIRMED"


def _placed_or_none(shop, customer):
    try:
        return shop.place(customer)
    except ApiError:
        return None


PROBE = """
import socket, sys
try:
    socket.create_connection((sys.argv[1], 5432), timeout=2).close()
    print("connected")
except OSError as error:
    print(type(error).__name__)
"""


def test_no_service_can_reach_another_services_database(shop):
    engine = shop.runtime.engine

    def reach(component: str, database: str) -> str:
        result = engine.container(component).exec_run(["python3", "-c", PROBE, database])
        return result.output.decode().strip()

    assert reach("payments-web", "payments-db") == "connected"
    assert reach("orders-web", "payments-db") == "gaierror"  # the name does not even resolve
    assert reach("payments-relay", "orders-db") == "gaierror"


ROLE_PROBE = """
import os, sys, psycopg
from urllib.parse import urlsplit
own = os.environ["DATABASE_URL"]
with psycopg.connect(own, connect_timeout=3) as connection:
    print(connection.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()[0])
operator = urlsplit(own)._replace(netloc=f"postgres:{sys.argv[1]}@{urlsplit(own).hostname}").geturl()
try:
    psycopg.connect(operator, connect_timeout=3).close()
    print("operator signed in")
except psycopg.OperationalError as error:
    print("operator refused" if "no pg_hba.conf entry" in str(error) else str(error))
"""


def test_a_service_signs_in_as_its_own_role_and_the_superuser_is_not_reachable_over_the_network(shop):
    runtime = shop.runtime
    operator_password = runtime.secret("orders-db-operator-password")
    result = runtime.engine.container("orders-web").exec_run(["python3", "-c", ROLE_PROBE, operator_password])
    assert result.output.decode().split() == ["False", "operator", "refused"]


BROKER_PROBE = """
import os, sys, pika
queue = sys.argv[1]
try:
    with pika.BlockingConnection(pika.URLParameters(os.environ["RABBITMQ_URL"])) as connection:
        connection.channel().queue_declare(queue, passive=True)
        connection.channel().basic_get(queue)
    print("read")
except pika.exceptions.ChannelClosedByBroker as refusal:
    print(refusal.reply_code)
"""


def test_each_service_reads_only_its_own_queues_with_its_own_broker_account(shop):
    engine = shop.runtime.engine

    def read(component: str, queue: str) -> str:
        result = engine.container(component).exec_run(["python3", "-c", BROKER_PROBE, queue])
        return result.output.decode().strip().splitlines()[-1]

    assert read("payments-order-created", "payments.order-created") == "read"
    assert read("orders-relay", "payments.order-created") == "403"
    assert read("notifications-order-outcomes", "orders.payment-results.dlq") == "403"
    # A service without events is given no broker account at all.
    environment = engine.container("catalog-web").attrs["Config"]["Env"]
    assert not any(variable.startswith("RABBITMQ_URL=") for variable in environment)
    users = engine.container("rabbitmq").exec_run(["rabbitmqctl", "-q", "list_users"]).output.decode()
    assert "guest" not in users.split()


def test_containers_are_labelled_hardened_limited_and_published_on_loopback_only(shop):
    engine = shop.runtime.engine
    for container in engine.containers():
        config, host = container.attrs["Config"], container.attrs["HostConfig"]
        assert config["Labels"][STACK_LABEL] == shop.runtime.stack.name
        assert host["Memory"] > 0 and host["Init"] is True
        assert "no-new-privileges:true" in host["SecurityOpt"]
        for bindings in (host.get("PortBindings") or {}).values():
            assert {binding["HostIp"] for binding in bindings} == {"127.0.0.1"}
        component = config["Labels"]["org.ecomlab.component"]
        assert config.get("Healthcheck", {}).get("Test"), component
        if config["Labels"]["org.ecomlab.kind"] in ("service", "relay", "consumer"):
            assert config["User"] == "app" and host["CapDrop"] == ["ALL"], component
    published = {
        name
        for container in engine.containers()
        for name in [container.attrs["Config"]["Labels"]["org.ecomlab.component"]]
        if container.attrs["HostConfig"].get("PortBindings")
    }
    assert published == {"rabbitmq", "gateway"}


@pytest.mark.parametrize("component", ["catalog-web", "orders-relay", "payments-order-created"])
def test_a_stopped_container_exits_on_sigterm_rather_than_being_killed(shop, component):
    shop.runtime.stop(component)
    container = shop.runtime.engine.container(component)
    exit_code = container.attrs["State"]["ExitCode"]
    shop.runtime.start(component)
    assert exit_code == 0, f"{component} exited {exit_code}: SIGTERM did not reach it, the engine killed it"


def test_a_paused_database_freezes_and_a_restarted_broker_comes_back(shop):
    shop.runtime.pause("payments-db")
    try:
        assert {status.name: status.state for status in shop.runtime.status()}["payments-db"] == "paused"
    finally:
        shop.runtime.unpause("payments-db")
    shop.runtime.restart("rabbitmq")
    states = {status.name: (status.state, status.restarts) for status in shop.runtime.status()}
    assert states["payments-db"][0] == "running"
    assert states["rabbitmq"][0] == "running" and states["rabbitmq"][1] >= 1
    order = shop.place(shop.new_customer())
    assert shop.wait_final(order["id"], timeout=90)["status"] == "CONFIRMED"


def test_down_then_up_keeps_every_order(shop):
    placed = list(shop.placed)
    shop.runtime.down()
    assert shop.runtime.engine.volumes(), "down without --volumes keeps the data"
    shop.runtime.up()
    for order_id in placed:
        assert shop.order(order_id)["status"] == "CONFIRMED"


def test_a_second_stack_runs_beside_the_first_and_goes_without_touching_it(shop):
    with stack_folder("ecomlab-docker-second-") as root, running(new_docker_runtime(root, "second")) as second:
        assert ApiClient(second.gateway_url()).request("GET", "/catalog/products/")["count"] == 0
        assert shop.order(shop.placed[0])["status"] == "CONFIRMED"
    assert not second.engine.containers() and not second.engine.volumes() and not second.engine.networks()
    assert {status.state for status in shop.runtime.status()} == {"running"}


def test_down_with_volumes_leaves_nothing_of_the_stack(shop):
    engine = shop.runtime.engine
    shop.runtime.down(volumes=True)
    assert engine.containers() == [] and engine.volumes() == [] and engine.networks() == []
