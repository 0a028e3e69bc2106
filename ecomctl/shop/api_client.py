"""A small client of the public API, used by `seed` and `order`: it goes through the
gateway with bearer tokens exactly as any other client would."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

import requests

from ecomctl.description.stack_file import default_stack


class ApiError(Exception):
    """The API answered with an error, or could not be reached; the message says which."""

    def __init__(self, message: str, status: int | None = None, body: dict | None = None):
        super().__init__(message)
        self.status = status
        self.body = body or {}


def gateway_url() -> str:
    return os.environ.get("ECOMCTL_GATEWAY_URL", f"http://127.0.0.1:{default_stack().gateway.port}")


@dataclass
class ApiClient:
    base_url: str
    token: str | None = None
    timeout: float = 10.0
    # The gateway rate-limits each client; a polite client waits and tries again.
    throttle_retries: int = 5

    def request(
        self,
        method: str,
        path: str,
        *,
        json: dict | None = None,
        headers: dict | None = None,
        params: dict | None = None,
    ) -> dict:
        all_headers = {"Accept": "application/json", **(headers or {})}
        if self.token:
            all_headers["Authorization"] = f"Bearer {self.token}"
        for attempt in range(self.throttle_retries + 1):
            response = self._send(method, path, json=json, headers=all_headers, params=params)
            if response.status_code != 429 or attempt == self.throttle_retries:
                break
            time.sleep(_retry_after(response, attempt))
        try:
            body = response.json() if response.content else {}
        except ValueError:
            body = {"detail": response.text[:200]}
        if response.status_code >= 400:
            raise ApiError(_describe(method, path, response.status_code, body), response.status_code, body)
        return body

    def every(self, path: str, params: dict | None = None, page_size: int = 100) -> list[dict]:
        """Every item of a paginated list, page by page: a service caps the size of one page
        (orders at 100), and refuses a larger limit rather than silently cutting it."""
        items: list[dict] = []
        while True:
            page = self.request("GET", path, params={**(params or {}), "limit": page_size, "offset": len(items)})
            items += page["results"]
            if not page["results"] or len(items) >= page["count"]:
                return items

    def _send(self, method: str, path: str, **kwargs) -> requests.Response:
        try:
            return requests.request(method, self.base_url + path, timeout=self.timeout, **kwargs)
        except requests.ConnectionError:
            raise ApiError(
                f"Nothing answers at {self.base_url}. Start the stack with `ecomctl up` (or set ECOMCTL_GATEWAY_URL)."
            ) from None
        except requests.Timeout:
            raise ApiError(f"{method} {path} timed out after {self.timeout:.0f} s.") from None

    def login(self, email: str, password: str) -> "ApiClient":
        tokens = self.request("POST", "/auth/token/", json={"email": email, "password": password})
        return ApiClient(
            self.base_url, token=tokens["access"], timeout=self.timeout, throttle_retries=self.throttle_retries
        )


def _retry_after(response: requests.Response, attempt: int) -> float:
    try:
        return min(float(response.headers.get("Retry-After", "")), 5.0)
    except ValueError:
        return 0.2 * 2**attempt


def _describe(method: str, path: str, status: int, body: dict) -> str:
    detail = body.get("detail") or body.get("error") or "no detail"
    fields = body.get("fields")
    if fields:
        problems = "; ".join(f"{field}: {problem}" for field, problem in fields.items())
        return f"{method} {path} answered {status}: {detail} ({problems})"
    return f"{method} {path} answered {status}: {detail}"
