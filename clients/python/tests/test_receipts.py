"""Receipt verification against receipts the real gateway signed."""
import copy
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import held_refund

from hitlgate_client import Client, ReceiptError, action_sha256, canonical_json, verify_receipt


@pytest.fixture(scope="module")
def approved(gateway, agent_key, reviewer):
    client = Client(gateway.url, agent_key)
    decision = client.submit(held_refund())
    reviewer.verdict(decision.task_id, "approved")
    outcome = client.wait_for_verdict(decision, deadline=10)
    return outcome, client.receipt_keys()


def test_genuine_receipt_verifies(approved):
    outcome, keys = approved
    assert verify_receipt(outcome.receipt, outcome.action, keys, task_id=outcome.task_id)


def test_key_order_and_number_spelling_do_not_matter(approved):
    outcome, keys = approved
    reordered = dict(reversed(list(outcome.action.items())))
    reordered["amount"] = float(reordered["amount"])
    assert verify_receipt(outcome.receipt, reordered, keys)


@pytest.mark.parametrize("field, value, reason", [
    ("reviewer", "k-000000000000", "bad_signature"),
    ("approved_at", "2030-01-01T00:00:00.000000Z", "bad_signature"),
    ("signature", "0" * 128, "bad_signature"),
    ("key_id", "rk-0000000000000000", "unknown_key"),
    ("format", "hitlgate.receipt.v2", "malformed"),
    ("action_sha256", "not hex", "malformed"),
])
def test_changed_receipt_is_refused(approved, field, value, reason):
    outcome, keys = approved
    receipt = dict(outcome.receipt, **{field: value})
    with pytest.raises(ReceiptError) as e:
        verify_receipt(receipt, outcome.action, keys)
    assert e.value.reason == reason


def test_receipt_of_another_action_or_task_is_refused(approved):
    outcome, keys = approved
    with pytest.raises(ReceiptError) as e:
        verify_receipt(outcome.receipt, dict(outcome.action, amount=151), keys)
    assert e.value.reason == "action_changed"
    with pytest.raises(ReceiptError) as e:
        verify_receipt(outcome.receipt, outcome.action, keys, task_id="t-someone-else")
    assert e.value.reason == "wrong_task"


def test_key_used_outside_its_period_is_refused(approved):
    outcome, keys = approved
    later = copy.deepcopy(keys)
    for key in later["keys"]:
        key["not_before"] = "2999-01-01T00:00:00Z"
    with pytest.raises(ReceiptError) as e:
        verify_receipt(outcome.receipt, outcome.action, later)
    assert e.value.reason == "key_not_valid"


def test_rotated_key_is_fetched_again(gateway, agent_key, reviewer):
    client = Client(gateway.url, agent_key)
    client.receipt_keys()  # cached before the rotation
    gateway.call("POST", "/v1/receipt-keys/rotate")
    decision = client.submit(held_refund())
    reviewer.verdict(decision.task_id, "approved")
    outcome = client.wait_for_verdict(decision, deadline=10)
    assert client.verify_receipt(outcome.receipt, outcome.action, decision.task_id)
    assert len(client.receipt_keys()["keys"]) >= 2


def test_canonical_json_follows_the_gateway():
    assert canonical_json({"b": 1, "a": [100.0, 1e2, 0.1, 1e21, 1e-7, -0.0, True, None]}) == \
        '{"a":[100,100,0.1,1e+21,1e-07,-0,true,null],"b":1}'
    assert canonical_json({"t": 'é"\\\n\u0001'}) == '{"t":"é\\"\\\\\\n\\u0001"}'
    assert action_sha256({"name": "refund"}) == action_sha256({"name": "refund"})


def test_without_cryptography_verification_says_what_to_install():
    # A fresh interpreter in which `cryptography` cannot be imported.
    program = (
        "import sys; sys.modules['cryptography'] = None\n"
        f"sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r})\n"
        "from hitlgate_client import Client, ReceiptVerificationUnavailable, verify_receipt\n"
        "try:\n"
        "    verify_receipt({}, {}, {'keys': []})\n"
        "except ReceiptVerificationUnavailable as e:\n"
        "    print('verify:', e)\n"
        "client = Client('http://127.0.0.1:9', 'hg_x_y')\n"
        "try:\n"
        "    client.gate({'action': {'name': 'refund'}}, print)\n"
        "except ReceiptVerificationUnavailable as e:\n"
        "    print('gate: refused before sending')\n"
    )
    out = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=30)
    assert "verify: verifying approval receipts needs the 'cryptography' package" in out.stdout, out.stderr
    assert "python3-cryptography" in out.stdout and "verify_receipt=False" in out.stdout
    assert "gate: refused before sending" in out.stdout
