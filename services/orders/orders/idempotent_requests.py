"""The HTTP side of idempotency keys: the Idempotency-Key header, the request fingerprint,
and the answers for replays and conflicts."""

from __future__ import annotations

import hashlib
import json

from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from chassis import switches
from orders import services
from orders.models import IdempotencyKey, IdempotencyKeyState

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255


class IdempotencyKeyReusedError(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_code = "idempotency_key_reused"
    default_detail = "This Idempotency-Key was already used with a different request; use a new key."


class IdempotencyKeyInUseError(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "idempotency_key_in_use"
    default_detail = "A request with this Idempotency-Key is still being processed; retry in a moment."


class IdempotentRequest:
    """One request's hold on its Idempotency-Key; does nothing when the header is absent."""

    def __init__(self, request):
        self.request = request
        self.key = _key_from_header(request)
        self.record: IdempotencyKey | None = None

    def claim(self) -> Response | None:
        """Claim the key; returns the stored response when this request was already answered."""
        if self.key is None:
            return None
        request = self.request
        fingerprint = request_fingerprint(method=request.method, path=request.path, body=request.data)
        try:
            self.record = services.idempotency_claim(customer_id=request.user.id, key=self.key, fingerprint=fingerprint)
        except services.IdempotencyKeyReused:
            raise IdempotencyKeyReusedError from None
        except services.IdempotencyKeyInUse:
            raise IdempotencyKeyInUseError from None
        if self.record.state != IdempotencyKeyState.COMPLETED:
            return None
        return Response(
            self.record.response_body, status=self.record.response_status, headers={REPLAYED_HEADER: "true"}
        )

    def complete(self, *, status_code: int, body: dict) -> None:
        """Store the answer; call inside the transaction that does the work."""
        if self.record is not None:
            try:
                services.idempotency_complete(record=self.record, status=status_code, body=body)
            except services.IdempotencyKeyInUse:
                raise IdempotencyKeyInUseError from None

    def release(self) -> None:
        if self.record is not None:
            services.idempotency_release(record=self.record)


def _key_from_header(request) -> str | None:
    if HEADER not in request.headers or switches.is_on("no-idempotency-key"):
        return None
    key = request.headers[HEADER].strip()
    if not key:
        raise serializers.ValidationError({HEADER: ["The Idempotency-Key header may not be empty."]})
    if len(key) > MAX_KEY_LENGTH:
        raise serializers.ValidationError({HEADER: [f"Use an Idempotency-Key of at most {MAX_KEY_LENGTH} characters."]})
    return key


def request_fingerprint(*, method: str, path: str, body: object) -> str:
    """sha256 of the method, path and canonical JSON body: key order and spacing do not count."""
    canonical_body = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{method}\n{path}\n{canonical_body}".encode()).hexdigest()
