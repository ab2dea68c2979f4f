"""`Client` (blocking) and `AsyncClient` (asyncio): one API over the flows in `flows`."""
from __future__ import annotations

import time
from typing import Any, Callable, Optional, Union

from .endpoint import make_endpoint
from .flows import (HANDOFF_POLL_SECONDS, Settings, drive_async, drive_sync, gate_flow, keys_flow,
                    submit_flow, verify_flow, wait_flow)
from .http_async import AsyncTransport
from .http_sync import SyncTransport
from .outcomes import Decision, Deliver, Outcome
from .retry import Retry

TaskRef = Union[Decision, str]


def _settings(timeout: Any, retry: Any, clock: Callable[[], float]) -> Settings:
    if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or timeout <= 0:
        raise ValueError(f"timeout is seconds per request (> 0), got {timeout!r}")
    if retry is None:
        retry = Retry()
    elif not isinstance(retry, Retry):
        raise TypeError(f"retry must be a hitlgate_client.Retry, got {type(retry).__name__}")
    return Settings(timeout=float(timeout), retry=retry, clock=clock)


class Client:
    """Blocking client; safe to share between threads.

    base_url: where the gateway listens (`http://localhost:8080`); api_key: an agent key.
    timeout: seconds per request (long-polls add their wait). retry: a `Retry`.
    """

    def __init__(self, base_url: str, api_key: str, *, timeout: float = 10.0,
                 retry: Optional[Retry] = None, ssl_context=None,
                 clock: Callable[[], float] = time.monotonic):
        self._settings = _settings(timeout, retry, clock)
        self._transport = SyncTransport(make_endpoint(base_url, api_key, ssl_context))

    def _run(self, flow):
        return drive_sync(flow, self._transport.send)

    def submit(self, event: dict) -> Decision:
        """Sends one event and returns the decision. Adds an `event_id` when missing and reuses it
        on every retry (network errors, 5xx, 429 after Retry-After); raises `AlreadyExists` when
        that id was recorded with another body and `ApiError` for any other 4xx, unretried."""
        return self._run(submit_flow(self._settings, event))

    def wait_for_verdict(self, task: TaskRef, deadline: Optional[float] = None, *,
                         on_holding_message: Optional[Callable[[str], Any]] = None,
                         through_handoff: bool = False,
                         handoff_poll: float = HANDOFF_POLL_SECONDS) -> Outcome:
        """Long-polls a held task until it settles: `Deliver`, `DoNotDeliver` or `Expired`; or
        `TimedOut` once `deadline` seconds have passed. Survives dropped connections and 5xx.
        `through_handoff`: when a deadline handed the task to a person, wait for that person's
        answer (asking every `handoff_poll` seconds) instead of returning the `Expired`."""
        return self._run(wait_flow(self._settings, task, deadline, on_holding_message,
                                   through_handoff, handoff_poll))

    def gate(self, proposal: dict, run: Callable[[Deliver], Any], *, deadline: Optional[float] = None,
             verify_receipt: bool = True, on_hold: Optional[Callable[[Decision], Any]] = None,
             on_holding_message: Optional[Callable[[str], Any]] = None) -> Any:
        """Submits `proposal` and calls `run(deliver)` when it may go ahead: at once when allowed,
        after a person approved it when held (`deliver.action`/`deliver.text` as approved or
        edited, the receipt checked first unless verify_receipt=False; `deliver.text_outdated`
        when only the action was edited). At the event's deadline it runs the original proposal
        only on a fail_open the hold announced (`deliver.fail_open`). Raises `Blocked`,
        `Rejected`, `TimedOut` or `HandedOff` (each with `customer_message`) and never calls
        `run` then."""
        return self._run(gate_flow(self._settings, proposal, run, deadline=deadline,
                                   verify=verify_receipt, on_hold=on_hold,
                                   on_holding_message=on_holding_message))

    def receipt_keys(self, refresh: bool = False) -> dict:
        """The gateway's receipt key list (`GET /v1/receipt-keys`), cached after the first call."""
        return self._run(keys_flow(self._settings, refresh))

    def verify_receipt(self, receipt: dict, action: dict, task_id: Optional[str] = None) -> dict:
        """Raises `ReceiptError` unless the receipt approves exactly `action` (and, with
        `task_id`, is that task's); fetches the key list once and again after a rotation."""
        return self._run(verify_flow(self._settings, receipt, action, task_id))

    def close(self) -> None:
        self._transport.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class AsyncClient:
    """The same API as `Client`, as coroutines, for one event loop. Tools and hooks passed to
    `gate` may be plain functions or coroutine functions."""

    def __init__(self, base_url: str, api_key: str, *, timeout: float = 10.0,
                 retry: Optional[Retry] = None, ssl_context=None,
                 clock: Callable[[], float] = time.monotonic):
        self._settings = _settings(timeout, retry, clock)
        self._transport = AsyncTransport(make_endpoint(base_url, api_key, ssl_context))

    async def _run(self, flow):
        return await drive_async(flow, self._transport.send)

    async def submit(self, event: dict) -> Decision:
        return await self._run(submit_flow(self._settings, event))

    async def wait_for_verdict(self, task: TaskRef, deadline: Optional[float] = None, *,
                               on_holding_message: Optional[Callable[[str], Any]] = None,
                               through_handoff: bool = False,
                               handoff_poll: float = HANDOFF_POLL_SECONDS) -> Outcome:
        return await self._run(wait_flow(self._settings, task, deadline, on_holding_message,
                                         through_handoff, handoff_poll))

    async def gate(self, proposal: dict, run: Callable[[Deliver], Any], *,
                   deadline: Optional[float] = None, verify_receipt: bool = True,
                   on_hold: Optional[Callable[[Decision], Any]] = None,
                   on_holding_message: Optional[Callable[[str], Any]] = None) -> Any:
        return await self._run(gate_flow(self._settings, proposal, run, deadline=deadline,
                                         verify=verify_receipt, on_hold=on_hold,
                                         on_holding_message=on_holding_message))

    async def receipt_keys(self, refresh: bool = False) -> dict:
        return await self._run(keys_flow(self._settings, refresh))

    async def verify_receipt(self, receipt: dict, action: dict, task_id: Optional[str] = None) -> dict:
        return await self._run(verify_flow(self._settings, receipt, action, task_id))

    async def close(self) -> None:
        await self._transport.close()

    async def __aenter__(self) -> "AsyncClient":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()
