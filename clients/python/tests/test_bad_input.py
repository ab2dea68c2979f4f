"""Bad input gets a clear error and sends nothing."""
import asyncio
import json

import pytest
from conftest import FAST
from fault_proxy import Rewrite
from helpers import allowed_event, held_refund

from hitlgate_client import AsyncClient, Client, ProtocolError, Retry, gate


@pytest.mark.parametrize("base_url, message", [
    (None, "base_url is required"), ("", "base_url is required"),
    ("localhost:8080", "http://host"), ("ftp://x", "http://host"),
    ("http://h:99999", "bad port"), ("http://h/?q=1", "no query")])
def test_base_url_is_checked(base_url, message):
    with pytest.raises(ValueError, match=message):
        Client(base_url, "hg_x_y")
    with pytest.raises(ValueError, match=message):
        AsyncClient(base_url, "hg_x_y")


def test_api_key_timeout_and_retry_are_checked():
    with pytest.raises(ValueError, match="api_key is required"):
        Client("http://localhost:8080", "")
    with pytest.raises(ValueError, match="timeout"):
        Client("http://localhost:8080", "hg_x_y", timeout=0)
    with pytest.raises(TypeError, match="Retry"):
        Client("http://localhost:8080", "hg_x_y", retry=3)
    with pytest.raises(ValueError, match="attempts"):
        Retry(attempts=0)


@pytest.mark.parametrize("event, error, message", [
    ([{"type": "ai_proposal"}], TypeError, "an event is a dict"),
    ("{}", TypeError, "an event is a dict"),
    ({"event_id": 7}, ValueError, "event_id must be a non-empty string"),
    ({"deadline_ms": 0}, ValueError, "deadline_ms must be an integer from 1 to 3600000"),
    ({"deadline_ms": 1.5}, ValueError, "deadline_ms"),
    ({"at": object()}, TypeError, "not JSON"),
    ({"confidence": float("nan")}, TypeError, "not JSON"),
])
def test_bad_events_are_refused_before_sending(proxy, agent_key, event, error, message):
    with pytest.raises(error, match=message):
        Client(proxy.url, agent_key).submit(event)
    with pytest.raises(error, match=message):
        asyncio.run(AsyncClient(proxy.url, agent_key).submit(event))
    assert proxy.requests() == []


def test_unknown_decision_in_the_answer_is_a_protocol_error(proxy, agent_key):
    def unknown_decision(body):
        return json.dumps(dict(json.loads(body), decision="maybe")).encode()
    proxy.reset(Rewrite(unknown_decision))
    with pytest.raises(ProtocolError, match="unexpected answer"):
        Client(proxy.url, agent_key, retry=FAST).submit(allowed_event())


def test_unknown_task_status_is_a_protocol_error(proxy, agent_key, reviewer):
    client = Client(proxy.url, agent_key, retry=FAST)
    decision = client.submit(held_refund())
    reviewer.verdict(decision.task_id, "approved")
    proxy.reset(Rewrite(lambda body: json.dumps(dict(json.loads(body), status="paused",
                                                     final={"deliver": True})).encode()))
    with pytest.raises(ProtocolError, match="unexpected status 'paused'"):
        client.wait_for_verdict(decision, deadline=5)


def test_wait_and_gate_arguments_are_checked(gateway, agent_key):
    client = Client(gateway.url, agent_key)
    with pytest.raises(TypeError, match="task id"):
        client.wait_for_verdict(42)
    with pytest.raises(ValueError, match="deadline"):
        client.wait_for_verdict("t-1", deadline=-1)
    with pytest.raises(ValueError, match="handoff_poll is seconds"):
        client.wait_for_verdict("t-1", through_handoff=True, handoff_poll="1s")
    with pytest.raises(TypeError, match="proposal is an event dict"):
        client.gate(["refund"], print)
    with pytest.raises(TypeError, match="run must be callable"):
        client.gate(allowed_event(), None)


def test_decorator_arguments_are_checked(gateway, agent_key):
    client = Client(gateway.url, agent_key)
    with pytest.raises(TypeError, match="Client or AsyncClient"):
        gate("http://localhost:8080", event={})
    with pytest.raises(TypeError, match="event must be a dict"):
        gate(client, event="retail-bot")
    with pytest.raises(TypeError, match="use an AsyncClient"):
        @gate(client, event={})
        async def tool(x):
            pass
    with pytest.raises(TypeError, match="on_deliver must be callable"):
        gate(client, event={}, on_deliver="say it")
    with pytest.raises(TypeError, match="on_deliver is async; use an AsyncClient"):
        async def say(deliver):
            pass
        gate(client, event={}, on_deliver=say)
    with pytest.raises(TypeError, match="cannot be named"):
        @gate(client, event={})
        def tool2(*args):
            pass

    @gate(client, event=lambda args: ["not", "a", "dict"])
    def tool3(x):
        pass
    with pytest.raises(TypeError, match="event must give a dict"):
        tool3(1)

    @gate(client, event={"workflow": "retail-bot", "action": {"name": "x"}})
    def tool4(x):
        pass
    with pytest.raises(ValueError, match="must not set 'action'"):
        tool4(1)

    @gate(client, event={"workflow": "retail-bot"})
    def tool5(when):
        pass
    with pytest.raises(TypeError, match="JSON values"):
        tool5(object())


def test_sync_client_refuses_an_async_run(gateway, agent_key):
    async def run(deliver):
        pass
    with pytest.raises(TypeError, match="use AsyncClient"):
        Client(gateway.url, agent_key).gate(allowed_event(), run)
