"""examples/python/refund_agent.py runs as its header says, against a real gateway."""
import os
import re
import subprocess
import sys

from gateway_process import REPO

EXAMPLE = REPO / "examples" / "python" / "refund_agent.py"


def test_refund_agent_example_runs_the_edited_refund(gateway, reviewer):
    key = gateway.new_key("agent", workflows=["retail-bot"])
    env = dict(os.environ, HITLGATE_URL=gateway.url, HITLGATE_AGENT_KEY=key, WAIT_SECONDS="20")
    agent = subprocess.Popen([sys.executable, str(EXAMPLE)], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, env=env)
    try:
        assert agent.stdout.readline().strip() == "reply about the order: allow"
        held = agent.stdout.readline()
        task_id = re.search(r"on task (t-\S+)", held).group(1)
        reviewer.verdict(task_id, "edited", edited_action={
            "name": "refund", "amount": 120, "currency": "USD", "params": {"order_id": "o-1042"}})
        assert agent.stdout.read().strip() == "refunded 120 USD for order o-1042"
        assert agent.wait(20) == 0
    finally:
        agent.kill()
