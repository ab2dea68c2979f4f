"""Exceptions raised by the client.

Two families: `HitlgateError` for things that went wrong talking to the gateway or with the
caller's input, and `GateRefused` for the gateway (or a person) saying no, each carrying what the
agent should tell the customer instead.
"""
from __future__ import annotations

from typing import Any, Optional


class HitlgateError(Exception):
    """Base class of every error this package raises."""


class ApiError(HitlgateError):
    """The gateway answered with an error status (`{"error": {"code", "message"}}`)."""

    def __init__(self, status: int, code: str, message: str, *, retry_after: Optional[float] = None):
        super().__init__(f"hitlgate answered {status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.retry_after = retry_after


class AlreadyExists(ApiError):
    """409 `already_exists`: this `event_id` was recorded with another body.

    A retry must repeat the event exactly; a new event needs a new `event_id`. The message names
    the fields that differ.
    """


class NetworkError(HitlgateError):
    """No usable answer: the connection failed, dropped or timed out (after all retries)."""


class ProtocolError(HitlgateError):
    """The gateway's answer was not what this client understands (a newer or broken server)."""


class ReceiptError(HitlgateError):
    """An approval receipt did not verify; the action must not run.

    `reason` is one of the gateway's own reasons (`unknown_key`, `bad_signature`,
    `key_not_valid`, `action_changed`) or `missing`, `malformed`, `wrong_task`.
    """

    def __init__(self, reason: str, detail: str):
        super().__init__(f"receipt refused ({reason}): {detail}")
        self.reason = reason
        self.detail = detail


class ReceiptVerificationUnavailable(HitlgateError):
    """Receipt verification needs the `cryptography` package, which is not importable."""


class WebhookSignatureError(HitlgateError):
    """A webhook delivery's signature or timestamp did not check out; do not act on it."""


class GateRefused(HitlgateError):
    """The tool call did not run. `customer_message` is what to tell the customer (may be None)."""

    customer_message: Optional[str] = None


class Rejected(GateRefused):
    """A person rejected (or took over) the held proposal."""

    def __init__(self, customer_message: Optional[str], reason: Optional[str], task_id: str,
                 verdict: Optional[dict] = None):
        super().__init__(f"task {task_id}: not delivered ({reason or 'no reason given'})")
        self.customer_message = customer_message
        self.reason = reason
        self.task_id = task_id
        self.verdict = verdict


class Blocked(GateRefused):
    """The policy blocked the proposal outright; `reasons` are the rules that fired."""

    def __init__(self, reasons: list, customer_message: Optional[str] = None):
        names = ", ".join(r.get("rule", "?") for r in reasons if isinstance(r, dict)) or "policy"
        super().__init__(f"blocked by {names}")
        self.reasons = reasons
        self.customer_message = customer_message


def describe(value: Any) -> str:
    """A short name of a value's type for error messages ("got list")."""
    return type(value).__name__
