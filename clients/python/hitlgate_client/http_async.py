"""HTTP/1.1 on asyncio streams, with a pool of kept-alive connections.

Why not asyncio.to_thread around http.client: an agent may wait on many held proposals at once,
each a long-poll of up to 25 s. In threads they would queue behind the default executor's few
workers (and block whatever else uses it), and a cancelled wait would leave its thread blocked
until the poll ends. On streams a wait costs a socket, and cancelling it closes that socket at once.

Only what the gateway's API needs: request bodies with Content-Length, answers with
Content-Length, chunked, or read-to-close bodies. One event loop per AsyncClient.
"""
from __future__ import annotations

import asyncio
from typing import Dict, List, Optional, Tuple

from .endpoint import Endpoint
from .errors import NetworkError
from .protocol import Request, Response

MAX_IDLE = 8
MAX_HEADER_LINES = 200
MAX_BODY = 64 << 20

Conn = Tuple[asyncio.StreamReader, asyncio.StreamWriter]


class _Dropped(Exception):
    """The connection closed before a complete answer."""


_NETWORK = (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, _Dropped)
_STALE = (_Dropped, ConnectionResetError, BrokenPipeError, asyncio.IncompleteReadError)


def _network_error(request: Request, e: BaseException) -> NetworkError:
    what = "timed out" if isinstance(e, asyncio.TimeoutError) else f"{type(e).__name__}: {e}"
    return NetworkError(f"{request.method} {request.path}: {what}")


class AsyncTransport:
    def __init__(self, endpoint: Endpoint):
        self._endpoint = endpoint
        self._idle: List[Conn] = []

    async def _open(self) -> Conn:
        e = self._endpoint
        return await asyncio.open_connection(e.host, e.port, ssl=e.ssl_context,
                                             server_hostname=e.host if e.ssl_context else None)

    def _take_idle(self):
        while self._idle:
            reader, writer = self._idle.pop()
            if not reader.at_eof() and not writer.is_closing():
                return reader, writer
            writer.close()
        return None

    async def send(self, request: Request) -> Response:
        pooled = self._take_idle()
        if pooled is not None:
            try:
                return await self._attempt(pooled, request)
            except _STALE:
                pass  # closed by the gateway while idle in the pool: once more on a fresh one
            except _NETWORK as e:
                raise _network_error(request, e) from e
        try:
            return await self._attempt(None, request)
        except _NETWORK as e:
            raise _network_error(request, e) from e

    async def _attempt(self, conn: Optional[Conn], request: Request) -> Response:
        try:
            if conn is None:
                conn = await asyncio.wait_for(self._open(), request.timeout)
            return await asyncio.wait_for(self._exchange(conn, request), request.timeout)
        except BaseException:
            # Failed or cancelled mid-exchange: the connection's state is unknown, never reuse it.
            if conn is not None:
                conn[1].close()
            raise

    async def _exchange(self, conn: Conn, request: Request) -> Response:
        reader, writer = conn
        head = [f"{request.method} {self._endpoint.prefix}{request.path} HTTP/1.1"]
        head += [f"{k}: {v}" for k, v in self._endpoint.headers(request.body).items()]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + (request.body or b""))
        await writer.drain()
        status_line = await reader.readline()
        if not status_line:
            raise _Dropped("connection closed before the answer")
        parts = status_line.decode("latin-1").split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
            raise _Dropped(f"not an HTTP answer: {status_line[:80]!r}")
        status = int(parts[1])
        headers = await self._read_headers(reader)
        body, reusable = await self._read_body(reader, headers)
        if reusable and headers.get("connection", "").lower() != "close" and parts[0] == "HTTP/1.1":
            if len(self._idle) < MAX_IDLE:
                self._idle.append(conn)
            else:
                writer.close()
        else:
            writer.close()
        return Response(status, headers, body)

    @staticmethod
    async def _read_headers(reader: asyncio.StreamReader) -> Dict[str, str]:
        headers: Dict[str, str] = {}
        for _ in range(MAX_HEADER_LINES):
            line = await reader.readline()
            if not line:
                raise _Dropped("connection closed in the headers")
            if line in (b"\r\n", b"\n"):
                return headers
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        raise _Dropped("too many header lines")

    @staticmethod
    async def _read_body(reader: asyncio.StreamReader, headers: Dict[str, str]) -> Tuple[bytes, bool]:
        if "chunked" in headers.get("transfer-encoding", "").lower():
            chunks = []
            while True:
                size_line = await reader.readline()
                try:
                    size = int(size_line.split(b";")[0].strip(), 16)
                except ValueError:
                    raise _Dropped(f"bad chunk size {size_line[:40]!r}") from None
                if size == 0:
                    while (await reader.readline()) not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks), True
                chunks.append(await reader.readexactly(size))
                await reader.readexactly(2)
        length = headers.get("content-length")
        if length is not None:
            if not length.isdigit() or int(length) > MAX_BODY:
                raise _Dropped(f"bad Content-Length {length[:40]!r}")
            return await reader.readexactly(int(length)), True
        return await reader.read(MAX_BODY), False

    async def close(self) -> None:
        idle, self._idle = self._idle, []
        for _, writer in idle:
            writer.close()
        for _, writer in idle:
            try:
                await writer.wait_closed()
            except OSError:
                pass
