"""The wire, without I/O: requests and responses as values, event preparation, error decoding.

The client's logic (retries, long-polls, gating) lives in `flows` as generators that yield the
steps below; `Client` and `AsyncClient` only differ in how they carry a step out (blocking
http.client vs asyncio streams), so the two cannot drift apart.
"""
from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Optional, Tuple
from urllib.parse import quote

from .errors import AlreadyExists, ApiError, ProtocolError, describe
from .retry import parse_retry_after

MAX_DEADLINE_MS = 3_600_000


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: Optional[bytes]
    timeout: float


@dataclass(frozen=True)
class Response:
    status: int
    headers: Mapping[str, str]  # names lower-cased
    body: bytes


# Steps a flow yields to its driver.
@dataclass(frozen=True)
class Send:
    request: Request  # the driver answers with a Response or throws NetworkError


@dataclass(frozen=True)
class Sleep:
    seconds: float


@dataclass(frozen=True)
class Call:
    fn: Callable[..., Any]  # caller's code (the tool, hooks); async drivers await what it returns
    args: Tuple[Any, ...]


def new_event_id() -> str:
    return "ev-" + secrets.token_hex(16)


def prepare_event(event: Any) -> Tuple[dict, bytes]:
    """A copy of the event with an event_id, and its body. The same bytes go out on every retry,
    so the gateway sees one event whatever happens to the connection."""
    if not isinstance(event, dict):
        raise TypeError(f"an event is a dict (docs/schema/event.schema.json), got {describe(event)}")
    event = dict(event)
    event_id = event.get("event_id")
    if event_id is None:
        event["event_id"] = new_event_id()
    elif not isinstance(event_id, str) or not event_id:
        raise ValueError(f"event_id must be a non-empty string, got {event_id!r}")
    if "deadline_ms" in event:
        ms = event["deadline_ms"]
        if not isinstance(ms, int) or isinstance(ms, bool) or not 1 <= ms <= MAX_DEADLINE_MS:
            raise ValueError(f"deadline_ms must be an integer from 1 to {MAX_DEADLINE_MS}, got {ms!r}")
    try:
        body = json.dumps(event, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as e:
        raise TypeError(f"the event is not JSON: {e}") from None
    return event, body.encode("utf-8")


def task_path(task_id: Any, wait_ms: int) -> str:
    if not isinstance(task_id, str) or not task_id:
        raise TypeError(f"a task is a Decision or a task id string, got {task_id!r}")
    return f"/v1/tasks/{quote(task_id, safe='')}?wait={wait_ms}ms"


def decode_json(response: Response) -> Any:
    try:
        return json.loads(response.body)
    except ValueError:
        raise ProtocolError(
            f"status {response.status} with a body that is not JSON: {response.body[:200]!r}") from None


def error_from(response: Response) -> ApiError:
    """The typed error of a non-2xx answer."""
    code, message = "unknown", response.body[:200].decode("utf-8", "replace")
    try:
        body = json.loads(response.body)
        if isinstance(body, dict) and isinstance(body.get("error"), dict):
            code = str(body["error"].get("code", code))
            message = str(body["error"].get("message", message))
    except ValueError:
        pass
    retry_after = parse_retry_after(response.headers.get("retry-after"))
    kind = AlreadyExists if response.status == 409 and code == "already_exists" else ApiError
    return kind(response.status, code, message, retry_after=retry_after)


def retryable(response: Response) -> bool:
    return response.status == 429 or response.status >= 500
