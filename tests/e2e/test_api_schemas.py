"""Every service's OpenAPI schema, checked against a running stack through the gateway.
Schemathesis generates requests from each schema, valid and invalid ones, with a fixed
seed and a bounded number per operation, as a customer and as an admin, and checks every
answer: no 5xx, no status code the schema does not document, every body and header as
documented, invalid input refused, undeclared methods answered 405 with Allow, and
secured operations refusing a request without a token.

Left out is "positive data acceptance": a request the schema allows may still be refused
for what it means (an order for a product that does not exist, an email already taken),
and a 400 then is the right answer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SERVICES = ["auth", "catalog", "orders", "payments", "notifications"]
SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"


@pytest.fixture(scope="module")
def tokens(shop) -> dict[str, str]:
    """An admin's and a new customer's access tokens; they outlive this module's runs."""
    return {"admin": shop.admin.token, "customer": shop.new_customer().token}


@pytest.mark.parametrize("role", ["customer", "admin"])
@pytest.mark.parametrize("service", SERVICES)
def test_every_answer_is_what_the_schema_documents(shop, tokens, service, role, tmp_path):
    gateway = shop.runtime.gateway_url()
    command = [
        str(SCHEMATHESIS),
        "run",
        f"{gateway}/{service}/schema/",
        "--url",
        gateway,
        "--header",
        f"Authorization: Bearer {tokens[role]}",
        "--checks",
        "all",
        "--exclude-checks",
        "positive_data_acceptance",
        "--seed",
        "20261202",
        "--max-examples",
        "10",
        "--workers",
        "1",
        # Below the gateway's per-client limit, so the answers are about the input, not 429s.
        "--rate-limit",
        "15/s",
        "--request-timeout",
        "10",
        "--generation-database",
        "none",
        "--no-color",
    ]

    run = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=600)

    assert run.returncode == 0, f"schemathesis found answers the schema does not document:\n{run.stdout[-12000:]}"
