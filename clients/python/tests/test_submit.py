"""submit(): event ids, safe retries through faults, what is never retried."""
import time

import pytest
from conftest import FAST
from fault_proxy import DROP, DROP_AFTER_FORWARD, Status
from gateway_process import Gateway
from helpers import allowed_event, held_refund

from hitlgate_client import AlreadyExists, ApiError, Client, NetworkError, Retry


def test_allowed_event_is_decided_and_gets_an_event_id(gateway, agent_key):
    decision = Client(gateway.url, agent_key).submit(allowed_event())
    assert decision.decision == "allow" and decision.allowed and decision.task_id is None
    assert decision.event_id.startswith("ev-") and not decision.replayed


def test_callers_event_id_is_kept(gateway, agent_key):
    decision = Client(gateway.url, agent_key).submit(allowed_event(event_id="mine-1-" + str(time.time())))
    assert decision.event_id.startswith("mine-1-")


def test_the_callers_event_dict_is_not_changed(gateway, agent_key):
    event = allowed_event()
    Client(gateway.url, agent_key).submit(event)
    assert "event_id" not in event


def test_answer_lost_after_the_gateway_acted_is_retried_with_the_same_event_id(proxy, agent_key):
    proxy.reset(DROP_AFTER_FORWARD)
    decision = Client(proxy.url, agent_key, retry=FAST).submit(held_refund())
    posts = proxy.requests("POST")
    assert len(posts) == 2
    assert posts[0].body == posts[1].body  # same bytes, so the gateway sees one event
    assert posts[0].json()["event_id"] == decision.event_id
    # The gateway recorded the first copy; the retry gets that answer and its task back.
    assert decision.replayed and decision.decision == "hold" and decision.task_id


def test_5xx_and_dropped_connections_are_retried(proxy, agent_key):
    proxy.reset(Status(503), DROP, Status(502))
    decision = Client(proxy.url, agent_key, retry=FAST).submit(allowed_event())
    posts = proxy.requests("POST")
    assert len(posts) == 4 and len({p.body for p in posts}) == 1
    assert decision.decision == "allow" and not decision.replayed  # only the last one arrived


def test_retries_give_up_after_the_attempts_with_the_last_error(proxy, agent_key):
    proxy.reset(*[Status(503)] * 4)
    with pytest.raises(ApiError) as e:
        Client(proxy.url, agent_key, retry=FAST).submit(allowed_event())
    assert e.value.status == 503 and len(proxy.requests("POST")) == FAST.attempts


def test_changed_retry_is_a_typed_409_naming_the_fields(gateway, agent_key):
    client = Client(gateway.url, agent_key)
    first = client.submit(held_refund(amount=150))
    retry = held_refund(amount=20, event_id=first.event_id)
    retry["interaction_id"] = first.raw["interaction_id"]
    with pytest.raises(AlreadyExists) as e:
        client.submit(retry)
    assert e.value.status == 409 and e.value.code == "already_exists"
    assert "action.amount" in e.value.message


def test_409_is_not_retried(proxy, agent_key):
    client = Client(proxy.url, agent_key, retry=FAST)
    first = client.submit(allowed_event())
    proxy.reset()
    with pytest.raises(AlreadyExists):
        client.submit(allowed_event(event_id=first.event_id))
    assert len(proxy.requests("POST")) == 1


def test_other_4xx_are_not_retried(proxy, agent_key):
    client = Client(proxy.url, agent_key, retry=FAST)
    with pytest.raises(ApiError) as e:
        client.submit(allowed_event(confidance=0.9))
    assert e.value.status == 400 and "confidance" in e.value.message
    with pytest.raises(ApiError) as e:
        Client(proxy.url, "hg_000000000000_" + "0" * 64, retry=FAST).submit(allowed_event())
    assert e.value.status == 401
    assert len(proxy.requests("POST")) == 2


def test_unreachable_gateway_is_a_network_error_after_the_retries():
    started = time.monotonic()
    with pytest.raises(NetworkError):
        Client("http://127.0.0.1:9", "hg_x_y", retry=FAST, timeout=1).submit(allowed_event())
    assert time.monotonic() - started < 5


@pytest.fixture(scope="module")
def limited_gateway():
    g = Gateway(["--rate-limit", "agent=1/1"])
    yield g
    g.stop()


def test_429_waits_for_retry_after(limited_gateway):
    client = Client(limited_gateway.url, limited_gateway.new_key("agent", workflows=["retail-bot"]))
    client.submit(allowed_event())
    started = time.monotonic()
    decision = client.submit(allowed_event())  # over the limit: 429 Retry-After: 1
    assert decision.decision == "allow"
    assert time.monotonic() - started >= 0.9


def test_429_longer_than_the_caller_accepts_is_raised(limited_gateway):
    client = Client(limited_gateway.url, limited_gateway.new_key("agent", workflows=["retail-bot"]),
                    retry=Retry(max_retry_after=0.5))
    client.submit(allowed_event())
    with pytest.raises(ApiError) as e:
        client.submit(allowed_event())
    assert e.value.status == 429 and e.value.retry_after >= 1


def test_backoff_doubles_up_to_the_cap_with_jitter():
    low = Retry(base_delay=0.1, max_delay=1.0, random=lambda: 1.0)
    high = Retry(base_delay=0.1, max_delay=1.0, random=lambda: 0.0)
    assert [high.backoff(n) for n in (1, 2, 3, 4, 5, 6)] == pytest.approx([0.1, 0.2, 0.4, 0.8, 1.0, 1.0])
    assert [low.backoff(n) for n in (1, 2, 5)] == pytest.approx([0.05, 0.1, 0.5])
