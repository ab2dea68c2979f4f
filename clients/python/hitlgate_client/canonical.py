"""Canonical JSON as the gateway writes it for receipts (docs/receipts.md, "The action's hash").

Object keys sorted by byte value at every level, no whitespace, strings with minimal escapes
(raw UTF-8, control characters as lower-case \\u00xx), numbers in their shortest form that reads
back as the same double with no trailing ".0" (`100.0` and `1e2` are `100`). `json.dumps` gets
the strings right but writes floats as `100.0`, so numbers are written here.
"""
from __future__ import annotations

import hashlib
import json
import math
from typing import Any


def _string(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def _number(value: Any) -> str:
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        return "null"  # what the gateway writes; JSON has no infinities
    text = repr(value)  # shortest round-trip form, same exponent threshold as the gateway's fmt
    return text[:-2] if text.endswith(".0") else text


def canonical_json(value: Any) -> str:
    if isinstance(value, dict):
        # UTF-8 byte order equals code point order, so sorting the str keys is enough.
        items = sorted(value.items(), key=lambda kv: kv[0])
        return "{" + ",".join(_string(k) + ":" + canonical_json(v) for k, v in items) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(canonical_json(v) for v in value) + "]"
    if value is None or isinstance(value, bool):
        return json.dumps(value)
    if isinstance(value, (int, float)):
        return _number(value)
    if isinstance(value, str):
        return _string(value)
    raise TypeError(f"not JSON: {type(value).__name__}")


def action_sha256(action: dict) -> str:
    """Lower-case hex SHA-256 of the action's canonical JSON, as receipts carry it."""
    if not isinstance(action, dict):
        raise TypeError(f"an action is a JSON object, got {type(action).__name__}")
    return hashlib.sha256(canonical_json(action).encode("utf-8")).hexdigest()
