"""AsyncClient: the main cases of the blocking client, on asyncio streams."""
import asyncio
import json

import pytest
from conftest import FAST
from fault_proxy import DROP, DROP_AFTER_FORWARD, Rewrite, Status
from helpers import allowed_event, held_refund, refund_context

from hitlgate_client import (AlreadyExists, ApiError, AsyncClient, Blocked, Deliver, ReceiptError,
                             Rejected, TimedOut, gate)


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 30))


def test_allowed_event(gateway, agent_key):
    async def main():
        async with AsyncClient(gateway.url, agent_key) as client:
            return await client.submit(allowed_event())
    decision = run(main())
    assert decision.allowed and decision.event_id.startswith("ev-")


def test_held_refund_edited_by_a_reviewer_runs_the_async_tool_with_the_edited_amount(
        gateway, agent_key, reviewer):
    calls = []

    async def main():
        async with AsyncClient(gateway.url, agent_key) as client:
            async def review_later(decision):
                # The verdict comes while the tool waits on its long-poll.
                await asyncio.sleep(0.3)
                await asyncio.to_thread(reviewer.verdict, decision.task_id, "edited", edited_action={
                    "name": "refund", "amount": 75, "currency": "USD", "params": {"order_id": "o-9"}})

            reviews = []

            def on_hold(decision):  # returns at once; the tool then waits for the verdict
                reviews.append(asyncio.ensure_future(review_later(decision)))

            @gate(client, event=lambda args: refund_context(), on_hold=on_hold)
            async def refund(order_id, amount, currency="USD"):
                await asyncio.sleep(0)
                calls.append((order_id, amount, currency))
                return "ok"

            return await refund("o-9", 150)

    assert run(main()) == "ok"
    assert calls == [("o-9", 75, "USD")]


def test_rejected_raises_and_the_tool_never_runs(gateway, agent_key, reviewer):
    calls = []

    async def main():
        async with AsyncClient(gateway.url, agent_key) as client:
            return await client.gate(
                held_refund(), calls.append,
                on_hold=lambda d: asyncio.to_thread(reviewer.verdict, d.task_id, "rejected",
                                                    reason="no", customer_message="Sorry, not today."))
    with pytest.raises(Rejected) as e:
        run(main())
    assert e.value.customer_message == "Sorry, not today." and calls == []


def test_blocked_and_timed_out(gateway, agent_key):
    async def main():
        async with AsyncClient(gateway.url, agent_key) as client:
            blocked = held_refund()
            blocked["action"] = {"name": "delete_account"}
            with pytest.raises(Blocked):
                await client.gate(blocked, lambda d: None)
            with pytest.raises(TimedOut):
                await client.gate(held_refund(), lambda d: None, deadline=0.3)
    run(main())


def test_retry_after_a_lost_answer_uses_the_same_event_id(proxy, agent_key):
    async def main():
        async with AsyncClient(proxy.url, agent_key, retry=FAST) as client:
            proxy.reset(DROP_AFTER_FORWARD, Status(503))
            return await client.submit(held_refund())
    decision = run(main())
    posts = proxy.requests("POST")
    assert len(posts) == 3 and len({p.body for p in posts}) == 1
    assert decision.replayed and decision.task_id


def test_409_and_4xx_are_not_retried(proxy, agent_key):
    async def main():
        async with AsyncClient(proxy.url, agent_key, retry=FAST) as client:
            first = await client.submit(allowed_event())
            proxy.reset()
            with pytest.raises(AlreadyExists):
                await client.submit(allowed_event(event_id=first.event_id))
            with pytest.raises(ApiError) as e:
                await client.submit(allowed_event(confidance=1))
            assert e.value.status == 400
    run(main())
    assert len(proxy.requests("POST")) == 2


def test_long_poll_survives_drops_and_5xx(proxy, agent_key, reviewer):
    async def main():
        async with AsyncClient(proxy.url, agent_key, retry=FAST) as client:
            decision = await client.submit(held_refund())
            await asyncio.to_thread(reviewer.verdict, decision.task_id, "approved")
            proxy.reset(DROP, Status(502), DROP_AFTER_FORWARD)
            return await client.wait_for_verdict(decision, deadline=10)
    outcome = run(main())
    assert isinstance(outcome, Deliver) and outcome.receipt and len(proxy.requests("GET")) == 4


def test_tampered_receipt_is_refused(proxy, agent_key, reviewer):
    def raise_amount(body):
        view = json.loads(body)
        view["final"]["action"]["amount"] = 999
        return json.dumps(view).encode()

    async def main():
        async with AsyncClient(proxy.url, agent_key, retry=FAST) as client:
            async def approve_then_tamper(decision):
                await asyncio.to_thread(reviewer.verdict, decision.task_id, "approved")
                proxy.reset(Rewrite(raise_amount))
            await client.gate(held_refund(), lambda d: pytest.fail("ran"), on_hold=approve_then_tamper)
    with pytest.raises(ReceiptError) as e:
        run(main())
    assert e.value.reason == "action_changed"


def test_cancelling_a_wait_returns_at_once(gateway, agent_key):
    async def main():
        async with AsyncClient(gateway.url, agent_key) as client:
            decision = await client.submit(held_refund())
            waiting = asyncio.ensure_future(client.wait_for_verdict(decision))
            await asyncio.sleep(0.2)
            waiting.cancel()
            started = asyncio.get_running_loop().time()
            with pytest.raises(asyncio.CancelledError):
                await waiting
            return asyncio.get_running_loop().time() - started
    assert run(main()) < 0.5
