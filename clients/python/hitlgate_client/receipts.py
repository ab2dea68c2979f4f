"""Offline verification of approval receipts (docs/receipts.md), the same checks in the same order
as `hitlgate receipt verify`: known key, Ed25519 signature, key valid at `approved_at`, action hash.

Ed25519 is not in the standard library: this uses the `cryptography` package when it can be
imported (Debian: python3-cryptography) and otherwise raises `ReceiptVerificationUnavailable`
rather than skipping the check silently.
"""
from __future__ import annotations

import calendar
import re
import struct
from typing import Any, Callable, Iterable, Optional

from .canonical import action_sha256
from .errors import ReceiptError, ReceiptVerificationUnavailable

FORMAT = "hitlgate.receipt.v1"
_FIELDS = ("format", "key_id", "task_id", "interaction_id", "reviewer", "verdict", "approved_at",
           "policy_version", "action_sha256", "signature")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_HEX128 = re.compile(r"[0-9a-f]{128}")
_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:\d{2})")


def rfc3339_micros(text: str) -> int:
    """Microseconds since the epoch, exactly (floats would round six fractional digits)."""
    m = _RFC3339.fullmatch(text) if isinstance(text, str) else None
    if m is None:
        raise ValueError(f"not an RFC 3339 time: {text!r}")
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    seconds = calendar.timegm((year, month, day, hour, minute, second, 0, 0, 0))
    micros = int((m.group(7) or "").ljust(6, "0")[:6])
    zone = m.group(8)
    if zone not in ("Z", "z"):
        sign = 1 if zone[0] == "+" else -1
        seconds -= sign * (int(zone[1:3]) * 3600 + int(zone[4:6]) * 60)
    return seconds * 1_000_000 + micros


def _field(value: str) -> bytes:
    data = value.encode("utf-8")
    return struct.pack(">Q", len(data)) + data


def signed_bytes(receipt: dict) -> bytes:
    """The bytes the gateway signs (docs/receipts.md, "Signed bytes")."""
    return b"".join([
        _field(FORMAT), _field(receipt["key_id"]), _field(receipt["task_id"]),
        _field(receipt["interaction_id"]), _field(receipt["reviewer"]), _field(receipt["verdict"]),
        struct.pack(">q", rfc3339_micros(receipt["approved_at"])),
        _field(receipt["policy_version"]), _field(receipt["action_sha256"]),
    ])


def ed25519_verifier() -> Callable[[bytes, bytes, bytes], bool]:
    """verify(public_key, signature, message) -> bool, or ReceiptVerificationUnavailable."""
    try:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    except ImportError as e:
        raise ReceiptVerificationUnavailable(
            "verifying approval receipts needs the 'cryptography' package (Ed25519), which "
            "could not be imported (Debian: apt install python3-cryptography). To run approved "
            "actions without checking their receipts, pass verify_receipt=False explicitly."
        ) from e

    def verify(public_key: bytes, signature: bytes, message: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
            return True
        except (InvalidSignature, ValueError):
            return False

    return verify


def _check_shape(receipt: Any) -> dict:
    if not isinstance(receipt, dict):
        raise ReceiptError("malformed", f"a receipt is a JSON object, got {type(receipt).__name__}")
    missing = [f for f in _FIELDS if not isinstance(receipt.get(f), str)]
    if missing:
        raise ReceiptError("malformed", "missing or not a string: " + ", ".join(missing))
    extra = sorted(set(receipt) - set(_FIELDS))
    if extra:
        raise ReceiptError("malformed", "unknown fields: " + ", ".join(extra))
    if receipt["format"] != FORMAT:
        raise ReceiptError("malformed", f"format {receipt['format']!r}, expected {FORMAT}")
    if receipt["verdict"] not in ("approved", "edited"):
        raise ReceiptError("malformed", f"verdict {receipt['verdict']!r}")
    if not _HEX64.fullmatch(receipt["action_sha256"]) or not _HEX128.fullmatch(receipt["signature"]):
        raise ReceiptError("malformed", "action_sha256 or signature is not lower-case hex")
    try:
        rfc3339_micros(receipt["approved_at"])
    except ValueError as e:
        raise ReceiptError("malformed", str(e)) from None
    return receipt


def _key_list(keys: Any) -> list:
    if isinstance(keys, dict):
        keys = keys.get("keys")
    if not isinstance(keys, list):
        raise ReceiptError("malformed", "the key list is {\"keys\": [...]} from GET /v1/receipt-keys")
    return keys


def find_key(keys: Iterable[dict], key_id: str) -> Optional[dict]:
    for key in keys:
        if isinstance(key, dict) and key.get("key_id") == key_id:
            return key
    return None


def verify_receipt(receipt: Any, action: Any, keys: Any, *, task_id: Optional[str] = None) -> dict:
    """Raises ReceiptError unless `receipt` approves exactly `action` under one of `keys`
    (the body of GET /v1/receipt-keys, or its list). With `task_id`, the receipt must also be
    that task's: a receipt proves an approval, so one for the same action on another task must
    not unlock this one. Returns the receipt."""
    verify = ed25519_verifier()
    receipt = _check_shape(receipt)
    if task_id is not None and receipt["task_id"] != task_id:
        raise ReceiptError("wrong_task", f"receipt of {receipt['task_id']}, not of {task_id}")
    key = find_key(_key_list(keys), receipt["key_id"])
    if key is None:
        raise ReceiptError("unknown_key", f"no key {receipt['key_id']} in the gateway's key list")
    try:
        public_key = bytes.fromhex(key.get("public_key", ""))
    except ValueError:
        public_key = b""
    if key.get("algorithm") != "ed25519" or len(public_key) != 32:
        raise ReceiptError("malformed", f"key {receipt['key_id']} is not a 32-byte ed25519 key")
    if not verify(public_key, bytes.fromhex(receipt["signature"]), signed_bytes(receipt)):
        raise ReceiptError("bad_signature", "the signature does not match the receipt's fields")
    approved = rfc3339_micros(receipt["approved_at"])
    try:
        starts = rfc3339_micros(key["not_before"])
        ends = rfc3339_micros(key["not_after"]) if key.get("not_after") else None
    except (KeyError, ValueError) as e:
        raise ReceiptError("malformed", f"key {receipt['key_id']}: bad validity period ({e})") from None
    if approved < starts or (ends is not None and approved >= ends):
        raise ReceiptError("key_not_valid", f"key {receipt['key_id']} did not sign at "
                                            f"{receipt['approved_at']}")
    if not isinstance(action, dict):
        raise ReceiptError("action_changed", f"no action object to check (got {type(action).__name__})")
    if action_sha256(action) != receipt["action_sha256"]:
        raise ReceiptError("action_changed", "the receipt approves another action")
    return receipt
