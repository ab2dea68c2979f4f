"""wait_for_verdict(): typed outcomes, surviving faults during the long-poll, deadlines."""
import time

import pytest
from conftest import FAST
from fault_proxy import DROP, DROP_AFTER_FORWARD, Status
from helpers import allowed_event, held_refund

from hitlgate_client import (ApiError, Client, Deliver, DoNotDeliver, Expired, TimedOut,
                            outcome_from_task_view)


def test_edited_outcome_carries_action_text_and_receipt(gateway, agent_key, reviewer):
    client = Client(gateway.url, agent_key)
    decision = client.submit(held_refund())
    assert decision.held and decision.decision == "hold"
    edited = {"name": "refund", "amount": 90, "currency": "USD"}
    reviewer.verdict(decision.task_id, "edited", edited_action=edited, edited_text="I refunded 90 USD.")
    outcome = client.wait_for_verdict(decision, deadline=10)
    assert isinstance(outcome, Deliver) and outcome.edited
    assert {k: outcome.action[k] for k in edited} == edited  # the gateway adds "params": {}
    assert outcome.text == "I refunded 90 USD."
    assert client.verify_receipt(outcome.receipt, outcome.action, decision.task_id)


def test_rejection_is_do_not_deliver_with_the_customer_message(gateway, agent_key, reviewer):
    client = Client(gateway.url, agent_key)
    decision = client.submit(held_refund())
    reviewer.verdict(decision.task_id, "rejected", reason="fraud check",
                     customer_message="We need to check this first.")
    outcome = client.wait_for_verdict(decision.task_id)
    assert outcome == DoNotDeliver(customer_message="We need to check this first.",
                                   reason="fraud check", task_id=decision.task_id,
                                   verdict=outcome.verdict)
    assert outcome.verdict["kind"] == "rejected"


def test_pending_task_times_out_at_the_callers_deadline(gateway, agent_key):
    client = Client(gateway.url, agent_key)
    decision = client.submit(held_refund())
    started = time.monotonic()
    outcome = client.wait_for_verdict(decision, deadline=0.5)
    assert outcome == TimedOut(decision.task_id)
    assert 0.4 <= time.monotonic() - started < 3


def test_long_poll_survives_dropped_connections_and_5xx(proxy, gateway, agent_key, reviewer):
    client = Client(proxy.url, agent_key, retry=FAST)
    decision = client.submit(held_refund())
    reviewer.verdict(decision.task_id, "approved")
    proxy.reset(DROP, Status(503), DROP_AFTER_FORWARD, Status(500))
    outcome = client.wait_for_verdict(decision, deadline=10)
    assert isinstance(outcome, Deliver) and outcome.action["amount"] == 150
    assert len(proxy.requests("GET")) == 5


def test_unknown_task_is_an_error_not_a_wait(gateway, agent_key):
    with pytest.raises(ApiError) as e:
        Client(gateway.url, agent_key).wait_for_verdict("t-0000000000000000", deadline=5)
    assert e.value.status == 404


def test_allowed_decision_has_nothing_to_wait_for(gateway, agent_key):
    client = Client(gateway.url, agent_key)
    with pytest.raises(ValueError, match="no task"):
        client.wait_for_verdict(client.submit(allowed_event()))


def test_gateway_deadline_settles_the_task_fail_closed(gateway, agent_key):
    # The built-in retail policy's defaults.deadline.
    client = Client(gateway.url, agent_key)
    decision = client.submit(held_refund(deadline_ms=500))
    assert decision.on_deadline == "fail_closed"
    assert decision.wait_message == "Let me check that with a colleague, one moment please."
    outcome = client.wait_for_verdict(decision)  # waits to deadline_at plus a grace period
    assert isinstance(outcome, Expired) and outcome.fallback == "fail_closed" and not outcome.deliver
    assert "a colleague will follow up" in outcome.customer_message


def test_reviewer_editing_only_the_amount_marks_the_text_outdated(gateway, agent_key, reviewer):
    client = Client(gateway.url, agent_key)
    decision = client.submit(held_refund(150))
    reviewer.verdict(decision.task_id, "edited",
                     edited_action={"name": "refund", "amount": 100, "currency": "USD"})
    outcome = client.wait_for_verdict(decision, deadline=10)
    assert outcome.action["amount"] == 100 and outcome.text == "I refunded 150 USD."
    assert outcome.text_outdated is True


def test_reviewer_editing_amount_and_text_leaves_the_text_current(gateway, agent_key, reviewer):
    client = Client(gateway.url, agent_key)
    decision = client.submit(held_refund(150))
    reviewer.verdict(decision.task_id, "edited", edited_text="I refunded 100 USD.",
                     edited_action={"name": "refund", "amount": 100, "currency": "USD"})
    outcome = client.wait_for_verdict(decision, deadline=10)
    assert outcome.text == "I refunded 100 USD." and outcome.text_outdated is False


def test_expired_views_become_expired_outcomes():
    # The deadline contract's answer shapes, parsed without a server (it may predate them).
    closed = outcome_from_task_view({"task_id": "t-1", "status": "expired", "final": {
        "deliver": False, "fallback": "handoff", "customer_message": "Connecting you to a colleague."}})
    assert closed == Expired(task_id="t-1", deliver=False, fallback="handoff",
                             customer_message="Connecting you to a colleague.", action=None, text=None)
    opened = outcome_from_task_view({"task_id": "t-2", "status": "expired", "final": {
        "deliver": True, "fallback": "fail_open", "action": {"name": "refund"}, "text": "Done."}})
    assert opened.deliver and opened.action == {"name": "refund"} and opened.text == "Done."
