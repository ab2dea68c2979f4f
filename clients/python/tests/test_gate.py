"""gate() and @gate: allowed tools run at once, held ones with what the reviewer approved,
refused ones never; approval receipts are checked before anything runs."""
import json
import threading

import pytest
from conftest import FAST
from fault_proxy import Rewrite
from helpers import allowed_event, held_refund, refund_context

from hitlgate_client import (ActionMismatch, Blocked, Client, Deliver, ReceiptError, Rejected,
                             TimedOut, gate)


def test_allowed_proposal_runs_at_once_with_the_proposal(gateway, agent_key):
    event = allowed_event()
    delivered = Client(gateway.url, agent_key).gate(event, lambda d: d)
    assert delivered == Deliver(action=None, text=event["text"], edited=False, receipt=None)


def test_held_refund_edited_by_a_reviewer_runs_with_the_edited_amount(gateway, agent_key, reviewer):
    client = Client(gateway.url, agent_key)
    calls = []
    # Odd values on purpose: the receipt's hash covers the canonical JSON of exactly these.
    note = 'é "quoted" \\ \u0001 ✓'

    def review_later(decision):
        edited = {"name": "refund", "amount": 100, "currency": "USD",
                  "params": {"order_id": "o-42", "note": note, "ratio": 0.1, "big": 1e21,
                             "tiny": 1e-7, "whole": 3.0}}
        # From another thread, after the tool started waiting: the long-poll wakes on the verdict.
        threading.Timer(0.3, reviewer.verdict, (decision.task_id, "edited"),
                        {"edited_action": edited}).start()

    @gate(client, event=lambda args: refund_context(), on_hold=review_later)
    def refund(order_id: str, amount: float, currency: str = "USD", **extra):
        calls.append(dict(order_id=order_id, amount=amount, currency=currency, **extra))
        return f"refunded {amount} {currency}"

    assert refund("o-42", 150) == "refunded 100 USD"
    assert calls == [{"order_id": "o-42", "amount": 100, "currency": "USD", "note": note,
                      "ratio": 0.1, "big": 1e21, "tiny": 1e-7, "whole": 3}]


def test_gate_helper_hands_run_the_approved_action_text_and_checked_receipt(gateway, agent_key, reviewer):
    client = Client(gateway.url, agent_key)
    deliver = client.gate(held_refund(), lambda d: d,
                          on_hold=lambda d: reviewer.verdict(d.task_id, "approved"))
    assert deliver.action["amount"] == 150 and not deliver.edited
    assert deliver.receipt["verdict"] == "approved" and deliver.receipt["task_id"] == deliver.task_id


def test_on_deliver_hears_that_an_amount_only_edit_outdated_the_text(gateway, agent_key, reviewer):
    delivered = []

    @gate(Client(gateway.url, agent_key), event=lambda args: refund_context(),
          on_deliver=delivered.append,
          on_hold=lambda d: reviewer.verdict(d.task_id, "edited", edited_action={
              "name": "refund", "amount": 100, "currency": "USD", "params": {"order_id": "o-7"}}))
    def refund(order_id, amount, currency="USD"):
        return amount

    assert refund("o-7", 150) == 100
    [deliver] = delivered
    assert deliver.text_outdated and deliver.text == "Refunding you now."


def test_rejected_raises_with_the_reviewers_message_and_the_tool_never_runs(gateway, agent_key, reviewer):
    client = Client(gateway.url, agent_key)
    calls = []

    @gate(client, event=lambda args: refund_context(),
          on_hold=lambda d: reviewer.verdict(d.task_id, "rejected", reason="over the limit",
                                             customer_message="A colleague will call you today."))
    def refund(order_id, amount, currency):
        calls.append(amount)

    with pytest.raises(Rejected) as e:
        refund(order_id="o-1", amount=500, currency="USD")
    assert e.value.customer_message == "A colleague will call you today."
    assert e.value.reason == "over the limit" and e.value.task_id.startswith("t-")
    assert calls == []


def test_blocked_raises_with_the_rules_and_the_tool_never_runs(gateway, agent_key):
    calls = []

    @gate(Client(gateway.url, agent_key), event=lambda args: refund_context())
    def delete_account(customer_id):
        calls.append(customer_id)

    with pytest.raises(Blocked) as e:
        delete_account("u-1")
    assert [r["rule"] for r in e.value.reasons if r["decision"] == "block"] == ["no-account-deletion"]
    assert calls == []


def test_no_verdict_before_the_deadline_raises_timed_out_and_the_tool_never_runs(gateway, agent_key):
    calls = []

    @gate(Client(gateway.url, agent_key), event=lambda args: refund_context(), deadline=0.3)
    def refund(order_id, amount, currency):
        calls.append(amount)

    with pytest.raises(TimedOut) as e:
        refund("o-1", 300, "USD")
    assert e.value.task_id.startswith("t-") and e.value.fallback is None and calls == []


def test_reviewer_changing_the_action_to_another_tool_is_refused(gateway, agent_key, reviewer):
    calls = []
    other = {"name": "issue_store_credit", "amount": 20, "currency": "USD"}

    @gate(Client(gateway.url, agent_key), event=lambda args: refund_context(),
          on_hold=lambda d: reviewer.verdict(d.task_id, "edited", edited_action=other))
    def refund(order_id, amount, currency):
        calls.append(amount)

    with pytest.raises(ActionMismatch, match="issue_store_credit"):
        refund("o-1", 300, "USD")
    assert calls == []


def _raise_the_amount(body: bytes) -> bytes:
    view = json.loads(body)
    if view.get("final", {}).get("action"):
        view["final"]["action"]["amount"] = 1000  # what a man in the middle would change
    return json.dumps(view).encode()


def _forge_the_signature(body: bytes) -> bytes:
    view = json.loads(body)
    if view.get("receipt"):
        view["receipt"]["reviewer"] = "k-somebody-else"  # a signed field
    return json.dumps(view).encode()


@pytest.mark.parametrize("tamper, reason", [(_raise_the_amount, "action_changed"),
                                            (_forge_the_signature, "bad_signature")])
def test_tampered_approval_is_refused_and_the_tool_never_runs(proxy, agent_key, reviewer, tamper, reason):
    calls = []

    def approve_then_tamper(decision):
        reviewer.verdict(decision.task_id, "approved")
        proxy.reset(Rewrite(tamper))

    @gate(Client(proxy.url, agent_key, retry=FAST), event=lambda args: refund_context(),
          on_hold=approve_then_tamper)
    def refund(order_id, amount, currency):
        calls.append(amount)

    with pytest.raises(ReceiptError) as e:
        refund("o-1", 300, "USD")
    assert e.value.reason == reason and calls == []


def test_opting_out_of_receipt_checks_runs_what_the_answer_says(proxy, agent_key, reviewer):
    calls = []

    def approve_then_tamper(decision):
        reviewer.verdict(decision.task_id, "approved")
        proxy.reset(Rewrite(_raise_the_amount))

    @gate(Client(proxy.url, agent_key, retry=FAST), event=lambda args: refund_context(),
          on_hold=approve_then_tamper, verify_receipt=False)
    def refund(order_id, amount, currency):
        calls.append(amount)

    refund("o-1", 300, "USD")
    assert calls == [1000]  # why the check is on by default
