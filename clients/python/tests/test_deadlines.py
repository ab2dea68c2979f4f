"""Each deadline fallback end to end against a gateway running deadline_policy.yaml, where each
action of voice-bot names one fallback and nobody answers before the event's deadline_ms."""
import asyncio
import json
import secrets
import threading
import time
from pathlib import Path

import pytest
from conftest import FAST
from fault_proxy import FaultProxy, Rewrite
from gateway_process import ALL_SKILLS, Gateway, Reviewer

from hitlgate_client import (AsyncClient, Client, Deliver, Expired, HandedOff, ProtocolError,
                             TimedOut, gate)

POLICY = Path(__file__).with_name("deadline_policy.yaml")
WAIT_MESSAGE = "One moment please, I'm checking that with a colleague."
CUSTOMER_MESSAGE = "I couldn't get that confirmed; a colleague will call you back today."
DEADLINE_MS = 300


@pytest.fixture(scope="module")
def voice_gateway():
    g = Gateway(["--policy", str(POLICY), "--rate-limit", "agent=0", "--rate-limit", "reviewer=0"])
    yield g
    g.stop()


@pytest.fixture(scope="module")
def voice_key(voice_gateway):
    return voice_gateway.new_key("agent", workflows=["voice-bot"])


@pytest.fixture(scope="module")
def person(voice_gateway):
    return Reviewer(voice_gateway, voice_gateway.new_key("reviewer", skills=ALL_SKILLS))


def context():
    return {"interaction_id": "c-" + secrets.token_hex(6), "workflow": "voice-bot",
            "text": "Done, all sorted.", "deadline_ms": DEADLINE_MS}


def test_fail_closed_raises_timed_out_with_the_customer_message_after_the_wait_message(
        voice_gateway, voice_key):
    holds, calls = [], []

    @gate(Client(voice_gateway.url, voice_key), event=lambda args: context(), on_hold=holds.append)
    def refund(order_id, amount, currency):
        calls.append(amount)

    with pytest.raises(TimedOut) as e:
        refund("o-1", 40, "USD")
    assert type(e.value) is TimedOut and e.value.fallback == "fail_closed"
    assert e.value.customer_message == CUSTOMER_MESSAGE
    [hold] = holds
    assert hold.on_deadline == "fail_closed" and hold.wait_message == WAIT_MESSAGE
    assert hold.deadline_at and e.value.task_id == hold.task_id
    assert calls == []


def test_fail_open_runs_the_original_call_unreviewed_without_a_receipt(voice_gateway, voice_key):
    delivered, calls = [], []

    @gate(Client(voice_gateway.url, voice_key), event=lambda args: context(),
          on_deliver=delivered.append)
    def lookup_order(order_id):
        calls.append(order_id)
        return "in transit"

    assert lookup_order("o-2") == "in transit"
    assert calls == ["o-2"]
    [deliver] = delivered
    assert deliver.fail_open and deliver.receipt is None and not deliver.edited
    assert deliver.action == {"name": "lookup_order", "params": {"order_id": "o-2"}}
    assert deliver.text == "Done, all sorted."


def _expired_as_fail_open(body: bytes) -> bytes:
    view = json.loads(body)
    if view.get("status") == "expired":
        view["final"] = {"deliver": True, "fallback": "fail_open", "action": {"name": "refund"}}
    return json.dumps(view).encode()


def test_fail_open_the_hold_did_not_announce_is_refused(voice_gateway, voice_key):
    proxy = FaultProxy(voice_gateway.url)
    calls = []
    try:
        client = Client(proxy.url, voice_key, retry=FAST)
        def rewrite_from_now_on(decision):  # as a man in the middle would
            proxy.reset(*[Rewrite(_expired_as_fail_open)] * 20)

        @gate(client, event=lambda args: context(), on_hold=rewrite_from_now_on)
        def refund(order_id, amount, currency):
            calls.append(amount)

        with pytest.raises(ProtocolError, match="on_deadline='fail_closed'"):
            refund("o-3", 40, "USD")
    finally:
        proxy.close()
    assert calls == []


def test_handoff_raises_handed_off_and_the_persons_reply_arrives_through_handoff(
        voice_gateway, voice_key, person):
    client = Client(voice_gateway.url, voice_key)
    calls = []

    @gate(client, event=lambda args: context())
    def change_address(order_id, street):
        calls.append(street)

    with pytest.raises(HandedOff) as e:
        change_address("o-4", "1 New Road")
    handed = e.value
    assert isinstance(handed, TimedOut) and handed.fallback == "handoff"
    assert "a person took over" in str(handed)
    assert handed.customer_message == CUSTOMER_MESSAGE and calls == []

    # Until the person answers, the agent sees the expiry; then their reply.
    expired = client.wait_for_verdict(handed.task_id, deadline=5)
    assert isinstance(expired, Expired) and expired.fallback == "handoff" and not expired.deliver
    reply = {"name": "change_address", "params": {"order_id": "o-4", "street": "1 New Road"}}
    threading.Timer(0.3, person.verdict, (handed.task_id, "edited"),
                    {"edited_action": reply,
                     "edited_text": "I changed your address to 1 New Road."}).start()
    outcome = client.wait_for_verdict(handed.task_id, deadline=10, through_handoff=True,
                                      handoff_poll=0.1)
    assert isinstance(outcome, Deliver) and outcome.text == "I changed your address to 1 New Road."
    assert outcome.action == reply
    assert client.verify_receipt(outcome.receipt, outcome.action, handed.task_id)


def test_through_handoff_still_ends_at_the_callers_deadline(voice_gateway, voice_key):
    client = Client(voice_gateway.url, voice_key)
    event = {**context(), "type": "ai_proposal", "action": {"name": "change_address"}}
    with pytest.raises(HandedOff) as e:
        client.gate(event, lambda d: pytest.fail("ran"))
    started = time.monotonic()
    outcome = client.wait_for_verdict(e.value.task_id, deadline=0.4, through_handoff=True,
                                      handoff_poll=0.1)
    assert outcome == TimedOut(e.value.task_id) and 0.35 <= time.monotonic() - started < 3


def test_async_client_handles_fail_open_and_handoff(voice_gateway, voice_key):
    heard = []

    async def main():
        async with AsyncClient(voice_gateway.url, voice_key) as client:
            async def on_deliver(deliver):
                heard.append(deliver.fail_open)

            @gate(client, event=lambda args: context(), on_deliver=on_deliver)
            async def lookup_order(order_id):
                return f"looked up {order_id}"

            @gate(client, event=lambda args: context())
            async def change_address(order_id):
                pytest.fail("a handed-off call ran")

            looked_up = await lookup_order("o-5")
            with pytest.raises(HandedOff) as e:
                await change_address("o-6")
            return looked_up, e.value

    looked_up, handed = asyncio.run(asyncio.wait_for(main(), 30))
    assert looked_up == "looked up o-5" and heard == [True]
    assert handed.customer_message == CUSTOMER_MESSAGE
