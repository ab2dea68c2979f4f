import sys
from pathlib import Path

import pytest

# The package is used from the source folder; `pip install clients/python` is checked by
# scripts/test_py_client.sh.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fault_proxy import FaultProxy  # noqa: E402
from gateway_process import ALL_SKILLS, Gateway, Reviewer  # noqa: E402
from hitlgate_client import Retry  # noqa: E402

WORKFLOWS = ["retail-bot", "billing-bot"]
# Quick retries keep the fault-injection tests fast; the schedule itself has its own test.
FAST = Retry(attempts=4, base_delay=0.02, max_delay=0.1)


@pytest.fixture(scope="session")
def gateway():
    # Rate limits have their own gateway (`limited_gateway`); these tests send bursts.
    g = Gateway([arg for role in ("agent", "reviewer", "admin")
                 for arg in ("--rate-limit", f"{role}=0")])
    yield g
    g.stop()


@pytest.fixture(scope="session")
def agent_key(gateway):
    return gateway.new_key("agent", workflows=WORKFLOWS)


@pytest.fixture(scope="session")
def reviewer(gateway):
    return Reviewer(gateway, gateway.new_key("reviewer", skills=ALL_SKILLS))


@pytest.fixture(scope="session")
def _proxy(gateway):
    p = FaultProxy(gateway.url)
    yield p
    p.close()


@pytest.fixture
def proxy(_proxy):
    _proxy.reset()
    return _proxy
