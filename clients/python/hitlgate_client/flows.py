"""What the client does, written once as generators over the steps in `protocol`.

Each flow yields `Send`, `Sleep` or `Call` and gets back a Response (or a NetworkError thrown in),
nothing, or the call's result. `drive_sync` and `drive_async` carry the steps out.
"""
from __future__ import annotations

import asyncio
import inspect
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Generator, Optional, Union

from .errors import (Blocked, HitlgateError, NetworkError, ProtocolError, ReceiptError, Rejected)
from .outcomes import (Decision, Deliver, DoNotDeliver, Expired, HandedOff, TimedOut,
                       decision_from_answer, holding_text, outcome_from_task_view)
from .protocol import (Call, Request, Response, Send, Sleep, decode_json, error_from,
                       prepare_event, retryable, task_path)
from .receipts import ed25519_verifier, rfc3339_micros, verify_receipt
from .retry import Retry

Flow = Generator[Any, Any, Any]

LONG_POLL_SECONDS = 25.0  # under the gateway's 60 s cap and common proxies' 30 s idle timeouts
# After the gateway's own deadline, how long to keep polling for its settlement before giving up.
DEADLINE_GRACE_SECONDS = 5.0
MIN_POLL_INTERVAL = 0.25  # a pending answer that came back early is not re-asked at once
# The gateway answers a long-poll on an expired task at once, also while a person has it after a
# handoff, so waiting for that person is a poll at this interval.
HANDOFF_POLL_SECONDS = 1.0


@dataclass
class Settings:
    timeout: float
    retry: Retry
    clock: Callable[[], float] = time.monotonic
    wall_clock: Callable[[], float] = time.time
    receipt_keys: Optional[dict] = field(default=None, repr=False)  # cached GET /v1/receipt-keys


def request_flow(s: Settings, request: Request) -> Flow:
    """One request, retried on network errors, 5xx and 429 (after Retry-After); any other
    answer is returned, the caller decides what it means."""
    failures = 0
    while True:
        try:
            response = yield Send(request)
        except NetworkError as e:
            last: HitlgateError = e
            delay = None
        else:
            if not retryable(response):
                return response
            last = error_from(response)
            delay = last.retry_after if response.status == 429 else None
        failures += 1
        if failures >= s.retry.attempts:
            raise last
        if delay is not None and delay > s.retry.max_retry_after:
            raise last
        backoff = s.retry.backoff(failures)
        yield Sleep(backoff if delay is None else max(delay, backoff))


def submit_flow(s: Settings, event: Any) -> Flow:
    event, body = prepare_event(event)
    response = yield from request_flow(s, Request("POST", "/v1/events", body, s.timeout))
    if response.status != 200:
        raise error_from(response)  # 409 already_exists is AlreadyExists; no 4xx is retried
    replayed = response.headers.get("idempotent-replayed", "").lower() == "true"
    return decision_from_answer(decode_json(response), event["event_id"], replayed)


def _seconds(name: str, value: Any) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{name} is seconds (>= 0), got {value!r}")
    return float(value)


def _wait_budget(s: Settings, task: Union[Decision, str], deadline: Optional[float],
                 through_handoff: bool) -> Optional[float]:
    if deadline is not None:
        return _seconds("deadline", deadline)
    # A person who took a handed-off task over answers when they answer.
    if isinstance(task, Decision) and task.deadline_at and not through_handoff:
        # The gateway settles the task at deadline_at; wait a little past it to hear how.
        try:
            until = rfc3339_micros(task.deadline_at) / 1e6
        except ValueError:
            return None
        return max(0.0, until - s.wall_clock()) + DEADLINE_GRACE_SECONDS
    return None


def wait_flow(s: Settings, task: Union[Decision, str], deadline: Optional[float] = None,
              on_holding_message: Optional[Callable[[str], Any]] = None,
              through_handoff: bool = False, handoff_poll: float = HANDOFF_POLL_SECONDS) -> Flow:
    """Long-polls until the task settles or `deadline` seconds pass (None: until it settles, or
    until just after the gateway's own deadline_at when the decision carries one). With
    `through_handoff`, a task a deadline handed to a person is waited on until that person
    answers, asking every `handoff_poll` seconds."""
    if isinstance(task, Decision):
        if not task.held:
            raise ValueError(f"a {task.decision} decision has no task to wait for")
        task_id, wait_message = task.task_id, task.wait_message
    else:
        task_id, wait_message = task, None
    task_path(task_id, 0)  # validates the id before anything is sent
    handoff_poll = max(0.05, _seconds("handoff_poll", handoff_poll))
    budget = _wait_budget(s, task, deadline, through_handoff)
    end = None if budget is None else s.clock() + budget
    failures, notice = 0, None
    while True:
        remaining = None if end is None else end - s.clock()
        if remaining is not None and remaining <= 0:
            return TimedOut(task_id, customer_message=notice or wait_message)
        wait = LONG_POLL_SECONDS if remaining is None else min(LONG_POLL_SECONDS, remaining)
        started = s.clock()
        request = Request("GET", task_path(task_id, int(wait * 1000)), None, wait + s.timeout)
        try:
            response = yield Send(request)
        except NetworkError:
            response = None
        if response is None or retryable(response):
            # Dropped connections and gateway restarts are expected during a long wait: keep
            # going until the deadline, never give up on a count.
            failures += 1
            delay = s.retry.backoff(failures)
            if response is not None and response.status == 429:
                delay = max(delay, error_from(response).retry_after or 0.0)
            yield Sleep(delay if remaining is None else max(0.0, min(delay, remaining)))
            continue
        if response.status != 200:
            raise error_from(response)
        failures = 0
        view = decode_json(response)
        outcome = outcome_from_task_view(view)
        if isinstance(outcome, Expired) and outcome.fallback == "handoff" and through_handoff:
            yield Sleep(handoff_poll if remaining is None else max(0.0, min(handoff_poll, remaining)))
            continue
        if outcome is not None:
            return outcome
        text = holding_text(view)
        if text and text != notice:
            notice = text
            if on_holding_message is not None:
                yield Call(on_holding_message, (text,))
        elapsed = s.clock() - started
        if elapsed < MIN_POLL_INTERVAL:
            yield Sleep(MIN_POLL_INTERVAL - elapsed)


def keys_flow(s: Settings, refresh: bool = False) -> Flow:
    if s.receipt_keys is None or refresh:
        response = yield from request_flow(s, Request("GET", "/v1/receipt-keys", None, s.timeout))
        if response.status != 200:
            raise error_from(response)
        keys = decode_json(response)
        if not isinstance(keys, dict) or not isinstance(keys.get("keys"), list):
            raise ProtocolError(f"unexpected receipt key list: {str(keys)[:200]}")
        s.receipt_keys = keys
    return s.receipt_keys


def verify_flow(s: Settings, receipt: Any, action: Any, task_id: Optional[str] = None) -> Flow:
    keys = yield from keys_flow(s)
    try:
        return verify_receipt(receipt, action, keys, task_id=task_id)
    except ReceiptError as e:
        if e.reason != "unknown_key":
            raise
    # A key we have not seen: the gateway may have rotated since the list was cached.
    keys = yield from keys_flow(s, refresh=True)
    return verify_receipt(receipt, action, keys, task_id=task_id)


def gate_flow(s: Settings, proposal: Any, run: Callable[[Deliver], Any], *,
              deadline: Optional[float] = None, verify: bool = True,
              on_hold: Optional[Callable[[Decision], Any]] = None,
              on_holding_message: Optional[Callable[[str], Any]] = None) -> Flow:
    """Submit the proposal; run it at once when allowed, after a person's approval when held
    (with the approved, possibly edited, action and text), at the event's deadline only on a
    fail_open the hold announced, never when blocked or refused."""
    if not isinstance(proposal, dict):
        raise TypeError(f"a proposal is an event dict, got {type(proposal).__name__}")
    if not callable(run):
        raise TypeError(f"run must be callable, got {type(run).__name__}")
    proposed_action = proposal.get("action")
    if verify and isinstance(proposed_action, dict):
        ed25519_verifier()  # say now, not after a person approved, that checking is impossible
    decision = yield from submit_flow(s, proposal)
    if decision.allowed:
        return (yield Call(run, (Deliver(action=proposed_action, text=proposal.get("text"),
                                         edited=False, receipt=None),)))
    if decision.blocked:
        raise Blocked(decision.reasons)
    if on_hold is not None:
        yield Call(on_hold, (decision,))
    outcome = yield from wait_flow(s, decision, deadline, on_holding_message)
    if isinstance(outcome, TimedOut):
        raise outcome
    if isinstance(outcome, DoNotDeliver):
        raise Rejected(outcome.customer_message, outcome.reason, outcome.task_id, outcome.verdict)
    if isinstance(outcome, Expired):
        if outcome.fallback == "handoff":
            raise HandedOff(outcome.task_id, outcome.customer_message)
        if not outcome.deliver:
            raise TimedOut(outcome.task_id, outcome.customer_message, outcome.fallback)
        if decision.on_deadline != "fail_open":
            raise ProtocolError(f"task {outcome.task_id}: expired as fail_open, but the decision "
                                f"declared on_deadline={decision.on_deadline!r}; not running it")
        deliver = Deliver(action=proposed_action, text=proposal.get("text"), edited=False,
                          receipt=None, task_id=outcome.task_id, fail_open=True)
        return (yield Call(run, (deliver,)))
    if isinstance(proposed_action, dict) and outcome.action is None:
        # A person answered the customer themselves: deliver their words, not the action.
        raise Rejected(outcome.text, "a person answered without the action", outcome.task_id)
    if verify and outcome.action is not None:
        if outcome.receipt is None:
            raise ReceiptError("missing", f"task {outcome.task_id}: approved action without a receipt")
        yield from verify_flow(s, outcome.receipt, outcome.action, outcome.task_id)
    return (yield Call(run, (outcome,)))


def _next_step(flow: Flow, value: Any, error: Optional[BaseException]):
    """(step, False), or (the flow's result, True) when it has finished."""
    try:
        return (flow.throw(error) if error is not None else flow.send(value)), False
    except StopIteration as stop:
        return stop.value, True


def _call_sync(step: Call) -> Any:
    value = step.fn(*step.args)
    if inspect.isawaitable(value):
        if hasattr(value, "close"):
            value.close()  # never awaited: silence "coroutine was never awaited"
        raise TypeError(f"{getattr(step.fn, '__name__', step.fn)} is async: "
                        "use AsyncClient for coroutine functions")
    return value


def drive_sync(flow: Flow, send: Callable[[Request], Response]) -> Any:
    value: Any = None
    error: Optional[BaseException] = None
    while True:
        step, finished = _next_step(flow, value, error)
        if finished:
            return step
        value, error = None, None
        try:
            if isinstance(step, Send):
                value = send(step.request)
            elif isinstance(step, Sleep):
                time.sleep(step.seconds)
            else:
                value = _call_sync(step)
        except Exception as e:  # handed to the flow, which retries or lets it through
            error = e


async def drive_async(flow: Flow, send: Callable[[Request], Any]) -> Any:
    value: Any = None
    error: Optional[BaseException] = None
    while True:
        step, finished = _next_step(flow, value, error)
        if finished:
            return step
        value, error = None, None
        try:
            if isinstance(step, Send):
                value = await send(step.request)
            elif isinstance(step, Sleep):
                await asyncio.sleep(step.seconds)
            else:
                value = step.fn(*step.args)
                if inspect.isawaitable(value):
                    value = await value
        except Exception as e:
            error = e
