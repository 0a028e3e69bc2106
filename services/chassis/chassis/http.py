"""Outbound HTTP to another service: short timeouts, bounded retries with backoff and
jitter, and a circuit breaker, so a dead dependency costs a caller milliseconds, not
threads.

    closed ──(failure_threshold failures in a row)──▶ open
    open ──(reset_timeout elapsed)──▶ half-open: one trial call
    half-open ──success──▶ closed      half-open ──failure──▶ open
"""

from __future__ import annotations

import logging
import random
import threading
import time

import requests

from chassis.correlation import outbound_headers

logger = logging.getLogger(__name__)


class UpstreamUnavailable(Exception):
    """The other service could not answer usefully; the message says which and why."""

    def __init__(self, service: str, reason: str):
        super().__init__(f"{service} is unavailable: {reason}")
        self.service = service
        self.reason = reason


class CircuitOpen(UpstreamUnavailable):
    pass


class CircuitBreaker:
    def __init__(self, *, failure_threshold: int = 5, reset_timeout: float = 10.0, clock=time.monotonic):
        self.failure_threshold = failure_threshold
        self.reset_timeout = reset_timeout
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_running = False
        self._lock = threading.Lock()

    @property
    def state(self) -> str:
        with self._lock:
            return self._state()

    def _state(self) -> str:
        if self._opened_at is None:
            return "closed"
        if self._clock() - self._opened_at >= self.reset_timeout:
            return "half-open"
        return "open"

    def allow(self) -> bool:
        with self._lock:
            state = self._state()
            if state == "closed":
                return True
            if state == "half-open" and not self._trial_running:
                self._trial_running = True
                return True
            return False

    def record_success(self) -> None:
        with self._lock:
            self._failures = 0
            self._opened_at = None
            self._trial_running = False

    def record_failure(self) -> None:
        with self._lock:
            self._failures += 1
            if self._trial_running or self._failures >= self.failure_threshold:
                self._opened_at = self._clock()
            self._trial_running = False


class ServiceClient:
    """Calls one other service. Only idempotent requests are retried."""

    def __init__(
        self,
        service: str,
        base_url: str,
        *,
        connect_timeout: float | None = 0.5,  # None waits for ever (the no-breaker teaching switch)
        read_timeout: float | None = 2.0,
        retries: int = 2,
        backoff: float = 0.05,
        breaker: CircuitBreaker | None = None,
    ):
        self.service = service
        self.base_url = base_url.rstrip("/")
        self.timeout = (connect_timeout, read_timeout)
        self.retries = retries
        self.backoff = backoff
        self.breaker = breaker or CircuitBreaker()
        self._session = requests.Session()
        # A call to another service goes straight to it: proxy variables and .netrc in
        # the environment are for the outside world (and reading them costs every call).
        self._session.trust_env = False

    def get(self, path: str, **kwargs) -> requests.Response:
        return self._call("GET", path, retry=True, **kwargs)

    def _call(self, method: str, path: str, *, retry: bool, **kwargs) -> requests.Response:
        attempts = 1 + (self.retries if retry else 0)
        headers = {**outbound_headers(), **kwargs.pop("headers", {})}
        last_reason = "no attempt made"
        for attempt in range(attempts):
            if not self.breaker.allow():
                raise CircuitOpen(self.service, "circuit open after repeated failures")
            try:
                response = self._session.request(
                    method,
                    self.base_url + path,
                    timeout=self.timeout,
                    headers=headers,
                    **kwargs,
                )
            except requests.Timeout:
                last_reason = "timed out"
            except requests.ConnectionError:
                last_reason = "connection refused or reset"
            except requests.RequestException as exc:
                # Any other failure to get an answer (a body cut short, a malformed answer)
                # is a failed call too: were it let through, a half-open breaker's trial
                # would never be counted and the breaker would stay open for good.
                last_reason = f"no usable answer ({type(exc).__name__})"
            else:
                if response.status_code < 500:
                    self.breaker.record_success()
                    return response
                last_reason = f"answered {response.status_code}"
            self.breaker.record_failure()
            logger.warning(
                "call to %s failed",
                self.service,
                extra={"attempt": attempt + 1, "reason": last_reason, "path": path},
            )
            if attempt + 1 < attempts:
                time.sleep(self.backoff * (2**attempt) * (1 + random.random()))
        raise UpstreamUnavailable(self.service, last_reason)
