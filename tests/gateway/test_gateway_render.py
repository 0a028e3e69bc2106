"""render_gateway_config: the rendered file is a config nginx accepts, keeps its runtime
files where it is told, and bad stack or runtime input gets a one-sentence error."""

from __future__ import annotations

import dataclasses
import re
import subprocess

import pytest

from ecomctl.description.gateway_config import GatewayConfigError, render_gateway_config


def check_with_nginx(binary, config: str, directory) -> subprocess.CompletedProcess:
    config_file = directory / "nginx.conf"
    config_file.write_text(config)
    return subprocess.run(
        [binary, "-t", "-c", str(config_file), "-p", str(directory), "-e", str(directory / "error.log")],
        capture_output=True,
        text=True,
        timeout=30,
    )


def local_upstreams(stack):
    return {service.name: ("127.0.0.1", service.port) for service in stack.services}


def test_local_config_with_runtime_dir_passes_nginx_test(nginx, stack, tmp_path):
    config = render_gateway_config(
        stack, upstreams=local_upstreams(stack), listen="127.0.0.1:8080", runtime_dir=tmp_path
    )

    result = check_with_nginx(nginx, config, tmp_path)

    assert result.returncode == 0, result.stderr


def test_container_config_without_runtime_dir_passes_nginx_test(nginx, stack, tmp_path):
    # Container names resolve only inside the runtime's network; localhost stands in here.
    upstreams = {service.name: ("localhost", service.port) for service in stack.services}
    config = render_gateway_config(stack, upstreams=upstreams, listen=str(stack.gateway.port))

    result = check_with_nginx(nginx, config, tmp_path)

    assert result.returncode == 0, result.stderr
    assert "access_log /dev/stdout gateway_json;" in config


def test_every_runtime_file_lives_in_runtime_dir(stack, tmp_path):
    config = render_gateway_config(stack, upstreams=local_upstreams(stack), listen="8080", runtime_dir=tmp_path)

    file_directives = re.findall(r"^\s*(pid|error_log|access_log|\w+_temp_path) (\S+)", config, re.MULTILINE)

    names = {name for name, _ in file_directives}
    assert {
        "pid",
        "error_log",
        "access_log",
        "client_body_temp_path",
        "proxy_temp_path",
        "fastcgi_temp_path",
        "uwsgi_temp_path",
        "scgi_temp_path",
    } <= names
    assert all(path.rstrip(";").startswith(f"{tmp_path.resolve()}/") for _, path in file_directives)


def test_config_routes_every_stack_route_and_hides_the_server_version(stack):
    config = render_gateway_config(stack, upstreams=local_upstreams(stack), listen="8080")

    for service in stack.services:
        assert f"server 127.0.0.1:{service.port};" in config
        for route in service.routes:
            assert f"location {route} {{\n            proxy_pass http://{service.name}_service;" in config
    assert "server_tokens off;" in config
    assert "proxy_intercept_errors off;" in config
    assert f"client_max_body_size {stack.gateway.client_max_body_size};" in config


def test_missing_upstream_names_the_service(stack):
    upstreams = local_upstreams(stack)
    del upstreams["payments"]

    with pytest.raises(GatewayConfigError, match="No upstream address given for service 'payments'"):
        render_gateway_config(stack, upstreams=upstreams, listen="8080")


def test_upstream_for_unknown_service_is_refused(stack):
    upstreams = {**local_upstreams(stack), "billing": ("127.0.0.1", 9000)}

    with pytest.raises(GatewayConfigError, match="missing from stack.yaml: billing"):
        render_gateway_config(stack, upstreams=upstreams, listen="8080")


@pytest.mark.parametrize("address", [("bad host;", 8001), ("127.0.0.1", 0), ("127.0.0.1", "8001")])
def test_malformed_upstream_address_is_refused(stack, address):
    upstreams = {**local_upstreams(stack), "auth": address}

    with pytest.raises(GatewayConfigError, match="Upstream for 'auth'"):
        render_gateway_config(stack, upstreams=upstreams, listen="8080")


def test_listen_address_cannot_inject_directives(stack):
    with pytest.raises(GatewayConfigError, match="listen address"):
        render_gateway_config(stack, upstreams=local_upstreams(stack), listen="8080; include /etc/passwd")


def test_runtime_dir_with_a_space_is_refused(stack, tmp_path):
    with pytest.raises(GatewayConfigError, match="must not contain spaces"):
        render_gateway_config(stack, upstreams=local_upstreams(stack), listen="8080", runtime_dir=tmp_path / "my run")


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        ({"per_client": "fast", "per_client_burst": 1, "token": "1r/s", "token_burst": 1}, "rate_limits.per_client"),
        ({"per_client": "1r/s", "per_client_burst": "lots", "token": "1r/s", "token_burst": 1}, "per_client_burst"),
        ({"per_client": "1r/s", "per_client_burst": 1}, "missing token, token_burst"),
    ],
)
def test_bad_rate_limits_name_the_stack_key(stack, limits, message):
    broken = dataclasses.replace(stack, gateway=dataclasses.replace(stack.gateway, rate_limits=limits))

    with pytest.raises(GatewayConfigError, match=message):
        render_gateway_config(broken, upstreams=local_upstreams(stack), listen="8080")


def test_bad_body_size_names_the_stack_key(stack):
    broken = dataclasses.replace(stack, gateway=dataclasses.replace(stack.gateway, client_max_body_size="64 kB"))

    with pytest.raises(GatewayConfigError, match="gateway.client_max_body_size"):
        render_gateway_config(broken, upstreams=local_upstreams(stack), listen="8080")


def test_bad_route_names_the_service(stack):
    auth = dataclasses.replace(stack.service("auth"), routes=("/auth",))
    broken = dataclasses.replace(stack, services=(auth, *stack.services[1:]))

    with pytest.raises(GatewayConfigError, match="services.auth.routes"):
        render_gateway_config(broken, upstreams=local_upstreams(stack), listen="8080")


@pytest.mark.parametrize("burst", [0, -1, True, "10"])
def test_a_burst_nginx_would_refuse_is_refused_with_the_setting_named(stack, burst):
    limits = {**stack.gateway.rate_limits, "token_burst": burst}
    odd = dataclasses.replace(stack, gateway=dataclasses.replace(stack.gateway, rate_limits=limits))

    with pytest.raises(GatewayConfigError, match="gateway.rate_limits.token_burst .* 1 or more"):
        render_gateway_config(odd, upstreams=local_upstreams(odd), listen="8080")
