"""Fault injection between the client and the real gateway: an HTTP/1.1 proxy that forwards each
request to the gateway unless told otherwise for the next requests (`plan`), and records what it
saw. Answers come from the real gateway; the proxy only drops, replaces with an error status, or
rewrites them, as a flaky network or a man in the middle would."""
from __future__ import annotations

import json
import socket
import socketserver
import threading
from dataclasses import dataclass
from typing import Callable, List, Optional, Tuple, Union

FORWARD = "forward"
DROP = "drop"  # close the connection without forwarding
DROP_AFTER_FORWARD = "drop_after_forward"  # the gateway acted on it; the answer is lost


@dataclass
class Status:
    code: int  # answer this status without forwarding
    headers: Tuple[Tuple[str, str], ...] = ()


@dataclass
class Rewrite:
    fn: Callable[[bytes], bytes]  # forward, then change the answer's body


Action = Union[str, Status, Rewrite]


@dataclass
class Seen:
    method: str
    path: str
    body: bytes

    def json(self):
        return json.loads(self.body)


def _read_message(stream) -> Optional[Tuple[bytes, bytes]]:
    head = b""
    while not head.endswith(b"\r\n\r\n"):
        line = stream.readline()
        if not line:
            return None
        head += line
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    return head, stream.read(length) if length else b""


def _with_body(head: bytes, body: bytes) -> bytes:
    lines = [l for l in head.split(b"\r\n")[:-2] if not l.lower().startswith(b"content-length:")]
    return b"\r\n".join(lines + [b"Content-Length: " + str(len(body)).encode(), b"", b""]) + body


class FaultProxy:
    def __init__(self, upstream: str):
        host, port = upstream.replace("http://", "").split(":")
        self.upstream = (host, int(port))
        self.plan: List[Action] = []
        self.seen: List[Seen] = []
        self._lock = threading.Lock()
        proxy = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                while proxy._serve_one(self.rfile, self.wfile):
                    pass

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def reset(self, *plan: Action) -> None:
        with self._lock:
            self.plan = list(plan)
            self.seen = []

    def _next_action(self, seen: Seen) -> Action:
        with self._lock:
            self.seen.append(seen)
            return self.plan.pop(0) if self.plan else FORWARD

    def _forward(self, head: bytes, body: bytes) -> Tuple[bytes, bytes]:
        with socket.create_connection(self.upstream, timeout=70) as upstream:
            upstream.sendall(head + body)
            answer = _read_message(upstream.makefile("rb"))
        if answer is None:
            raise ConnectionError("the gateway closed without answering")
        return answer

    def _serve_one(self, rfile, wfile) -> bool:
        request = _read_message(rfile)
        if request is None:
            return False
        head, body = request
        method, path = head.split(b" ")[:2]
        action = self._next_action(Seen(method.decode(), path.decode(), body))
        if action == DROP:
            return False
        if isinstance(action, Status):
            payload = json.dumps({"error": {"code": "unavailable", "message": "injected"}}).encode()
            extra = b"".join(f"{k}: {v}\r\n".encode() for k, v in action.headers)
            wfile.write(f"HTTP/1.1 {action.code} Injected\r\nContent-Type: application/json\r\n"
                        .encode() + extra + b"Content-Length: " + str(len(payload)).encode() +
                        b"\r\n\r\n" + payload)
            wfile.flush()
            return True
        answer_head, answer_body = self._forward(head, body)
        if action == DROP_AFTER_FORWARD:
            return False
        if isinstance(action, Rewrite):
            answer_body = action.fn(answer_body)
        wfile.write(_with_body(answer_head, answer_body))
        wfile.flush()
        return True

    def requests(self, method: Optional[str] = None) -> List[Seen]:
        with self._lock:
            return [s for s in self.seen if method is None or s.method == method]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
