#!/usr/bin/env python3
"""Cost of the console's measurement requests on a real `hitlgate serve`.

Posts N generated events (bench/make_events) through the HTTP API (8
connections, each interaction on one connection so its events stay in
order), uploads examples/policies/retail-candidate.yaml, then times
POST /v1/policies/{version}/replay for several max_events bounds and
POST /v1/staffing for an Erlang C and an Erlang A case.

  bench/replay_http_bench.py BUILD_DIR [EVENTS]     (default build/bench, 20000)

Timings are printed, never asserted.
"""
import http.client, json, os, re, subprocess, sys, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, 'build', 'bench')
N = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
BIN = os.path.join(BUILD, 'src', 'cli', 'hitlgate')
ADMIN = 'hg_a1b2c3d4e5f6_' + '6' * 64

data = tempfile.mkdtemp(prefix='hitlgate-replay-http-')
args = [BIN, 'serve', '--data', data, '--port', '0']
for role in ['agent', 'reviewer', 'supervisor', 'auditor', 'admin']:
    args += ['--rate-limit', role + '=0']
server = subprocess.Popen(args, env=dict(os.environ, HITLGATE_ADMIN_KEY=ADMIN), stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
port = None
for line in server.stdout:
    m = re.search(r'listening on https?://[\d.]+:(\d+)', line)
    if m:
        port = int(m.group(1))
        break


def call(method, path, body=None, token=ADMIN, conn=None):
    c = conn or http.client.HTTPConnection('127.0.0.1', port, timeout=600)
    payload = None if body is None else (json.dumps(body) if isinstance(body, dict) else body).encode('utf-8')
    c.request(method, path, body=payload, headers={'Authorization': 'Bearer ' + token, 'Content-Type': 'application/json'})
    r = c.getresponse()
    return r.status, r.read()


try:
    agent = json.loads(call('POST', '/v1/keys', {'name': 'bench agent', 'role': 'agent'})[1])['token']
    sup = json.loads(call('POST', '/v1/keys', {'name': 'bench supervisor', 'role': 'supervisor'})[1])['token']
    lines = subprocess.run([os.path.join(BUILD, 'bench', 'make_events'), '--events', str(N)], capture_output=True,
                           text=True, check=True).stdout.splitlines()[:N]
    buckets = [[] for _ in range(8)]
    for line in lines:
        buckets[hash(json.loads(line)['interaction_id']) % 8].append(line)
    errors = []

    def post_all(bucket):
        c = http.client.HTTPConnection('127.0.0.1', port, timeout=60)
        for line in bucket:
            status, body = call('POST', '/v1/events', line, agent, c)
            if status != 200:
                errors.append(body[:200])

    started = time.time()
    threads = [threading.Thread(target=post_all, args=(b,)) for b in buckets]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f'machine: {os.cpu_count()} cores, load average {open("/proc/loadavg").read().split()[:3]}')
    print(f'posted {len(lines)} events in {time.time() - started:.1f} s ({len(errors)} errors)')
    yaml = open(os.path.join(ROOT, 'examples', 'policies', 'retail-candidate.yaml'), encoding='utf-8').read()
    version = json.loads(call('POST', '/v1/policies', yaml)[1])['version']
    for bound in [1000, 5000, 20000, 200000]:
        started = time.time()
        status, body = call('POST', f'/v1/policies/{version}/replay', {'max_events': bound}, sup)
        ms = (time.time() - started) * 1000
        h = json.loads(body)['history']
        print(f'replay max_events {bound}: HTTP {status} in {ms:.0f} ms: {h["events"]} events of '
              f'{h["interactions"]} interactions, truncated {h["truncated"]}')
    for body in [{'arrivals_per_hour': 2000, 'escalation_rate': 0.1, 'handle_seconds': 180},
                 {'arrivals_per_hour': 24000, 'escalation_rate': 1, 'handle_seconds': 300},
                 {'arrivals_per_hour': 6000, 'escalation_rate': 1, 'handle_seconds': 300, 'patience_seconds': 180}]:
        started = time.time()
        status, reply = call('POST', '/v1/staffing', body, sup)
        ms = (time.time() - started) * 1000
        j = json.loads(reply)
        print(f'staffing {j.get("offered_load")} Erlangs, {j.get("model")}: HTTP {status} in {ms:.0f} ms: '
              f'{j.get("recommended_agents")} reviewers')
finally:
    server.terminate()
    server.wait()
    subprocess.run(['rm', '-rf', data])
