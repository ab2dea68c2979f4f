#!/usr/bin/env python3
"""How much of the AI's airline work examples/policies/airline.yaml holds.

The tau-bench airline dialogues show tool *results*, not calls (the call is
"assistant: None"), so each write is read off what its result changed, the
way src/autonomy/tau_data.cc reads cancellations and transfers: a reservation
whose status turns "cancelled", whose flights, bags or passengers change, a
"Certificate ... added" or "Transfer successful" line. Arguments are rebuilt
from the new state; the cabin of a flight change is not (the mock database
did not store it), nor the tool behind a call that returned an error.

An AI write *agrees* with gold when some gold action of a tau2 task of the
same user (tau2 revised the tau-bench tasks) has its name and key arguments;
otherwise it *disagrees* (a wrong or extra call). Dialogues whose user has no
tau2 task have no gold and are counted apart. The tau2 gold writes themselves
are decided too: all of them are correct, so the share held is pure burden.

Every write is sent through `hitlgate decide` after the customer turns that
preceded it; held means hold, handoff or block.
"""
import argparse
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import defaultdict

WORKFLOW = "airline-agent"
HELD = {"hold", "handoff", "block"}
START = 1715785200  # 2024-05-15T15:00:00Z, the domain's "current time"
USER_ID = re.compile(r"\b[a-z]+_[a-z]+_\d{4}\b")
CERTIFICATE = re.compile(r"^Certificate (\S+) added to user (\S+) with amount ([0-9.]+)")
WRITES = ["book_reservation", "cancel_reservation", "update_reservation_flights",
          "update_reservation_baggages", "update_reservation_passengers", "send_certificate",
          "transfer_to_human_agents"]


class DataError(Exception):
    """The data is not what this script reads; the message says where."""


def iso(seconds):
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def split_turns(display):
    """messages_display -> [(role, text)]; a turn runs until the next role prefix."""
    turns = []
    for line in display.split("\n"):
        for role in ("user", "assistant", "tool"):
            if line.startswith(role + ": "):
                turns.append([role, line[len(role) + 2:]])
                break
        else:
            if not turns:
                raise DataError("text before the first turn: " + line[:60])
            turns[-1][1] += "\n" + line
    return [tuple(t) for t in turns]


def flights_of(reservation):
    return [{"flight_number": f["flight_number"], "date": f["date"]} for f in reservation["flights"]]


def new_payment_id(before, after):
    added = after.get("payment_history", [])[len(before.get("payment_history", [])):]
    return added[0]["payment_id"] if added else None


def write_from_result(body, reservations):
    """The write a tool result reveals, as (name, params, amount), or None.

    `reservations` maps reservation id -> the last state seen, and is updated.
    """
    if body.startswith("Transfer successful"):
        return "transfer_to_human_agents", {}, None
    m = CERTIFICATE.match(body)
    if m:
        amount = float(m.group(3))
        return "send_certificate", {"user_id": m.group(2), "amount": amount}, amount
    try:
        r = json.loads(body)
    except ValueError:
        return None
    if not isinstance(r, dict) or "reservation_id" not in r:
        return None
    rid = r["reservation_id"]
    before = reservations.get(rid)
    reservations[rid] = r
    if before is None:
        # The mock database stamps a new booking with its own "current time".
        if r.get("created_at") == "2024-05-15T15:00:00":
            paid = sum(p["amount"] for p in r.get("payment_history", []))
            params = {"user_id": r["user_id"], "flights": flights_of(r), "cabin": r.get("cabin")}
            return "book_reservation", params, float(paid)
        return None
    if r.get("status") == "cancelled" and before.get("status") != "cancelled":
        return "cancel_reservation", {"reservation_id": rid}, None
    # Same flights at new prices: a cabin change, which the same tool makes.
    legs_priced = [(f["flight_number"], f["date"], f.get("price")) for f in r["flights"]]
    if legs_priced != [(f["flight_number"], f["date"], f.get("price")) for f in before["flights"]]:
        params = {"reservation_id": rid, "flights": flights_of(r)}
        payment = new_payment_id(before, r)
        if payment:
            params["payment_id"] = payment
        return "update_reservation_flights", params, None
    bags = ("total_baggages", "nonfree_baggages")
    if any(r.get(k) != before.get(k) for k in bags):
        params = {"reservation_id": rid, **{k: r.get(k) for k in bags}}
        payment = new_payment_id(before, r)
        if payment:
            params["payment_id"] = payment
        return "update_reservation_baggages", params, None
    if r.get("passengers") != before.get("passengers"):
        return "update_reservation_passengers", {"reservation_id": rid, "passengers": r["passengers"]}, None
    return None


def key(name, args):
    """What must be equal for an AI write to be the gold action."""
    def people(ps):
        return tuple((p.get("first_name"), p.get("last_name"), p.get("dob")) for p in ps or [])

    def legs(fs):
        return tuple((f.get("flight_number"), f.get("date")) for f in fs or [])

    if name == "cancel_reservation":
        return (args.get("reservation_id"),)
    if name == "update_reservation_flights":
        return (args.get("reservation_id"), legs(args.get("flights")))
    if name == "update_reservation_baggages":
        return (args.get("reservation_id"), args.get("total_baggages"), args.get("nonfree_baggages"))
    if name == "update_reservation_passengers":
        return (args.get("reservation_id"), people(args.get("passengers")))
    if name == "send_certificate":
        return (args.get("user_id"), float(args.get("amount", -1)))
    if name == "book_reservation":
        return (args.get("user_id"), legs(args.get("flights")))
    return ()


def load_gold(path):
    """tau2 tasks -> ({user id: [(name, args)]}, [(task id, name, args)])."""
    try:
        with open(path, encoding="utf-8") as f:
            tasks = json.load(f)
    except ValueError as e:
        raise DataError(f"{path}: not JSON ({e})")
    if not isinstance(tasks, list):
        raise DataError(f"{path}: expected a JSON array of tasks")
    by_user = defaultdict(list)
    writes = []
    for t in tasks:
        scenario = json.dumps(t.get("user_scenario", {}))
        m = USER_ID.search(scenario)
        actions = (t.get("evaluation_criteria") or {}).get("actions") or []
        gold = [(a["name"], a.get("arguments") or {}) for a in actions if a.get("name") in WRITES]
        if m:
            by_user[m.group(0)].extend(gold)
        writes.extend((t.get("id"), name, args) for name, args in gold)
    return by_user, writes


def amount_of(name, args):
    if name == "send_certificate" and "amount" in args:
        return float(args["amount"])
    if name == "book_reservation" and args.get("payment_methods"):
        return float(sum(p.get("amount", 0) for p in args["payment_methods"]))
    return None


def proposal(interaction, customer, at, name, params, amount):
    event = {"interaction_id": interaction, "workflow": WORKFLOW, "channel": "chat",
             "type": "ai_proposal", "at": iso(at), "action": {"name": name, "params": params}}
    if customer:
        event["customer_id"] = customer
    if amount is not None:
        event["action"].update({"amount": amount, "currency": "USD"})
    return event


def dialogue_events(path, gold_by_user):
    """-> (events, labels, failed calls): labels[i] is None for customer turns,
    else (action, 'agree' | 'disagree' | 'no gold')."""
    events, labels, failed = [], [], 0
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                display = json.loads(line)["messages_display"]
            except (ValueError, KeyError, TypeError):
                raise DataError(f'{path}:{number}: expected {{"messages_display": "..."}}')
            turns = split_turns(display)
            users = USER_ID.findall(display)
            customer = users[0] if users else None
            gold = list(gold_by_user.get(customer, [])) if customer in gold_by_user else None
            interaction = f"tau-airline-{number}"
            reservations = {}
            for i, (role, text) in enumerate(turns):
                at = START + 20 * i
                if role == "user":
                    text = text.replace("###STOP###", "").strip()
                    if text:
                        events.append({"interaction_id": interaction, "workflow": WORKFLOW,
                                       "channel": "chat", "type": "customer_message", "text": text,
                                       "at": iso(at), **({"customer_id": customer} if customer else {})})
                        labels.append(None)
                    continue
                if role != "tool":
                    continue
                if text.startswith("Error:"):
                    failed += 1
                    continue
                found = write_from_result(text, reservations)
                if found is None:
                    continue
                name, params, amount = found
                if gold is None:
                    verdict = "no gold"
                else:
                    match = next((g for g in gold if g[0] == name and key(*g) == key(name, params)), None)
                    verdict = "agree" if match else "disagree"
                    if match:
                        gold.remove(match)  # one gold action vouches for one call
                events.append(proposal(interaction, customer, at, name, params, amount))
                labels.append((name, verdict))
    return events, labels, failed


def gold_events(gold_writes):
    events, labels = [], []
    for n, (task, name, args) in enumerate(gold_writes):
        events.append(proposal(f"tau2-airline-task-{task}", None, START + n, name, args, amount_of(name, args)))
        labels.append((name, "tau2 gold"))
    return events, labels


def decide(hitlgate, policy, events):
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
        for e in events:
            f.write(json.dumps(e) + "\n")
        path = f.name
    try:
        run = subprocess.run([hitlgate, "decide", "--policy", policy, "-i", path, "-o", "-"],
                             capture_output=True, text=True)
    finally:
        os.unlink(path)
    if run.returncode != 0:
        raise DataError(f"hitlgate decide failed ({run.returncode}): {run.stderr.strip()}")
    out = run.stdout
    decisions = [json.loads(line) for line in out.splitlines() if line.strip()]
    errors = [d for d in decisions if "error" in d]
    if errors or len(decisions) != len(events):
        raise DataError(f"hitlgate decide answered {len(decisions)} lines for {len(events)} events: {errors[:3]}")
    return decisions


def tally(labels, decisions):
    """-> {(action, label): [count, held]}"""
    t = defaultdict(lambda: [0, 0])
    for label, decision in zip(labels, decisions):
        if label is None:
            continue
        cell = t[label]
        cell[0] += 1
        cell[1] += decision["decision"] in HELD
    return t


def print_writes(events, labels, decisions, out=None):
    out = out or sys.stdout
    for e, label, d in zip(events, labels, decisions):
        if label is None:
            continue
        params = {k: v for k, v in e["action"].get("params", {}).items() if k != "passengers"}
        rules = ",".join(r["rule"] for r in d.get("reasons", []))
        out.write(f"{e['interaction_id']:26} {label[1]:9} {d['decision']:15} {label[0]} "
                  f"{json.dumps(params)[:80]}  [{rules}]\n")


def share(held, n):
    return f"{held}/{n} = {100 * held / n:.0f}%" if n else "0/0"


def print_table(t, failed, dialogues, out=None):
    out = out or sys.stdout
    columns = ["agree", "disagree", "no gold", "tau2 gold"]
    out.write(f"{'write action':31}" + "".join(f"{c + ' (held)':>17}" for c in columns) + "\n")
    totals = {c: [0, 0] for c in columns}
    for name in WRITES:
        cells = [t.get((name, c), [0, 0]) for c in columns]
        if not any(n for n, _ in cells):
            continue
        out.write(f"{name:31}" + "".join(f"{f'{n} ({h})':>17}" for n, h in cells) + "\n")
        for c, (n, h) in zip(columns, cells):
            totals[c][0] += n
            totals[c][1] += h
    out.write(f"{'all':31}" + "".join(f"{f'{n} ({h})':>17}" for n, h in totals.values()) + "\n\n")
    out.write(f"AI writes that disagree with gold, held (want high): {share(*reversed(totals['disagree']))}\n")
    out.write(f"AI writes that agree with gold, held (burden, want low): {share(*reversed(totals['agree']))}\n")
    out.write(f"tau2 gold writes, held (burden, want low): {share(*reversed(totals['tau2 gold']))}\n")
    out.write(f"AI writes in dialogues without a tau2 task, held: {share(*reversed(totals['no gold']))}\n")
    # Transfers put a person on the conversation whatever the policy says.
    for c in ("disagree", "agree"):
        n, h = (sum(v[i] for (name, label), v in t.items() if label == c and name != "transfer_to_human_agents")
                for i in (0, 1))
        out.write(f"  without transfers, {c}ing AI writes held: {share(h, n)}\n")
    out.write(f"({dialogues} dialogues; {failed} tool calls returned an error and are not counted: "
              "their tool cannot be seen)\n")
    return totals


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", required=True, help="the shared data folder (tau_bench, tau2_bench)")
    p.add_argument("--hitlgate", required=True, help="the hitlgate binary")
    p.add_argument("--policy", required=True)
    p.add_argument("--list", action="store_true", help="one line per write: label, decision, rules")
    p.add_argument("--verdicts-out", help="also write the AI writes as replay history, "
                   "human_verdict approved (agree) or rejected (disagree)")
    a = p.parse_args(argv)
    dialogues = os.path.join(a.data, "tau_bench", "MockAirlineDomainEnv-few_shot.jsonl")
    tasks = os.path.join(a.data, "tau2_bench", "airline", "tasks_train.json")
    try:
        for path in (dialogues, tasks):
            if not os.path.isfile(path):
                raise DataError(f"{path}: missing")
        gold_by_user, gold_writes = load_gold(tasks)
        events, labels, failed = dialogue_events(dialogues, gold_by_user)
        g_events, g_labels = gold_events(gold_writes)
        decisions = decide(a.hitlgate, a.policy, events + g_events)
    except (DataError, OSError) as e:
        sys.stderr.write(f"airline_policy_eval: {e}\n")
        return 2
    with open(dialogues, encoding="utf-8") as f:
        count = sum(1 for line in f if line.strip())
    if a.list:
        print_writes(events + g_events, labels + g_labels, decisions)
        print()
    print_table(tally(labels + g_labels, decisions), failed, count)
    if a.verdicts_out:
        verdict = {"agree": "approved", "disagree": "rejected"}
        with open(a.verdicts_out, "w", encoding="utf-8") as f:
            for e, label in zip(events, labels):
                if label is not None and label[1] in verdict:
                    e = {**e, "human_verdict": verdict[label[1]]}
                f.write(json.dumps(e) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
