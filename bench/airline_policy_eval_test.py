#!/usr/bin/env python3
"""Tests of airline_policy_eval.py on dialogues written here (the shared data
is never copied into the repository), end to end through the real
`hitlgate decide` ($HITLGATE_BIN, default build/dev/src/cli/hitlgate)."""
import contextlib
import io
import json
import os
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True  # leave no __pycache__ in the source folder
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import airline_policy_eval as ev  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HITLGATE = os.environ.get("HITLGATE_BIN", os.path.join(ROOT, "build/dev/src/cli/hitlgate"))
POLICY = os.path.join(ROOT, "examples/policies/airline.yaml")


def reservation(rid="ABC123", **changes):
    r = {"reservation_id": rid, "user_id": "ana_diaz_1234", "cabin": "economy",
         "flights": [{"origin": "JFK", "destination": "SEA", "flight_number": "HAT001",
                      "date": "2024-05-20", "price": 120}],
         "passengers": [{"first_name": "Ana", "last_name": "Diaz", "dob": "1990-01-01"}],
         "payment_history": [{"payment_id": "credit_card_1", "amount": 120}],
         "created_at": "2024-05-10T10:00:00", "total_baggages": 0, "nonfree_baggages": 0}
    r.update(changes)
    return r


def tool(r):
    return "tool: " + json.dumps(r)


def dialogue(*lines):
    return json.dumps({"messages_display": "\n".join(lines)})


class WriteFromResultTest(unittest.TestCase):
    def setUp(self):
        self.seen = {}
        self.assertIsNone(ev.write_from_result(json.dumps(reservation()), self.seen))

    def test_first_sight_of_a_reservation_is_a_read(self):
        self.assertIn("ABC123", self.seen)

    def test_the_same_state_again_is_a_read(self):
        self.assertIsNone(ev.write_from_result(json.dumps(reservation()), self.seen))

    def test_status_cancelled_is_a_cancellation(self):
        name, params, _ = ev.write_from_result(json.dumps(reservation(status="cancelled")), self.seen)
        self.assertEqual((name, params), ("cancel_reservation", {"reservation_id": "ABC123"}))

    def test_new_flights_are_a_flight_change_paid_by_the_new_payment(self):
        r = reservation(flights=[{"flight_number": "HAT002", "date": "2024-05-21", "price": 130}],
                        payment_history=[{"payment_id": "credit_card_1", "amount": 120},
                                         {"payment_id": "gift_card_9", "amount": 10}])
        name, params, _ = ev.write_from_result(json.dumps(r), self.seen)
        self.assertEqual(name, "update_reservation_flights")
        self.assertEqual(params["flights"], [{"flight_number": "HAT002", "date": "2024-05-21"}])
        self.assertEqual(params["payment_id"], "gift_card_9")

    def test_same_flights_at_new_prices_are_a_cabin_change(self):
        r = reservation(flights=[{"flight_number": "HAT001", "date": "2024-05-20", "price": 1500}])
        name, _, _ = ev.write_from_result(json.dumps(r), self.seen)
        self.assertEqual(name, "update_reservation_flights")

    def test_more_bags_are_a_baggage_update(self):
        name, params, _ = ev.write_from_result(json.dumps(reservation(total_baggages=2)), self.seen)
        self.assertEqual(name, "update_reservation_baggages")
        self.assertEqual((params["total_baggages"], params["nonfree_baggages"]), (2, 0))

    def test_new_names_are_a_passenger_update(self):
        people = [{"first_name": "Ana", "last_name": "Ruiz", "dob": "1990-01-01"}]
        name, _, _ = ev.write_from_result(json.dumps(reservation(passengers=people)), self.seen)
        self.assertEqual(name, "update_reservation_passengers")

    def test_a_reservation_created_now_is_a_booking_with_its_total(self):
        r = reservation("NEW001", created_at="2024-05-15T15:00:00")
        self.assertEqual(ev.write_from_result(json.dumps(r), self.seen)[::2], ("book_reservation", 120.0))

    def test_certificate_and_transfer_lines(self):
        cert = ev.write_from_result("Certificate certificate_1 added to user ana_diaz_1234 with amount 150.", {})
        self.assertEqual(cert, ("send_certificate", {"user_id": "ana_diaz_1234", "amount": 150.0}, 150.0))
        self.assertEqual(ev.write_from_result("Transfer successful", {})[0], "transfer_to_human_agents")


class SplitTurnsTest(unittest.TestCase):
    def test_a_turn_runs_over_several_lines(self):
        turns = ev.split_turns("user: hi\nassistant: one\n- two\ntool: 3.0")
        self.assertEqual(turns, [("user", "hi"), ("assistant", "one\n- two"), ("tool", "3.0")])

    def test_text_before_any_turn_is_an_error(self):
        with self.assertRaisesRegex(ev.DataError, "before the first turn"):
            ev.split_turns("hello\nuser: hi")


class DataFolder:
    """A data folder laid out like ../shared/data, with the given lines."""

    def __init__(self, test, dialogues, tasks):
        self.dir = tempfile.TemporaryDirectory()
        test.addCleanup(self.dir.cleanup)
        os.makedirs(os.path.join(self.dir.name, "tau_bench"))
        os.makedirs(os.path.join(self.dir.name, "tau2_bench", "airline"))
        with open(os.path.join(self.dir.name, "tau_bench", "MockAirlineDomainEnv-few_shot.jsonl"), "w") as f:
            f.write("\n".join(dialogues) + "\n")
        with open(os.path.join(self.dir.name, "tau2_bench", "airline", "tasks_train.json"), "w") as f:
            f.write(tasks if isinstance(tasks, str) else json.dumps(tasks))

    def run(self, *extra):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = ev.main(["--data", self.dir.name, "--hitlgate", HITLGATE, "--policy", POLICY, *extra])
        return rc, out.getvalue(), err.getvalue()


def task(user, *actions):
    return {"id": user, "user_scenario": {"instructions": {"known_info": f"Your user id is {user}."}},
            "evaluation_criteria": {"actions": [{"name": n, "arguments": a} for n, a in actions]}}


DIALOGUES = [
    # Agrees: the gold cancels ABC123. Disagrees: the certificate (no gold);
    # reading the cancelled reservation again is no write.
    dialogue("user: I'm ana_diaz_1234, cancel ABC123 please. Yes.", "assistant: None",
             tool(reservation()), "assistant: None", tool(reservation(status="cancelled")),
             "assistant: None", tool(reservation(status="cancelled", nonfree_baggages=0)),
             "user: I want compensation.", "assistant: None",
             "tool: Certificate certificate_1 added to user ana_diaz_1234 with amount 100."),
    # Agrees: gold adds two bags, which the policy only watches.
    dialogue("user: I'm ana_diaz_1234. Add two bags to XYZ999, yes.", "assistant: None",
             tool(reservation("XYZ999")), "assistant: None", tool(reservation("XYZ999", total_baggages=2)),
             "assistant: None", "tool: Error: not enough seats on flight HAT001"),
    # No tau2 task for this user.
    dialogue("user: I'm bo_lee_5678 and I want a real person.", "assistant: None", "tool: Transfer successful"),
]
TASKS = [task("ana_diaz_1234", ("cancel_reservation", {"reservation_id": "ABC123"}),
              ("get_reservation_details", {"reservation_id": "ABC123"})),
         task("ana_diaz_1234", ("update_reservation_baggages",
                                {"reservation_id": "XYZ999", "total_baggages": 2, "nonfree_baggages": 0}))]


class EndToEndTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not os.access(HITLGATE, os.X_OK):
            raise unittest.SkipTest(f"no hitlgate binary at {HITLGATE} (build it, or set HITLGATE_BIN)")

    def test_labels_and_decisions(self):
        data = DataFolder(self, DIALOGUES, TASKS)
        rc, out, err = data.run("--list")
        self.assertEqual(rc, 0, err)
        lines = [line.split()[:4] for line in out.splitlines() if line.startswith(("tau-", "tau2-"))]
        self.assertEqual(lines, [
            ["tau-airline-1", "agree", "hold", "cancel_reservation"],
            ["tau-airline-1", "disagree", "hold", "send_certificate"],
            ["tau-airline-2", "agree", "allow_monitored", "update_reservation_baggages"],
            ["tau-airline-3", "no", "gold", "handoff"],
            ["tau2-airline-task-ana_diaz_1234", "tau2", "gold", "hold"],
            ["tau2-airline-task-ana_diaz_1234", "tau2", "gold", "allow_monitored"],
        ])
        self.assertIn("disagree with gold, held (want high): 1/1 = 100%", out)
        self.assertIn("agree with gold, held (burden, want low): 1/2 = 50%", out)
        self.assertIn("tau2 gold writes, held (burden, want low): 1/2 = 50%", out)
        self.assertIn("1 tool calls returned an error", out)

    def test_replay_history_carries_the_verdicts(self):
        data = DataFolder(self, DIALOGUES, TASKS)
        history = os.path.join(data.dir.name, "history.jsonl")
        self.assertEqual(data.run("--verdicts-out", history)[0], 0)
        with open(history) as f:
            verdicts = [json.loads(line).get("human_verdict") for line in f]
        self.assertEqual([v for v in verdicts if v], ["approved", "rejected", "approved"])

    def test_a_broken_dialogue_line_is_named(self):
        rc, _, err = DataFolder(self, DIALOGUES[:1] + ["{not json"], TASKS).run()
        self.assertEqual(rc, 2)
        self.assertRegex(err, r"MockAirlineDomainEnv-few_shot.jsonl:2: expected")

    def test_tasks_that_are_not_a_list_are_refused(self):
        rc, _, err = DataFolder(self, DIALOGUES, {"tasks": []}).run()
        self.assertEqual(rc, 2)
        self.assertIn("expected a JSON array of tasks", err)

    def test_a_missing_file_is_named(self):
        data = DataFolder(self, DIALOGUES, TASKS)
        os.remove(os.path.join(data.dir.name, "tau2_bench", "airline", "tasks_train.json"))
        rc, _, err = data.run()
        self.assertEqual(rc, 2)
        self.assertIn("tasks_train.json: missing", err)

    def test_a_policy_that_does_not_compile_fails_with_the_binary_message(self):
        data = DataFolder(self, DIALOGUES, TASKS)
        bad = os.path.join(data.dir.name, "bad.yaml")
        with open(bad, "w") as f:
            f.write("policy: x\nrules: [{name: r}]\n")
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = ev.main(["--data", data.dir.name, "--hitlgate", HITLGATE, "--policy", bad])
        self.assertEqual(rc, 2)
        self.assertIn("hitlgate decide failed", err.getvalue())
        self.assertIn("bad.yaml:2:9: error: rule 'r'", err.getvalue())


if __name__ == "__main__":
    unittest.main()
