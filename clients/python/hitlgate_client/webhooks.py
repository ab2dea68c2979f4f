"""Checking a `task.answered` webhook delivery (src/api/webhooks/webhook_sender.h):

    X-Hitlgate-Timestamp: <unix seconds>
    X-Hitlgate-Signature: sha256=<hex HMAC-SHA-256(secret, timestamp + "." + body)>

The timestamp is signed too, so a tolerance window stops a captured delivery from being replayed
later; receivers should still de-duplicate on X-Hitlgate-Delivery (delivery is at least once).
"""
from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any, Mapping, Optional, Union

from .errors import ProtocolError, WebhookSignatureError

SIGNATURE_HEADER = "X-Hitlgate-Signature"
TIMESTAMP_HEADER = "X-Hitlgate-Timestamp"


def _header(headers: Any, name: str) -> Optional[str]:
    # Accepts a dict, an http.client/email Message or (name, value) pairs; names are
    # case-insensitive in HTTP, and frameworks lower-case them differently.
    items = headers.items() if hasattr(headers, "items") else headers
    wanted = name.lower()
    for key, value in items:
        if isinstance(key, bytes):
            key = key.decode("latin-1")
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        if key.lower() == wanted:
            return value
    return None


def verify_webhook(headers: Union[Mapping[str, str], Any], body: Union[bytes, str], secret: str,
                   tolerance_seconds: float = 300, *, now: Optional[float] = None) -> Any:
    """Returns the delivery's parsed JSON body (the task view, as `GET /v1/tasks/{id}` shows it)
    when the signature is the gateway's and the timestamp within `tolerance_seconds` of `now`;
    raises WebhookSignatureError otherwise. Pass the body exactly as received (bytes)."""
    if not isinstance(secret, str) or not secret:
        raise ValueError("verify_webhook: secret must be the non-empty string given to PUT /v1/webhooks")
    if isinstance(body, str):
        body = body.encode("utf-8")
    if not isinstance(body, (bytes, bytearray)):
        raise TypeError(f"verify_webhook: body must be the raw bytes received, got {type(body).__name__}")
    stamp = _header(headers, TIMESTAMP_HEADER)
    signature = _header(headers, SIGNATURE_HEADER)
    if stamp is None or signature is None:
        raise WebhookSignatureError(f"missing {TIMESTAMP_HEADER} or {SIGNATURE_HEADER} header")
    stamp = stamp.strip()
    if not stamp.isdigit():
        raise WebhookSignatureError(f"{TIMESTAMP_HEADER} is not unix seconds: {stamp[:40]!r}")
    signature = signature.strip()
    if not signature.startswith("sha256="):
        raise WebhookSignatureError(f"{SIGNATURE_HEADER} does not start with sha256=")
    expected = hmac.new(secret.encode("utf-8"), stamp.encode("ascii") + b"." + bytes(body),
                        hashlib.sha256).hexdigest()
    # Constant-time: a timing leak would let an attacker find a valid signature byte by byte.
    if not hmac.compare_digest(expected.encode("ascii"), signature[len("sha256="):].encode("ascii", "replace")):
        raise WebhookSignatureError("signature mismatch: wrong secret, or the body or timestamp was changed")
    current = time.time() if now is None else now
    if abs(current - int(stamp)) > tolerance_seconds:
        raise WebhookSignatureError(
            f"timestamp {stamp} is {abs(current - int(stamp)):.0f} s from now (tolerance {tolerance_seconds} s)")
    try:
        return json.loads(body)
    except ValueError as e:
        raise ProtocolError(f"the signed body is not JSON: {e}") from None
