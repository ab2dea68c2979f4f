"""hitlgate_client: put hitlgate in front of an AI agent's actions, from Python.

    from hitlgate_client import Client, gate

    client = Client("http://localhost:8080", AGENT_KEY)

    @gate(client, event=lambda args: {"workflow": "retail-bot", "interaction_id": "c-1042"})
    def refund(order_id: str, amount: float, currency: str): ...

Standard library only; receipt verification uses `cryptography` when it is importable.
Documentation: docs/clients/python.md.
"""
from ._version import __version__
from .client import AsyncClient, Client
from .errors import (AlreadyExists, ApiError, Blocked, GateRefused, HitlgateError, NetworkError,
                     ProtocolError, ReceiptError, ReceiptVerificationUnavailable, Rejected,
                     WebhookSignatureError)
from .outcomes import (Decision, Deliver, DoNotDeliver, Expired, HandedOff, TimedOut,
                       outcome_from_task_view)
from .receipts import verify_receipt
from .retry import Retry
from .tool import ActionMismatch, gate
from .webhooks import verify_webhook
from .canonical import action_sha256, canonical_json

__all__ = [
    "__version__", "Client", "AsyncClient", "Retry", "gate", "verify_webhook", "verify_receipt",
    "outcome_from_task_view", "action_sha256", "canonical_json",
    "Decision", "Deliver", "DoNotDeliver", "Expired", "TimedOut", "HandedOff",
    "HitlgateError", "ApiError", "AlreadyExists", "NetworkError", "ProtocolError", "ReceiptError",
    "ReceiptVerificationUnavailable", "WebhookSignatureError", "GateRefused", "Rejected", "Blocked",
    "ActionMismatch",
]
