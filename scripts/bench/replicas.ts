/**
 * `npm run bench -- --replicas`: the mock with its state in memory beside replicas that share theirs through
 * Redis (`--redis`), in one run: the mock in memory, one replica on Redis, and two replicas on Redis (one
 * prefix each, so the setups never share a state). The Redis is the benchmark's own (redis-server.ts), on
 * the load generator's core; the mocks run on the server core. Replicas read with the default consistency,
 * strong: a read first catches up with the stream (one Redis round trip).
 *
 * Two scenarios, those of the side-by-side run: a page of contacts (GET list) and creating a contact (POST,
 * a new email each time). Each is run against one setup at a time, in rounds that take turns (in memory,
 * 1 replica, 2 replicas, in memory, ...), after a warm-up; a row's req/s and percentiles are the medians of
 * its rounds, a ratio to in memory the median of the ratios of the rounds of one turn. Two replicas are
 * loaded as a load balancer spreading connections would: one load generator per replica at the same time,
 * each with half the connections; their req/s are summed and the larger of their percentiles is kept.
 * After the rounds, the resident memory of each mock process (`VmRSS`) and of Redis.
 */
import { readFileSync } from "node:fs";
import { type LoadResult, summarise } from "./load.ts";
import { printHead, printTargets, type ReportHead, reportHead, roundedRow } from "./load-report.ts";
import { FULL_ROUNDS, pinGenerator, type RoundSettings, SMOKE_ROUNDS, startLoad } from "./load-setup.ts";
import type { LoadGenerator, Run, RunOptions, Scenario } from "./load-types.ts";
import { pinned } from "./pinning.ts";
import { type RunningServer, startServer } from "./processes.ts";
import { type BenchRedis, processRss, startRedis } from "./redis-server.ts";
import { mb, median, round, type Target, table, target } from "./report.ts";
import { API_KEY, MOCK_BASE_PATH, mockSpec, ROOT } from "./servers.ts";
import { LIST_SCENARIO, NEW_CONTACT, POST_SCENARIO } from "./side-by-side.ts";

/** `connections` are per setup: two replicas get half each. */
export type ReplicasSettings = RoundSettings;

export const FULL_REPLICAS: ReplicasSettings = FULL_ROUNDS;
export const SMOKE_REPLICAS: ReplicasSettings = SMOKE_ROUNDS;

export const IN_MEMORY = "in memory";
export const ONE_REPLICA = "1 replica on Redis";
export const TWO_REPLICAS = "2 replicas on Redis";

export const PUT_SCENARIO = "PUT /contact/{id}";

/**
 * The scenarios. PUT renames the seeded contacts (ids read from the mock): a write through the log like
 * POST, on a state that does not grow, so its latency is the replication's and not the collector's of a
 * store swelling by hundreds of thousands of contacts (which POST's tail is, in memory too).
 */
function scenarios(contacts: string[]): Scenario[] {
  return [
    { name: LIST_SCENARIO, method: "GET", paths: ["/contact?page=2&limit=20"] },
    { name: PUT_SCENARIO, method: "PUT", paths: contacts.map((id) => `/contact/${id}`), body: RENAME },
    // Last: it adds contacts.
    { name: POST_SCENARIO, method: "POST", paths: ["/contact"], body: NEW_CONTACT },
  ];
}

const RENAME = JSON.stringify({ name: "Bench Rename {n}" });

interface Row extends LoadResult {
  setup: string;
  scenario: string;
  /** The setup's req/s over in memory's: the median of the ratios of the rounds of one turn. */
  overInMemory: number | null;
}

interface ProcessMemory {
  process: string;
  pid: number;
  /** Milliseconds from spawning to its first answer (for a replica: Redis loaded), null for Redis. */
  startupMs: number | null;
  rssMB: number;
}

/** The mock's in-memory figures of an earlier side-by-side run (`reports/bench.json`), to compare with. */
interface Reference {
  file: string;
  date: string;
  revision: string;
  listReqPerS: number | null;
  postReqPerS: number | null;
}

export interface ReplicasReport extends ReportHead {
  kind: "replicas";
  /** Where Redis ran and how the setups were loaded, in words. */
  method: { redis: string; twoReplicas: string; consistency: string };
  settings: ReplicasSettings;
  load: Row[];
  memoryAfter: ProcessMemory[];
  /** The contacts each of the two replicas holds after the rounds: the same when they share one state. */
  twoReplicasAfter: { replica: string; contacts: number }[];
  reference: Reference | null;
  targets: Target[];
}

interface Setup {
  name: string;
  servers: RunningServer[];
}

export async function replicas(
  redisServer: string,
  settings: ReplicasSettings,
  choice: { generator?: "wrk" | "autocannon"; pinning?: boolean } = {},
  log: (line: string) => void = console.log,
): Promise<ReplicasReport> {
  const start = await startLoad(settings, choice, "wrk, one thread, one per replica", log);
  const { pinning, generator, options } = start;
  const serverCore = pinning.serverCore;
  // A prefix of its own per setup and per run: the two setups on Redis never share a state.
  const run = Date.now().toString(36);
  const servers: RunningServer[] = [];
  let redis: BenchRedis | undefined;
  const unpin = pinGenerator(start);
  const rows: Row[] = [];
  const memoryAfter: ProcessMemory[] = [];
  const agreement: ReplicasReport["twoReplicasAfter"] = [];
  let method: ReplicasReport["method"];
  try {
    redis = await startRedis(redisServer, pinning.loadGeneratorCore);
    const redisWhere = redis.core === null ? "no pinning" : `on core ${redis.core}, the load generator's`;
    log(`redis-server ${redis.version} at ${redis.url}, no persistence (${redisWhere})`);
    const start = async (name: string, args: string[]) => {
      const server = await startServer(pinned(mockSpec(args, 60_000, { name }), serverCore));
      servers.push(server);
      log(`  ${name}: first answer after ${Math.round(server.startupMs)} ms`);
      return server;
    };
    const onRedis = (prefix: string) => ["--redis", redis?.url ?? "", "--redis-prefix", `bench-${run}-${prefix}`];
    log("starting the mocks:");
    const setups: Setup[] = [
      { name: IN_MEMORY, servers: [await start("mock in memory", [])] },
      { name: ONE_REPLICA, servers: [await start("replica (1 of 1)", onRedis("one"))] },
      // The first seeds its prefix, the second loads it.
      {
        name: TWO_REPLICAS,
        servers: [await start("replica A (of 2)", onRedis("two")), await start("replica B (of 2)", onRedis("two"))],
      },
    ];
    const half = Math.floor(settings.connections / 2);
    method = {
      redis: `redis-server ${redis.version}, --save '' (no persistence), ${redisWhere}`,
      twoReplicas:
        `one ${generator.name} per replica at the same time (${half} and ${settings.connections - half} ` +
        `connections), as a load balancer spreading connections would; req/s is their sum, p50 and p99 the ` +
        "larger of the two",
      consistency: "strong (the default): every read first catches up with the stream, one Redis round trip",
    };
    log(`two replicas: ${method.twoReplicas}`);
    const load =
      settings.amount === undefined
        ? `${settings.durationS} s`
        : `${settings.durationS} s (${settings.amount} requests, paced)`;
    log(
      `load: ${settings.connections} connections per setup, ${settings.warmupS} s warm-up, then ` +
        `${settings.rounds} round(s) of ${load} per setup and scenario, taking turns`,
    );

    const seeded = await fetch(`${setups[0]?.servers[0]?.origin}${MOCK_BASE_PATH}/contact?page=1&limit=100`, {
      headers: { "x-api-key": API_KEY },
    });
    const contacts = ((await seeded.json()) as { data: { guid: string }[] }).data.map((c) => c.guid);
    for (const scenario of scenarios(contacts)) {
      const runs = new Map<Setup, Run[]>(setups.map((s) => [s, []]));
      for (let turn = 0; turn < settings.rounds; turn++) {
        for (const s of setups) {
          if (turn === 0 && settings.warmupS > 0)
            await spread(generator, s, scenario, { ...options, durationS: settings.warmupS });
          runs.get(s)?.push(await spread(generator, s, scenario, options));
        }
      }
      const rates = (s: Setup) => (runs.get(s) ?? []).map((r) => r.requests / r.durationS);
      const inMemory = setups[0] ? rates(setups[0]) : [];
      for (const s of setups) {
        const result = summarise(runs.get(s) ?? []);
        const overInMemory =
          s.name === IN_MEMORY ? null : round(median(rates(s).map((rate, i) => rate / (inMemory[i] ?? Number.NaN))), 3);
        const row: Row = { setup: s.name, scenario: scenario.name, ...result, overInMemory };
        rows.push(row);
        log(
          `  ${s.name} ${scenario.name}: ${Math.round(row.reqPerS)} req/s (rounds ${row.roundsReqPerS.join(", ")})` +
            `${overInMemory === null ? "" : `, ${overInMemory}× in memory`}, p50 ${row.p50Ms.toFixed(2)} ms, ` +
            `p99 ${row.p99Ms.toFixed(2)} ms, ${row.errors + row.timeouts} errors, ${row.non2xx} non-2xx`,
        );
      }
    }
    const two = setups.find((s) => s.name === TWO_REPLICAS)?.servers ?? [];
    agreement.push(...(await settledCounts(two)));
    log(
      `  ${TWO_REPLICAS} after the rounds: ${agreement.map((a) => `${a.replica} holds ${a.contacts} contacts`).join(", ")}`,
    );
    for (const server of servers) {
      memoryAfter.push({
        process: server.name,
        pid: server.pid,
        startupMs: round(server.startupMs, 0),
        rssMB: mb(processRss(server.pid)),
      });
    }
    memoryAfter.push({ process: "redis-server", pid: redis.pid, startupMs: null, rssMB: mb(processRss(redis.pid)) });
  } finally {
    unpin();
    for (const server of servers) await server.stop();
    await redis?.stop();
  }

  const reference = readReference();
  const find = (setupName: string, scenario: string) =>
    rows.find((r) => r.setup === setupName && r.scenario === scenario);
  const inMemoryOver = (scenario: string, earlier: number | null | undefined) =>
    earlier ? (find(IN_MEMORY, scenario)?.reqPerS ?? Number.NaN) / earlier : Number.NaN;
  const problems = rows.reduce((total, r) => total + r.errors + r.timeouts + r.non2xx, 0);
  const c = settings.connections;
  const counts = agreement.map((a) => a.contacts);
  const targets = [
    ...(reference
      ? [
          target(
            `in memory GET list req/s, this run / ${reference.file} (${reference.date.slice(0, 10)})`,
            inMemoryOver(LIST_SCENARIO, reference.listReqPerS),
            ">=",
            0.9,
            "×",
          ),
          target(
            `in memory POST req/s, this run / ${reference.file} (${reference.date.slice(0, 10)})`,
            inMemoryOver(POST_SCENARIO, reference.postReqPerS),
            ">=",
            0.9,
            "×",
          ),
        ]
      : []),
    target(
      `${ONE_REPLICA} GET list req/s / in memory`,
      find(ONE_REPLICA, LIST_SCENARIO)?.overInMemory ?? Number.NaN,
      ">=",
      0.8,
      "×",
    ),
    target(
      `${ONE_REPLICA} POST p99 at ${c} connections`,
      find(ONE_REPLICA, POST_SCENARIO)?.p99Ms ?? Number.NaN,
      "<=",
      10,
      " ms",
    ),
    target(
      `${ONE_REPLICA} PUT p99 at ${c} connections (a state that does not grow)`,
      find(ONE_REPLICA, PUT_SCENARIO)?.p99Ms ?? Number.NaN,
      "<=",
      10,
      " ms",
    ),
    target(
      `${TWO_REPLICAS} POST p99 at ${c} connections`,
      find(TWO_REPLICAS, POST_SCENARIO)?.p99Ms ?? Number.NaN,
      "<=",
      10,
      " ms",
    ),
    target("connection errors, timeouts and non-2xx answers, all setups", problems, "<=", 0),
    target(
      `${TWO_REPLICAS}: contacts held, the larger count minus the smaller, after the rounds`,
      agreement.length === 2 ? Math.max(...counts) - Math.min(...counts) : Number.NaN,
      "<=",
      0,
    ),
  ];
  return {
    kind: "replicas",
    ...reportHead(start, { redis: redis?.version ?? "unknown" }),
    method: method,
    settings,
    load: rows.map(roundedRow),
    memoryAfter,
    twoReplicasAfter: agreement,
    reference,
    targets,
  };
}

/** How many contacts a mock holds (`total` of a page), read as any client would. */
async function contactsHeld(server: RunningServer): Promise<number> {
  const response = await fetch(`${server.origin}${MOCK_BASE_PATH}/contact?page=1&limit=1`, {
    headers: { "x-api-key": API_KEY },
  });
  if (!response.ok) throw new Error(`${server.name}: GET /contact answered ${response.status}`);
  return ((await response.json()) as { total: number }).total;
}

/**
 * The contacts each replica holds once the writes still under way when the load generator stopped (it
 * closes its connections; the replicas finish what they accepted) are done: read until two readings in a
 * row are the same, at most 50 times.
 */
async function settledCounts(servers: RunningServer[]): Promise<{ replica: string; contacts: number }[]> {
  let last = "";
  let counts: { replica: string; contacts: number }[] = [];
  for (let attempt = 0; attempt < 50; attempt++) {
    counts = [];
    for (const server of servers) counts.push({ replica: server.name, contacts: await contactsHeld(server) });
    const reading = JSON.stringify(counts);
    if (reading === last) break;
    last = reading;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return counts;
}

/** One run of a scenario against a setup: its replicas loaded at the same time, connections shared out. */
async function spread(generator: LoadGenerator, setup: Setup, scenario: Scenario, options: RunOptions): Promise<Run> {
  const count = setup.servers.length;
  const share = (total: number, i: number) => Math.floor(total / count) + (i < total % count ? 1 : 0);
  const runs = await Promise.all(
    setup.servers.map((server, i) =>
      generator.run(`${server.origin}${MOCK_BASE_PATH}`, scenario, {
        ...options,
        connections: share(options.connections, i),
        ...(options.amount !== undefined ? { amount: share(options.amount, i) } : {}),
      }),
    ),
  );
  return combine(runs);
}

/** Runs at the same time as one: requests summed, a duration that gives the sum of the rates, the larger latencies. */
export function combine(runs: Run[]): Run {
  const [only] = runs;
  if (runs.length === 1 && only) return only;
  const sum = (pick: (r: Run) => number) => runs.reduce((total, r) => total + pick(r), 0);
  const max = (pick: (r: Run) => number) => Math.max(...runs.map(pick));
  const requests = sum((r) => r.requests);
  const rate = sum((r) => r.requests / r.durationS);
  return {
    requests,
    durationS: rate > 0 ? requests / rate : Number.NaN,
    p50Ms: max((r) => r.p50Ms),
    p99Ms: max((r) => r.p99Ms),
    maxMs: max((r) => r.maxMs),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    non2xx: sum((r) => r.non2xx),
  };
}

/** The mock's GET list and POST req/s of the last side-by-side run, when its report is there. */
function readReference(file = "reports/bench.json"): Reference | null {
  try {
    const report = JSON.parse(readFileSync(`${ROOT}${file}`, "utf8")) as {
      date: string;
      revision: string;
      load: { server: string; scenario: string; reqPerS: number }[];
    };
    const rate = (scenario: string) =>
      report.load.find((r) => r.server === "mock" && r.scenario === scenario)?.reqPerS ?? null;
    return {
      file,
      date: report.date,
      revision: report.revision,
      listReqPerS: rate(LIST_SCENARIO),
      postReqPerS: rate(POST_SCENARIO),
    };
  } catch {
    return null;
  }
}

export function printReplicas(report: ReplicasReport, log: (line: string) => void = console.log): void {
  printHead(report, log);
  log(`redis: ${report.method.redis}`);
  log(`two replicas: ${report.method.twoReplicas}`);
  log(`replicas' consistency: ${report.method.consistency}`);
  const { connections, warmupS, rounds, durationS } = report.settings;
  log(
    `${connections} connections per setup; per setup and scenario ${warmupS} s warm-up, then ${rounds} round(s) of ${durationS} s taking turns\n`,
  );
  log(
    table(
      ["setup", "scenario", "req/s", "× in memory", "p50 ms", "p99 ms", "errors", "non-2xx"],
      report.load.map((r) => [
        r.setup,
        r.scenario,
        r.reqPerS,
        r.overInMemory ?? "—",
        r.p50Ms,
        r.p99Ms,
        r.errors + r.timeouts,
        r.non2xx,
      ]),
    ),
  );
  log("");
  log(
    table(
      ["process", "start-up ms", "RSS after the rounds MB"],
      report.memoryAfter.map((p) => [p.process, p.startupMs ?? "—", p.rssMB]),
    ),
  );
  const ref = report.reference;
  log(
    ref
      ? `\nin memory in ${ref.file} (${ref.date}, at ${ref.revision}): GET list ${ref.listReqPerS ?? "—"} req/s, ` +
          `POST ${ref.postReqPerS ?? "—"} req/s (another run: the machine may have been busier or quieter)`
      : "\nno reports/bench.json to compare the in-memory figures with: they are reported only",
  );
  printTargets(report, log);
}
