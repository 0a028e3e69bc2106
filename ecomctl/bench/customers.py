"""The benchmark's customers: registered for this run through the gateway, each with an
HTTP session of its own and, where the gateway is on this machine's loopback, a source
address of its own, so the gateway's per-client limits apply to each as to a separate
customer (Linux routes all of 127.0.0.0/8 to the loopback interface)."""

from __future__ import annotations

import asyncio
import ipaddress
import secrets
import sys
from dataclasses import dataclass
from urllib.parse import urlsplit

import aiohttp

from ecomctl.shop.api_client import ApiError

FIRST_SOURCE_ADDRESS = ipaddress.ip_address("127.0.1.1")
MAX_CUSTOMERS = 250  # addresses 127.0.1.1 to 127.0.1.250
REQUEST_TIMEOUT = aiohttp.ClientTimeout(total=30)
THROTTLE_RETRIES = 10


@dataclass
class Customer:
    email: str
    session: aiohttp.ClientSession
    token: str = ""

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}


def own_addresses_possible(gateway: str) -> bool:
    host = urlsplit(gateway).hostname or ""
    try:
        return sys.platform.startswith("linux") and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost" and sys.platform.startswith("linux")


def source_address(index: int) -> str:
    return str(FIRST_SOURCE_ADDRESS + index)


def open_session(gateway: str, index: int, own_address: bool) -> aiohttp.ClientSession:
    # One connection per customer, kept alive: a customer sends one request at a time.
    connector = aiohttp.TCPConnector(limit=1, local_addr=(source_address(index), 0) if own_address else None)
    return aiohttp.ClientSession(base_url=gateway, connector=connector, timeout=REQUEST_TIMEOUT)


async def register(customer: Customer, run: str, index: int) -> None:
    """A fresh account (the run's own, so its orders are told apart), then a token."""
    password = secrets.token_urlsafe(18)
    body = {"email": customer.email, "password": password, "name": f"Bench customer {index + 1} ({run})"}
    await _expect(customer.session, "/auth/register/", body, 201)
    answer = await _expect(customer.session, "/auth/token/", {"email": customer.email, "password": password}, 200)
    customer.token = answer["access"]


async def _expect(session: aiohttp.ClientSession, path: str, body: dict, status: int) -> dict:
    """POST, waiting as the gateway asks when it throttles (customers sharing an address)."""
    for _ in range(THROTTLE_RETRIES):
        try:
            async with session.post(path, json=body) as response:
                answer = await response.json(content_type=None)
                if response.status == 429:
                    await asyncio.sleep(float(response.headers.get("Retry-After", "1")))
                    continue
                if response.status != status:
                    detail = answer.get("detail", "") if isinstance(answer, dict) else ""
                    raise ApiError(f"POST {path} answered {response.status} {detail}".strip(), response.status)
                return answer
        except (aiohttp.ClientError, TimeoutError) as error:
            raise ApiError(
                f"POST {path} failed: {error or type(error).__name__}. Is the stack up (ecomctl status)?"
            ) from None
    raise ApiError(f"POST {path} was throttled {THROTTLE_RETRIES} times in a row; try fewer customers.", 429)
