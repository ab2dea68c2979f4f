"""`@gate(client, event=...)`: put a tool function behind hitlgate.

The call's arguments become the proposed action: `amount` and `currency` go to the action's own
fields (so the policy's money limits see them), every other argument to `action.params`. When a
person edits the action, the function runs with the edited values; when they reject it, or the
policy blocks it, the function does not run and `Rejected`/`Blocked`/`TimedOut` is raised.
`on_deliver` hears what the function runs with, to say the right reply (`Deliver.text`, or a new
one when `Deliver.text_outdated`).
"""
from __future__ import annotations

import functools
import inspect
import json
from typing import Any, Callable, Dict, Optional, Union

from .client import AsyncClient, Client
from .errors import HitlgateError
from .outcomes import Deliver

TOP_LEVEL = ("amount", "currency")


class ActionMismatch(HitlgateError):
    """The approved action does not fit the tool (another action name, or arguments the function
    does not take); the tool did not run."""


def _check_signature(fn: Callable, sig: inspect.Signature) -> None:
    for p in sig.parameters.values():
        if p.kind in (p.VAR_POSITIONAL, p.POSITIONAL_ONLY):
            raise TypeError(f"@gate: {fn.__name__}'s parameter {p.name!r} cannot be named in an "
                            "action; use named parameters (and **kwargs if needed)")


def call_arguments(sig: inspect.Signature, args: tuple, kwargs: dict) -> Dict[str, Any]:
    """The call's arguments by name, defaults included, **kwargs flattened."""
    bound = sig.bind(*args, **kwargs)
    bound.apply_defaults()
    flat: Dict[str, Any] = {}
    for key, value in bound.arguments.items():
        if sig.parameters[key].kind == inspect.Parameter.VAR_KEYWORD:
            flat.update(value)
        else:
            flat[key] = value
    return flat


def action_from_arguments(name: str, arguments: Dict[str, Any]) -> dict:
    params = dict(arguments)
    action: Dict[str, Any] = {"name": name}
    for key in TOP_LEVEL:
        value = params.pop(key, None)
        if value is not None:
            action[key] = value
    if params:
        action["params"] = params
    try:
        json.dumps(action, allow_nan=False)
    except (TypeError, ValueError) as e:
        raise TypeError(f"@gate {name}: arguments must be JSON values to be reviewed ({e})") from None
    return action


def call_args_from_action(name: str, sig: inspect.Signature, action: Any) -> dict:
    if not isinstance(action, dict) or action.get("name") != name:
        got = action.get("name") if isinstance(action, dict) else action
        raise ActionMismatch(f"the approved action is {got!r}, this tool runs {name!r}")
    params = action.get("params") or {}
    if not isinstance(params, dict):
        raise ActionMismatch(f"action {name}: params is not an object")
    kwargs = dict(params)
    for key in TOP_LEVEL:
        if key in action:
            kwargs[key] = action[key]
    try:
        sig.bind(**kwargs)
    except TypeError as e:
        raise ActionMismatch(f"the approved {name} does not fit the tool's arguments: {e}") from None
    return kwargs


def gate(client: Union[Client, AsyncClient], *, event: Union[dict, Callable[[dict], dict]],
         action: Optional[str] = None, deadline: Optional[float] = None, verify_receipt: bool = True,
         on_hold: Optional[Callable] = None, on_holding_message: Optional[Callable] = None,
         on_deliver: Optional[Callable[[Deliver], Any]] = None):
    """Decorator. `event`: the proposal's other fields (interaction_id, workflow, customer_id,
    text, intent, confidence, ...) as a dict, or a function of the call's arguments (a dict)
    returning them. `action`: the action's name (default: the function's name). `on_deliver`:
    called with the `Deliver` just before the function runs (the text to say, `text_outdated`
    when a reviewer changed only the action, `fail_open`). The rest as in `Client.gate`. With an
    AsyncClient the decorated function is a coroutine function (and `on_deliver` may be one)."""
    if not isinstance(client, (Client, AsyncClient)):
        raise TypeError(f"@gate needs a Client or AsyncClient first, got {type(client).__name__}")
    if not (isinstance(event, dict) or callable(event)):
        raise TypeError("@gate: event must be a dict of the event's fields (interaction_id, "
                        "workflow, ...) or a function of the arguments returning one")
    if action is not None and (not isinstance(action, str) or not action):
        raise ValueError(f"@gate: action must be a non-empty name, got {action!r}")
    if on_deliver is not None and not callable(on_deliver):
        raise TypeError(f"@gate: on_deliver must be callable, got {type(on_deliver).__name__}")
    if isinstance(client, Client) and inspect.iscoroutinefunction(on_deliver):
        raise TypeError("@gate: on_deliver is async; use an AsyncClient")
    options = dict(deadline=deadline, verify_receipt=verify_receipt, on_hold=on_hold,
                   on_holding_message=on_holding_message)

    def decorate(fn: Callable) -> Callable:
        if not callable(fn):
            raise TypeError(f"@gate decorates a function, got {type(fn).__name__}")
        name = action or fn.__name__
        sig = inspect.signature(fn)
        _check_signature(fn, sig)
        if isinstance(client, Client) and inspect.iscoroutinefunction(fn):
            raise TypeError(f"@gate: {fn.__name__} is async; use an AsyncClient")

        def proposal(proposed: dict, base: Any) -> dict:
            if not isinstance(base, dict):
                raise TypeError(f"@gate {name}: event must give a dict, got {type(base).__name__}")
            if "action" in base:
                raise ValueError(f"@gate {name}: event must not set 'action'; the call's arguments are the action")
            return {"type": "ai_proposal", **base, "action": proposed}

        def run_with(deliver: Deliver):
            kwargs = call_args_from_action(name, sig, deliver.action)
            if on_deliver is not None:
                on_deliver(deliver)
            return fn(**kwargs)

        async def run_with_async(deliver: Deliver):
            kwargs = call_args_from_action(name, sig, deliver.action)
            if on_deliver is not None:
                heard = on_deliver(deliver)
                if inspect.isawaitable(heard):
                    await heard
            result = fn(**kwargs)
            return (await result) if inspect.isawaitable(result) else result

        if isinstance(client, AsyncClient):
            @functools.wraps(fn)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                arguments = call_arguments(sig, args, kwargs)
                proposed = action_from_arguments(name, arguments)
                base = event(arguments) if callable(event) else event
                if inspect.isawaitable(base):
                    base = await base
                return await client.gate(proposal(proposed, base), run_with_async, **options)

            async_wrapper.hitlgate_action = name
            return async_wrapper

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            arguments = call_arguments(sig, args, kwargs)
            proposed = action_from_arguments(name, arguments)
            base = event(arguments) if callable(event) else event
            return client.gate(proposal(proposed, base), run_with, **options)

        wrapper.hitlgate_action = name
        return wrapper

    return decorate
