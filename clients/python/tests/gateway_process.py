"""Starts a real `hitlgate serve` on a temporary data folder and port 0 for the tests, and speaks
its HTTP API as an admin and as a reviewer would (plain urllib, independent of the client)."""
from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, List, Optional

REPO = Path(__file__).resolve().parents[3]
DEFAULT_BIN = REPO / "build" / "dev" / "src" / "cli" / "hitlgate"
ALL_SKILLS = ["billing", "orders", "supervisor", "legal", "product_safety"]


def binary() -> str:
    path = os.environ.get("HITLGATE_BIN") or str(DEFAULT_BIN)
    if not os.access(path, os.X_OK):
        raise RuntimeError(f"no hitlgate binary at {path}: build it (scripts/build.sh dev hitlgate) "
                           "or set HITLGATE_BIN")
    return path


class Gateway:
    def __init__(self, extra_args: Optional[List[str]] = None):
        self.dir = tempfile.TemporaryDirectory(prefix="hitlgate-py-")
        self.admin = f"hg_{secrets.token_hex(6)}_{secrets.token_hex(32)}"
        log_path = Path(self.dir.name) / "serve.log"
        self.log = open(log_path, "w+")
        env = dict(os.environ, HITLGATE_ADMIN_KEY=self.admin)
        self.proc = subprocess.Popen(
            [binary(), "serve", "--data", str(Path(self.dir.name) / "data"), "--port", "0",
             *(extra_args or [])], stdout=self.log, stderr=subprocess.STDOUT, env=env)
        self.url = self._wait_for_port(log_path)

    def _wait_for_port(self, log_path: Path) -> str:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            match = re.search(r"listening on (http://[0-9.]+:\d+)", log_path.read_text())
            if match:
                return match.group(1)
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        self.stop()
        raise RuntimeError(f"hitlgate serve did not start:\n{log_path.read_text()}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        self.dir.cleanup()

    def call(self, method: str, path: str, body: Any = None, key: Optional[str] = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Authorization": f"Bearer {key or self.admin}"})
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return json.load(answer)
        except urllib.error.HTTPError as e:
            raise AssertionError(f"{method} {path}: {e.code} {e.read()[:300]!r}") from None

    def new_key(self, role: str, **fields: Any) -> str:
        return self.call("POST", "/v1/keys", {"name": f"{role}-{secrets.token_hex(3)}", "role": role,
                                              **fields})["token"]


class Reviewer:
    """A person working tasks through the review API."""

    def __init__(self, gateway: Gateway, key: str):
        self.gateway, self.key = gateway, key

    def verdict(self, task_id: str, verdict: str, **fields: Any) -> dict:
        task = self.gateway.call("POST", f"/v1/review/tasks/{task_id}/claim", None, self.key)
        return self.gateway.call("POST", f"/v1/review/tasks/{task_id}/verdict",
                                 {"verdict": verdict, "lease_id": task["lease"]["lease_id"], **fields},
                                 self.key)
