#!/usr/bin/env python3
"""A customer-service agent's refund tool behind hitlgate, with the Python client.

Start the gateway (scripts/run.sh), make an agent key with the admin key it printed:

    curl -s -H "Authorization: Bearer $ADMIN" -d '{"name":"py bot","role":"agent","workflows":["retail-bot"]}' \
         localhost:8080/v1/keys

then run:  HITLGATE_AGENT_KEY=hg_... /usr/bin/python3 examples/python/refund_agent.py

A reply about an order is allowed at once; a 150 USD refund is over the policy's limit and waits
for a person: approve, edit or reject it in the console (http://localhost:8080/, a reviewer with
the billing skill) and the tool runs with what they decided, or does not run at all.
"""
import os
import sys
import uuid
from pathlib import Path

# Run from a checkout without installing; `pip install clients/python` makes this unnecessary.
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "clients" / "python"))

from hitlgate_client import Blocked, Client, Rejected, TimedOut, gate  # noqa: E402

client = Client(os.environ.get("HITLGATE_URL", "http://localhost:8080"),
                os.environ.get("HITLGATE_AGENT_KEY", ""))
conversation = f"c-{uuid.uuid4().hex[:8]}"

# 1. The plain client: report a reply, get the decision.
decision = client.submit({"interaction_id": conversation, "customer_id": "u-77",
                          "workflow": "retail-bot", "type": "ai_proposal",
                          "text": "Your order ships tomorrow.", "intent": "track_order",
                          "confidence": 0.95})
print(f"reply about the order: {decision.decision}")


# 2. A tool behind the gateway: its arguments are the action a person may approve or edit.
@gate(client,
      event=lambda args: {"interaction_id": conversation, "customer_id": "u-77",
                          "workflow": "retail-bot", "intent": "return_item", "confidence": 0.9,
                          "text": f"I have refunded {args['amount']} {args['currency']}."},
      deadline=float(os.environ.get("WAIT_SECONDS", "300")),
      on_hold=lambda d: print(f"refund held ({d.reasons[-1]['detail']}): waiting for a person "
                              f"on task {d.task_id}", flush=True))
def refund(order_id: str, amount: float, currency: str = "USD") -> str:
    # The real refund would happen here, only ever with approved values.
    return f"refunded {amount} {currency} for order {order_id}"


try:
    print(refund(order_id="o-1042", amount=150, currency="USD"))
except Rejected as e:
    print(f"not refunded; tell the customer: {e.customer_message or '(no message)'}")
except Blocked as e:
    print(f"blocked by the policy: {e}")
except TimedOut as e:
    print(f"no verdict in time on {e.task_id}; it stays in the queue")
