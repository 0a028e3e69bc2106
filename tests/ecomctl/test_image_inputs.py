"""What a service image is built from: the chassis and the service's own code, never a
test or the chassis's test helpers."""

from __future__ import annotations

from ecomctl.runtime.docker.images import context_files


def test_a_service_image_holds_the_chassis_but_not_its_test_helpers():
    names = [name for name, _ in context_files("orders")]

    assert "services/chassis/chassis/settings.py" in names
    assert "services/orders/config/urls.py" in names
    assert [name for name in names if name.startswith("services/chassis/testing/") or "/tests/" in name] == []
