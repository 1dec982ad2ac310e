/**
 * `npm run bench`: the mock, Prism and the ceiling. Each is started `startupRuns` times, one after another
 * (start-up to first answer, RSS after start); the last start of each stays up. Then each scenario is run
 * at 50 connections against one server at a time, in rounds that take turns between the servers (mock,
 * Prism, ceiling, mock, ...), so that a slower spell of a shared machine falls on all of them alike; a
 * row's req/s is the median of its rounds, its latencies are pooled over them, and a ratio is the median
 * of the rounds' ratios.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type LoadResult, type Run, type RunOptions, run, type Scenario, summarise } from "./load.ts";
import { probe, type RunningServer, type ServerSpec, startServer } from "./processes.ts";
import {
  type Machine,
  machine,
  markdownTable,
  mb,
  median,
  packageVersion,
  revision,
  round,
  type Target,
  table,
  target,
  targetLines,
} from "./report.ts";
import { API_KEY, ceilingSpec, MOCK_BASE_PATH, mockSpec, prismSpec } from "./servers.ts";

export interface SideBySideSettings {
  connections: number;
  /** Seconds per round; a smoke run gives `amount` (requests per round) instead. */
  durationS: number;
  amount?: number;
  /** Seconds of warm-up, not counted, before a server's first round of each scenario. */
  warmupS: number;
  rounds: number;
  startupRuns: number;
}

export const FULL: SideBySideSettings = { connections: 50, durationS: 2.5, warmupS: 2, rounds: 5, startupRuns: 5 };
export const SMOKE: SideBySideSettings = {
  connections: 4,
  durationS: 1,
  amount: 100,
  warmupS: 0,
  rounds: 1,
  startupRuns: 1,
};

interface StartupRow {
  server: string;
  runsMs: number[];
  medianMs: number;
  rssAfterStartMB: number;
}

interface LoadRow extends LoadResult {
  server: string;
  scenario: string;
  rssMB: number;
}

export interface SideBySideReport {
  kind: "side-by-side";
  date: string;
  machine: Machine;
  machineAfter: Pick<Machine, "loadAverage">;
  revision: string;
  versions: Record<string, string>;
  settings: SideBySideSettings;
  startup: StartupRow[];
  load: LoadRow[];
  ratios: { scenario: string; mockOverPrism: number; mockOverCeiling: number | null }[];
  targets: Target[];
}

/** The ids the scenarios cycle through, and the bytes of the page the ceiling answers with. */
interface Fixtures {
  contacts: string[];
  chats: string[];
  page2: Buffer;
}

export const LIST_SCENARIO = "GET /contact?page=2&limit=20";

function scenarios(fixtures: Fixtures): Scenario[] {
  const tag = Date.now().toString(36);
  return [
    { name: LIST_SCENARIO, method: "GET", paths: ["/contact?page=2&limit=20"] },
    { name: "GET /contact/{id}", method: "GET", paths: fixtures.contacts.map((id) => `/contact/${id}`) },
    { name: "GET /chat/{id}/message", method: "GET", paths: fixtures.chats.map((id) => `/chat/${id}/message`) },
    // Last: it adds contacts, and every email is new (a repeated one is a 409).
    {
      name: "POST /contact",
      method: "POST",
      paths: ["/contact"],
      body: (n) => ({ name: `Bench Contact ${n}`, email: `bench-${tag}-${n}@example.com`, lang: "en" }),
    },
  ];
}

async function readFixtures(mock: RunningServer): Promise<Fixtures> {
  const get = async (path: string) => {
    const response = await fetch(`${mock.origin}${MOCK_BASE_PATH}${path}`, { headers: { "x-api-key": API_KEY } });
    if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
    return Buffer.from(await response.arrayBuffer());
  };
  const guids = (bytes: Buffer) =>
    (JSON.parse(bytes.toString()) as { data: { guid: string }[] }).data.map((x) => x.guid);
  const contacts = guids(await get("/contact?page=1&limit=100"));
  const chats = guids(await get("/chat?page=1&limit=100"));
  if (contacts.length === 0 || chats.length === 0) throw new Error("the mock has no contacts or no chats to read");
  return { contacts, chats, page2: await get("/contact?page=2&limit=20") };
}

/** Starts a server `runs` times; stops all but the last start, which is returned running. */
async function timedStarts(spec: ServerSpec, runs: number, log: (line: string) => void) {
  const runsMs: number[] = [];
  const rss: number[] = [];
  let server: RunningServer | undefined;
  for (let i = 0; i < runs; i++) {
    if (server) await server.stop();
    server = await startServer(spec);
    runsMs.push(round(server.startupMs, 1));
    rss.push(server.rss() ?? Number.NaN);
  }
  if (!server) throw new Error("no start");
  const row: StartupRow = {
    server: spec.name,
    runsMs,
    medianMs: round(median(runsMs), 1),
    rssAfterStartMB: mb(median(rss)),
  };
  log(`  ${spec.name}: start-up ${runsMs.map((ms) => Math.round(ms)).join(", ")} ms; RSS ${row.rssAfterStartMB} MB`);
  return { server, row };
}

/** A server under load, and what it is asked. */
interface Contender {
  server: RunningServer;
  /** Where the API is on it: `/public/v1` on the mock, the root on Prism. */
  basePath: string;
  /** Which scenarios it runs (the ceiling only the list). */
  runs: (scenario: Scenario) => boolean;
}

export async function sideBySide(
  settings: SideBySideSettings,
  log: (line: string) => void = console.log,
): Promise<SideBySideReport> {
  const date = new Date().toISOString();
  const before = machine();
  const options: RunOptions = {
    connections: settings.connections,
    durationS: settings.durationS,
    ...(settings.amount !== undefined ? { amount: settings.amount } : {}),
    headers: { "x-api-key": API_KEY },
  };
  const startup: StartupRow[] = [];
  const rows: LoadRow[] = [];
  const running: RunningServer[] = [];
  const scratch = mkdtempSync(join(tmpdir(), "converseiq-bench-"));
  try {
    log("start-up to first answer:");
    const mock = await timedStarts(mockSpec(), settings.startupRuns, log);
    running.push(mock.server);
    startup.push(mock.row);
    const fixtures = await readFixtures(mock.server);
    const prism = await timedStarts(prismSpec, settings.startupRuns, log);
    running.push(prism.server);
    startup.push(prism.row);
    // A sanity check that Prism answers the scenarios at all (its examples), not 404s.
    const status = await probe(prism.server.origin, "/contact?page=2&limit=20", { "x-api-key": API_KEY });
    if (status !== 200) throw new Error(`prism answered ${status} to ${LIST_SCENARIO}`);
    const bodyFile = join(scratch, "page2.json");
    writeFileSync(bodyFile, fixtures.page2);
    const ceiling = await timedStarts(ceilingSpec(bodyFile), settings.startupRuns, log);
    running.push(ceiling.server);
    startup.push(ceiling.row);

    const contenders: Contender[] = [
      { server: mock.server, basePath: MOCK_BASE_PATH, runs: () => true },
      { server: prism.server, basePath: "", runs: () => true },
      // The ceiling answers its fixed page to anything: only the list is a like-for-like comparison.
      { server: ceiling.server, basePath: MOCK_BASE_PATH, runs: (s) => s.name === LIST_SCENARIO },
    ];
    const load = settings.amount !== undefined ? `${settings.amount} requests` : `${settings.durationS} s`;
    log(
      `load: ${settings.connections} connections, ${settings.rounds} round(s) of ${load} per server and scenario, ` +
        `taking turns (the ceiling's body: the mock's page 2, ${fixtures.page2.length} bytes)`,
    );
    for (const scenario of scenarios(fixtures)) {
      const taking = contenders.filter((c) => c.runs(scenario));
      const runs = new Map<RunningServer, Run[]>(taking.map((t) => [t.server, []]));
      for (let turn = 0; turn < settings.rounds; turn++) {
        for (const { server, basePath } of taking) {
          const base = `${server.origin}${basePath}`;
          if (turn === 0 && settings.warmupS > 0) {
            await run(base, scenario, { ...options, durationS: settings.warmupS }, false);
          }
          runs.get(server)?.push(await run(base, scenario, options));
        }
      }
      for (const { server } of taking) {
        const result = summarise(runs.get(server) ?? []);
        const row = { server: server.name, scenario: scenario.name, ...result, rssMB: mb(server.rss()) };
        log(
          `  ${server.name} ${scenario.name}: ${Math.round(row.reqPerS)} req/s (rounds ${row.roundsReqPerS.join(", ")}), ` +
            `p99 ${row.p99Ms.toFixed(2)} ms, ${row.errors} errors, ${row.non2xx} non-2xx`,
        );
        rows.push(row);
      }
    }
  } finally {
    for (const server of running) await server.stop();
    rmSync(scratch, { recursive: true, force: true });
  }

  const find = (server: string, scenario: string) => rows.find((r) => r.server === server && r.scenario === scenario);
  // A ratio is the median of the rounds' ratios: each round of the mock is paired with the round of the
  // other server that ran right after it, so a busy spell of the machine falls on both sides of a pair.
  const pairedRatio = (scenario: string, other: string): number | null => {
    const mine = find("mock", scenario)?.roundsReqPerS;
    const theirs = find(other, scenario)?.roundsReqPerS;
    if (!mine || !theirs) return null;
    return round(median(mine.map((rate, i) => rate / (theirs[i] ?? Number.NaN))), 2);
  };
  const ratios = [...new Set(rows.map((r) => r.scenario))].map((scenario) => ({
    scenario,
    mockOverPrism: pairedRatio(scenario, "prism") ?? Number.NaN,
    mockOverCeiling: pairedRatio(scenario, "ceiling"),
  }));
  const list = ratios.find((r) => r.scenario === LIST_SCENARIO);
  const post = ratios.find((r) => r.scenario === "POST /contact");
  const targets = [
    target("GET list req/s, mock/Prism", list?.mockOverPrism ?? Number.NaN, ">=", 6, "×"),
    target("GET list req/s, mock/ceiling", list?.mockOverCeiling ?? Number.NaN, ">=", 0.45, "×"),
    target("GET list p99", find("mock", LIST_SCENARIO)?.p99Ms ?? Number.NaN, "<=", 10, " ms"),
    target("POST req/s, mock/Prism", post?.mockOverPrism ?? Number.NaN, ">=", 5, "×"),
    target("mock start-up to first answer (median)", startup[0]?.medianMs ?? Number.NaN, "<=", 400, " ms"),
  ];
  return {
    kind: "side-by-side",
    date,
    machine: before,
    machineAfter: { loadAverage: machine().loadAverage },
    revision: revision(),
    versions: {
      autocannon: packageVersion("autocannon"),
      prism: packageVersion("@stoplight/prism-cli"),
      fastify: packageVersion("fastify"),
    },
    settings,
    startup,
    load: rows.map((r) => ({
      ...r,
      reqPerS: Math.round(r.reqPerS),
      p50Ms: round(r.p50Ms, 2),
      p99Ms: round(r.p99Ms, 2),
      maxMs: round(r.maxMs, 2),
    })),
    ratios,
    targets,
  };
}

const LOAD_HEADER = ["server", "scenario", "req/s", "p50 ms", "p99 ms", "errors", "non-2xx", "RSS MB"];
const loadCells = (r: LoadRow) => [r.server, r.scenario, r.reqPerS, r.p50Ms, r.p99Ms, r.errors, r.non2xx, r.rssMB];

export function printSideBySide(report: SideBySideReport, log: (line: string) => void = console.log): void {
  const m = report.machine;
  log(`\n${report.date}  ${m.cpus}× ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}, at ${report.revision}`);
  log(`load average before ${m.loadAverage.join(" ")}, after ${report.machineAfter.loadAverage.join(" ")}`);
  const { connections, warmupS, rounds, durationS } = report.settings;
  log(
    `${connections} connections; per server and scenario ${warmupS} s warm-up, then ${rounds} round(s) of ${durationS} s taking turns\n`,
  );
  log(table(LOAD_HEADER, report.load.map(loadCells)));
  log("");
  log(
    table(
      ["scenario", "mock/Prism", "mock/ceiling"],
      report.ratios.map((r) => [r.scenario, r.mockOverPrism, r.mockOverCeiling ?? "—"]),
    ),
  );
  log("");
  log(
    table(
      ["server", "start-up ms (median)", "runs ms", "RSS after start MB"],
      report.startup.map((s) => [
        s.server,
        s.medianMs,
        s.runsMs.map((ms) => Math.round(ms)).join(", "),
        s.rssAfterStartMB,
      ]),
    ),
  );
  if (report.settings.amount !== undefined) {
    log("\nA smoke run (a few requests each): it shows the script works; its numbers are no measurement.");
    return;
  }
  log("\nTargets:");
  for (const line of targetLines(report.targets)) log(line);
}

/** The load table and start-up times as Markdown, for the README's performance section. */
export function markdownSideBySide(report: SideBySideReport): string {
  return [
    markdownTable(LOAD_HEADER, report.load.map(loadCells)),
    "",
    markdownTable(
      ["scenario", "mock/Prism", "mock/ceiling"],
      report.ratios.map((r) => [r.scenario, r.mockOverPrism, r.mockOverCeiling ?? "—"]),
    ),
    "",
    markdownTable(
      ["server", "start-up to first answer, median ms", "RSS after start MB"],
      report.startup.map((s) => [s.server, s.medianMs, s.rssAfterStartMB]),
    ),
  ].join("\n");
}
