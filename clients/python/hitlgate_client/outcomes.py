"""Typed values for the gateway's answers: the decision on an event and the outcome of a task.

`outcome_from_task_view` turns the agent's view of a task (`GET /v1/tasks/{id}`, also the body of
a `task.answered` webhook) into one of `Deliver`, `DoNotDeliver` or `Expired`, or None while the
task is still pending. `TimedOut` is both the outcome `wait_for_verdict` returns when the
caller's own deadline passes and the exception `gate` raises then, so one name covers both;
`HandedOff`, a `TimedOut`, is what `gate` raises when a deadline gave the conversation to a person.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional, Union

from .errors import GateRefused, ProtocolError

HELD = ("hold", "handoff")
ALLOWED = ("allow", "allow_monitored")
DECISIONS = ALLOWED + HELD + ("block",)
FALLBACKS = ("fail_closed", "fail_open", "handoff")


@dataclass(frozen=True)
class Decision:
    """The gateway's answer to one event."""

    decision: str
    event_id: str
    task_id: Optional[str]
    reasons: list
    replayed: bool
    # Deadline contract (voice and chat): present on hold/handoff when the event had deadline_ms.
    deadline_at: Optional[str]
    on_deadline: Optional[str]
    wait_message: Optional[str]
    raw: dict = field(repr=False)

    @property
    def held(self) -> bool:
        return self.decision in HELD

    @property
    def allowed(self) -> bool:
        return self.decision in ALLOWED

    @property
    def blocked(self) -> bool:
        return self.decision == "block"


@dataclass(frozen=True)
class Deliver:
    """Send `text` and run `action` (both as the reviewer left them; `edited` when changed).

    `receipt` is the gateway's signed approval of `action` (None for allowed events and for a
    deadline's fail_open, which nobody approved: then `fail_open` is True). `text_outdated`: a
    reviewer changed the action but not the text, so `text` still names what the AI proposed
    (the old amount, say); write the reply for `action` again instead of sending `text`.
    """

    action: Optional[dict]
    text: Optional[str]
    edited: bool
    receipt: Optional[dict]
    task_id: Optional[str] = None
    fail_open: bool = False
    text_outdated: bool = False


@dataclass(frozen=True)
class DoNotDeliver:
    """Do not send or run the proposal; say `customer_message` instead when there is one."""

    customer_message: Optional[str]
    reason: Optional[str]
    task_id: str
    taken_over_by: Optional[str] = None
    verdict: Optional[dict] = None


@dataclass(frozen=True)
class Expired:
    """The event's `deadline_ms` passed with no verdict and the gateway settled the task with the
    policy's fallback: `fail_open` delivers the original proposal (no receipt), `fail_closed`
    and `handoff` do not."""

    task_id: str
    deliver: bool
    fallback: str
    customer_message: Optional[str]
    action: Optional[dict]
    text: Optional[str]


class TimedOut(GateRefused):
    """No verdict within the caller's deadline (the task may still be pending: resume it with
    `wait_for_verdict(task_id)`), or the gateway's deadline settled it without delivering
    (`fallback` is then `fail_closed` or `handoff`)."""

    def __init__(self, task_id: str, customer_message: Optional[str] = None,
                 fallback: Optional[str] = None):
        super().__init__(f"task {task_id}: {self._what(fallback)}")
        self.task_id = task_id
        self.customer_message = customer_message
        self.fallback = fallback

    @staticmethod
    def _what(fallback: Optional[str]) -> str:
        return f"settled by its deadline ({fallback})" if fallback else "no verdict in time"

    def __eq__(self, other: Any) -> bool:
        return (type(other) is type(self) and
                (self.task_id, self.customer_message, self.fallback) ==
                (other.task_id, other.customer_message, other.fallback))

    __hash__ = GateRefused.__hash__

    def __repr__(self) -> str:
        return (f"{type(self).__name__}(task_id={self.task_id!r}, "
                f"customer_message={self.customer_message!r}, fallback={self.fallback!r})")


class HandedOff(TimedOut):
    """The event's deadline passed and the policy's `handoff` fallback gave the conversation to a
    person: say `customer_message`; to hear what the person decides, wait on
    `wait_for_verdict(task_id, through_handoff=True)`."""

    def __init__(self, task_id: str, customer_message: Optional[str] = None):
        super().__init__(task_id, customer_message, "handoff")

    @staticmethod
    def _what(fallback: Optional[str]) -> str:
        return "the deadline passed and a person took over the conversation"


Outcome = Union[Deliver, DoNotDeliver, Expired, TimedOut]


def _opt_str(obj: dict, key: str) -> Optional[str]:
    value = obj.get(key)
    return value if isinstance(value, str) else None


def decision_from_answer(answer: Any, event_id: str, replayed: bool) -> Decision:
    if not isinstance(answer, dict) or answer.get("decision") not in DECISIONS:
        raise ProtocolError(f"unexpected answer to an event: {str(answer)[:200]}")
    task_id = _opt_str(answer, "task_id")
    if answer["decision"] in HELD and task_id is None:
        raise ProtocolError(f"a {answer['decision']} without task_id: {str(answer)[:200]}")
    reasons = answer.get("reasons")
    return Decision(
        decision=answer["decision"], event_id=event_id, task_id=task_id,
        reasons=reasons if isinstance(reasons, list) else [], replayed=replayed,
        deadline_at=_opt_str(answer, "deadline_at"), on_deadline=_opt_str(answer, "on_deadline"),
        wait_message=_opt_str(answer, "wait_message"), raw=answer)


def outcome_from_task_view(view: Any) -> Union[Deliver, DoNotDeliver, Expired, None]:
    """The outcome of a settled task, or None while it is pending."""
    if not isinstance(view, dict) or not isinstance(view.get("task_id"), str):
        raise ProtocolError(f"unexpected task view: {str(view)[:200]}")
    task_id = view["task_id"]
    status = view.get("status")
    if status == "pending":
        return None
    final = view.get("final")
    if status not in ("answered", "cancelled", "expired") or not isinstance(final, dict):
        raise ProtocolError(f"task {task_id}: unexpected status {status!r} or no final")
    action = final.get("action") if isinstance(final.get("action"), dict) else None
    if status == "expired":
        fallback = final.get("fallback")
        if fallback not in FALLBACKS:
            raise ProtocolError(f"task {task_id}: expired with unknown fallback {fallback!r}")
        # Only fail_open lets anything out; an answer that says otherwise is not trusted.
        deliver = final.get("deliver") is True and fallback == "fail_open"
        return Expired(task_id=task_id, deliver=deliver, fallback=fallback,
                       customer_message=_opt_str(final, "customer_message"), action=action,
                       text=_opt_str(final, "text"))
    verdict = view.get("verdict") if isinstance(view.get("verdict"), dict) else None
    if final.get("deliver") is True:
        return Deliver(action=action, text=_opt_str(final, "text"),
                       edited=bool(verdict and verdict.get("kind") == "edited"),
                       receipt=view.get("receipt") if isinstance(view.get("receipt"), dict) else None,
                       task_id=task_id, text_outdated=final.get("text_outdated") is True)
    reason = (verdict and (_opt_str(verdict, "reason") or _opt_str(verdict, "kind"))) or status
    return DoNotDeliver(customer_message=_opt_str(final, "customer_message"), reason=reason,
                        task_id=task_id, taken_over_by=_opt_str(final, "taken_over_by"),
                        verdict=verdict)


def holding_text(view: dict) -> Optional[str]:
    notice = view.get("holding_message")
    return _opt_str(notice, "text") if isinstance(notice, dict) else None
