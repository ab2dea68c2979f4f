"""verify_webhook() on deliveries made by the real gateway."""
import hashlib
import hmac
import http.server
import queue
import threading

import pytest
from helpers import held_refund

from hitlgate_client import (Client, Deliver, ProtocolError, WebhookSignatureError,
                             outcome_from_task_view, verify_webhook)

SECRET = "whsec-python-client-tests-0123456789"


@pytest.fixture(scope="module")
def delivery(gateway, agent_key, reviewer):
    """One task.answered delivery (headers, raw body) for a held billing-bot refund."""
    received = queue.Queue()

    class Receiver(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.put((dict(self.headers.items()), body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    gateway.call("PUT", "/v1/webhooks/billing-bot",
                 {"url": f"http://127.0.0.1:{server.server_address[1]}/hook", "secret": SECRET})
    decision = Client(gateway.url, agent_key).submit(held_refund(workflow="billing-bot"))
    reviewer.verdict(decision.task_id, "approved")
    try:
        headers, body = received.get(timeout=15)
    finally:
        server.shutdown()
        server.server_close()
    return decision, headers, body


def test_good_signature_gives_the_task_view(delivery):
    decision, headers, body = delivery
    view = verify_webhook(headers, body, SECRET)
    assert view["task_id"] == decision.task_id
    assert isinstance(outcome_from_task_view(view), Deliver)


def test_header_names_are_case_insensitive(delivery):
    _, headers, body = delivery
    assert verify_webhook([(k.lower(), v) for k, v in headers.items()], body, SECRET)


@pytest.mark.parametrize("change", ["body", "secret", "timestamp", "signature"])
def test_bad_signature_is_refused(delivery, change):
    _, headers, body = delivery
    headers, secret = dict(headers), SECRET
    if change == "body":
        body = body.replace(b'"approved"', b'"rejected"', 1)
    elif change == "secret":
        secret = SECRET + "x"
    elif change == "timestamp":
        headers["X-Hitlgate-Timestamp"] = str(int(headers["X-Hitlgate-Timestamp"]) - 1)
    else:
        signature = headers["X-Hitlgate-Signature"]
        headers["X-Hitlgate-Signature"] = signature[:-1] + ("1" if signature[-1] == "0" else "0")
    with pytest.raises(WebhookSignatureError, match="mismatch"):
        verify_webhook(headers, body, secret)


def test_stale_delivery_is_refused(delivery):
    _, headers, body = delivery
    sent = int(headers["X-Hitlgate-Timestamp"])
    assert verify_webhook(headers, body, SECRET, now=sent + 299)
    with pytest.raises(WebhookSignatureError, match="tolerance"):
        verify_webhook(headers, body, SECRET, now=sent + 301)
    with pytest.raises(WebhookSignatureError, match="tolerance"):
        verify_webhook(headers, body, SECRET, tolerance_seconds=10, now=sent - 11)


def test_missing_headers_and_bad_arguments_are_named():
    with pytest.raises(WebhookSignatureError, match="missing"):
        verify_webhook({}, b"{}", SECRET)
    with pytest.raises(WebhookSignatureError, match="unix seconds"):
        verify_webhook({"X-Hitlgate-Timestamp": "soon", "X-Hitlgate-Signature": "sha256=00"}, b"{}", SECRET)
    with pytest.raises(ValueError, match="secret"):
        verify_webhook({}, b"{}", "")
    with pytest.raises(TypeError, match="raw bytes"):
        verify_webhook({}, {"task_id": "t-1"}, SECRET)


def test_signed_body_that_is_not_json_is_a_protocol_error():
    stamp = "1700000000"
    signature = hmac.new(SECRET.encode(), f"{stamp}.not json".encode(), hashlib.sha256).hexdigest()
    with pytest.raises(ProtocolError):
        verify_webhook({"X-Hitlgate-Timestamp": stamp, "X-Hitlgate-Signature": f"sha256={signature}"},
                       b"not json", SECRET, now=1700000000)
