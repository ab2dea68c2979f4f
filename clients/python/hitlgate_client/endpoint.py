"""Where the gateway is and how to authenticate, checked once when a client is made."""
from __future__ import annotations

import ssl
from dataclasses import dataclass
from typing import Any, Dict, Optional
from urllib.parse import urlsplit

from ._version import __version__ as _version

USER_AGENT = f"hitlgate-client-python/{_version}"


@dataclass(frozen=True)
class Endpoint:
    scheme: str
    host: str
    port: int
    prefix: str  # a path the gateway is mounted under behind a proxy, without trailing slash
    api_key: str
    ssl_context: Optional[ssl.SSLContext]

    def headers(self, body: Optional[bytes]) -> Dict[str, str]:
        headers = {"Authorization": f"Bearer {self.api_key}", "Accept": "application/json",
                   "User-Agent": USER_AGENT, "Host": self.host_header}
        if body is not None:
            headers["Content-Type"] = "application/json"
            headers["Content-Length"] = str(len(body))
        return headers

    @property
    def host_header(self) -> str:
        default = 443 if self.scheme == "https" else 80
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == default else f"{host}:{self.port}"


def make_endpoint(base_url: Any, api_key: Any, ssl_context: Optional[ssl.SSLContext] = None) -> Endpoint:
    if base_url is None or base_url == "":
        raise ValueError("base_url is required, e.g. Client('http://localhost:8080', api_key)")
    if not isinstance(base_url, str):
        raise TypeError(f"base_url must be a string like 'http://localhost:8080', got {type(base_url).__name__}")
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"base_url must be http://host[:port] or https://host[:port], got {base_url!r}")
    if parts.query or parts.fragment:
        raise ValueError(f"base_url takes no query or fragment, got {base_url!r}")
    if not isinstance(api_key, str) or not api_key.strip():
        raise ValueError("api_key is required: an agent key 'hg_<id>_<secret>' from POST /v1/keys")
    if any(c in api_key for c in "\r\n"):
        raise ValueError("api_key must be one line")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise ValueError(f"base_url has a bad port: {base_url!r}") from None
    context = None
    if parts.scheme == "https":
        context = ssl_context or ssl.create_default_context()
    return Endpoint(parts.scheme, parts.hostname, port, parts.path.rstrip("/"), api_key.strip(), context)
