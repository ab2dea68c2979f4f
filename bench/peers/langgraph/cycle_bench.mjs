// The peer of bench/cycle_bench (hitlgate's hold -> claim -> verdict -> agent
// wakes over HTTP): LangGraph.js's own human-in-the-loop cycle, with the
// SQLite checkpointer on a file.
//   agent:    graph.invoke(proposal, {configurable: {thread_id}}) runs a node
//             that calls interrupt() for a refund over 110 USD; the run stops
//             with __interrupt__ and the thread waits for a reviewer
//   reviewer: takes the oldest waiting thread and resumes it with
//             graph.invoke(new Command({resume: {verdict: "approved"}}), ...)
//   the agent wakes when the resumed run has finished with the verdict.
// N agents and M reviewers (async tasks on Node's one thread; better-sqlite3
// is synchronous), every cycle on its own thread_id. Cycles/s = cycles
// completed before the deadline / seconds; agents start no new cycle after
// it, reviewers drain what is waiting, and the process ends at deadline +
// grace at the latest. 100 untimed cycles first warm V8 up. Prints one line:
//   cycles_per_s X cycles N seconds S p50_ms X p99_ms X agents N reviewers M
//   errors N journal_mode X synchronous X
//
//   node cycle_bench.mjs --db FILE [--agents 64] [--reviewers 16] [--seconds 10]
//                        [--grace 10] [--synchronous default|NORMAL|FULL]
import { Annotation, Command, END, START, StateGraph, interrupt } from "@langchain/langgraph";
import { SqliteSaver } from "@langchain/langgraph-checkpoint-sqlite";

const args = { db: "", agents: 64, reviewers: 16, seconds: 10, grace: 10, synchronous: "default" };
for (let i = 2; i + 1 < process.argv.length; i += 2) {
  const key = process.argv[i].replace(/^--/, "");
  if (!(key in args)) {
    console.error(`cycle_bench.mjs: unknown flag ${process.argv[i]}`);
    process.exit(2);
  }
  args[key] = typeof args[key] === "number" ? Number(process.argv[i + 1]) : process.argv[i + 1];
}
if (!args.db || args.agents < 1 || args.reviewers < 1 || !(args.seconds > 0 && args.seconds <= 600) ||
    !(args.grace >= 0 && args.grace <= 60)) {
  console.error("usage: node cycle_bench.mjs --db FILE [--agents 64] [--reviewers 16] [--seconds 10] " +
                "[--grace 10] [--synchronous default|NORMAL|FULL]");
  process.exit(2);
}

const checkpointer = SqliteSaver.fromConnString(args.db);
// What the saver sets up itself (journal_mode=WAL) happens on first use; do
// it now so the pragmas reported are the ones in force.
await checkpointer.getTuple({ configurable: { thread_id: "setup", checkpoint_ns: "" } });
if (args.synchronous !== "default") checkpointer.db.pragma(`synchronous = ${args.synchronous}`);
const journalMode = checkpointer.db.pragma("journal_mode", { simple: true });
const synchronous = ["OFF", "NORMAL", "FULL", "EXTRA"][checkpointer.db.pragma("synchronous", { simple: true })];

const State = Annotation.Root({
  action: Annotation(),
  verdict: Annotation(),
});
const graph = new StateGraph(State)
  .addNode("gate", (state) => {
    // The same rule as the retail policy's refunds-over-100 (USD limit 110).
    if (state.action.name === "refund" && state.action.amount > 110) {
      const answer = interrupt({ action: state.action, queue: "billing" });
      return { verdict: answer.verdict };
    }
    return { verdict: "allowed" };
  })
  .addEdge(START, "gate")
  .addEdge("gate", END)
  .compile({ checkpointer });

// Warm-up, untimed: 100 cycles one after another, so V8 has compiled the hot
// paths before the clock starts (hitlgate is ahead-of-time compiled C++).
for (let i = 0; i < 100; ++i) {
  const config = { configurable: { thread_id: `warm-${process.pid}-${i}` } };
  await graph.invoke({ action: { name: "refund", amount: 150, currency: "USD" }, verdict: null }, config);
  await graph.invoke(new Command({ resume: { verdict: "approved" } }), config);
}

const start = performance.now();
const deadline = start + args.seconds * 1000;
const hardStop = deadline + args.grace * 1000;
const hardTimer = setTimeout(() => finish(true), hardStop - start + 1000);

// The review queue: waiting threads, and reviewers idle until one arrives.
const waiting = [];
const idleReviewers = [];
function enqueue(item) {
  const reviewer = idleReviewers.shift();
  if (reviewer) reviewer(item);
  else waiting.push(item);
}
function nextItem() {
  if (waiting.length > 0) return Promise.resolve(waiting.shift());
  return new Promise((resolve) => idleReviewers.push(resolve));
}

let cycles = 0;
let errors = 0;
let agentsRunning = args.agents;
const latencies = [];
const run = `${process.pid}-${Date.now()}`;

async function agent(a) {
  for (let n = 0; performance.now() < deadline; ++n) {
    const config = { configurable: { thread_id: `lg-${run}-${a}-${n}` } };
    const t0 = performance.now();
    try {
      const first = await graph.invoke(
        { action: { name: "refund", amount: 150, currency: "USD" }, verdict: null }, config);
      if (!first.__interrupt__ || first.__interrupt__.length === 0) {
        ++errors;
        continue;
      }
      const final = await new Promise((wake) => enqueue({ config, wake }));
      const t1 = performance.now();
      if (final && final.verdict === "approved") {
        if (t1 <= deadline) {
          ++cycles;
          latencies.push(t1 - t0);
        }
      } else {
        ++errors;
      }
    } catch (e) {
      ++errors;
      if (errors === 1) console.error(e);
    }
  }
  --agentsRunning;
  if (agentsRunning === 0) finish(false);
}

async function reviewer() {
  for (;;) {
    const item = await nextItem();
    let final = null;
    try {
      final = await graph.invoke(new Command({ resume: { verdict: "approved" } }), item.config);
    } catch (e) {
      ++errors;
      if (errors === 1) console.error(e);
    }
    item.wake(final);
  }
}

let finished = false;
function finish(timedOut) {
  if (finished) return;
  finished = true;
  clearTimeout(hardTimer);
  latencies.sort((x, y) => x - y);
  const at = (p) => (latencies.length ? latencies[Math.round(p * (latencies.length - 1))] : 0);
  console.log(`cycles_per_s ${(cycles / args.seconds).toFixed(0)} cycles ${cycles} seconds ${args.seconds} ` +
              `p50_ms ${at(0.5).toFixed(2)} p99_ms ${at(0.99).toFixed(2)} agents ${args.agents} ` +
              `reviewers ${args.reviewers} errors ${errors} journal_mode ${journalMode} ` +
              `synchronous ${synchronous}${timedOut ? " timed_out 1" : ""}`);
  process.exit(0);
}

for (let r = 0; r < args.reviewers; ++r) reviewer();
for (let a = 0; a < args.agents; ++a) agent(a);
