"""Blocking HTTP/1.1 with http.client and a small pool of kept-alive connections.

Thread-safe: each request takes a connection out of the pool (or opens one) and puts it back
when the answer was read completely.
"""
from __future__ import annotations

import http.client
import threading
from typing import List, Optional

from .endpoint import Endpoint
from .errors import NetworkError
from .protocol import Request, Response

MAX_IDLE = 8
_NETWORK = (OSError, http.client.HTTPException)
_STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


def _network_error(request: Request, e: BaseException) -> NetworkError:
    return NetworkError(f"{request.method} {request.path}: {type(e).__name__}: {e}")


class SyncTransport:
    def __init__(self, endpoint: Endpoint):
        self._endpoint = endpoint
        self._idle: List[http.client.HTTPConnection] = []
        self._lock = threading.Lock()

    def _open(self, timeout: float) -> http.client.HTTPConnection:
        e = self._endpoint
        if e.scheme == "https":
            return http.client.HTTPSConnection(e.host, e.port, timeout=timeout, context=e.ssl_context)
        return http.client.HTTPConnection(e.host, e.port, timeout=timeout)

    def _take_idle(self, timeout: float) -> Optional[http.client.HTTPConnection]:
        with self._lock:
            conn = self._idle.pop() if self._idle else None
        if conn is not None:
            conn.timeout = timeout
            if conn.sock is not None:
                conn.sock.settimeout(timeout)
        return conn

    def _put_back(self, conn: http.client.HTTPConnection) -> None:
        with self._lock:
            if len(self._idle) < MAX_IDLE:
                self._idle.append(conn)
                return
        conn.close()

    def send(self, request: Request) -> Response:
        pooled = self._take_idle(request.timeout)
        if pooled is not None:
            try:
                return self._attempt(pooled, request)
            except _STALE:
                pass  # closed by the gateway while idle in the pool: once more on a fresh one
            except _NETWORK as e:
                raise _network_error(request, e) from e
        try:
            return self._attempt(self._open(request.timeout), request)
        except _NETWORK as e:
            raise _network_error(request, e) from e

    def _attempt(self, conn: http.client.HTTPConnection, request: Request) -> Response:
        try:
            return self._exchange(conn, request)
        except BaseException:
            conn.close()
            raise

    def _exchange(self, conn: http.client.HTTPConnection, request: Request) -> Response:
        headers = self._endpoint.headers(request.body)
        headers.pop("Host")  # http.client writes its own
        conn.request(request.method, self._endpoint.prefix + request.path, request.body, headers)
        answer = conn.getresponse()
        body = answer.read()
        response = Response(answer.status, {k.lower(): v for k, v in answer.getheaders()}, body)
        if answer.will_close:
            conn.close()
        else:
            self._put_back(conn)
        return response

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()
