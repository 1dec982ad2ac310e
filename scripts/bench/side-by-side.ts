/**
 * `npm run bench`: the mock, the baseline (the mock built from an earlier commit, `mock@REF`: baseline.ts),
 * Prism and the ceiling. Each is started `startupRuns` times, one after another (start-up to first answer,
 * RSS after start); the last start of each stays up. Then each scenario is run at 50 connections against
 * one server at a time, in rounds that take turns between the servers (mock, mock@REF, Prism, ceiling,
 * mock, ...), so that a slower spell of a shared machine falls on all of them alike; a row's req/s and
 * percentiles are the medians of its rounds, and a ratio is the median of the rounds' ratios. The load
 * comes from wrk when it is on the PATH, else autocannon; where `taskset` is, the load generator runs on
 * core 0 and the servers on core 1. A run with an error or a non-2xx answer fails.
 *
 * GET list also has its turn in the fetch adapter, in process (`fetch in-process`: in-process.ts, started
 * by fetch-contender.ts): 50 requests in flight through `createMockFetch`'s fetch, with no socket, in a
 * process on the servers' core.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Baseline, isSkipped, type SkippedBaseline } from "./baseline.ts";
import { FETCH_CONTENDER, type FetchContender, startFetchContender } from "./fetch-contender.ts";
import { type LoadResult, summarise } from "./load.ts";
import { printHead, printTargets, type ReportHead, reportHead, roundedRow } from "./load-report.ts";
import { FULL_ROUNDS, pinGenerator, type RoundSettings, SMOKE_ROUNDS, startLoad } from "./load-setup.ts";
import type { Run, RunOptions, Scenario } from "./load-types.ts";
import { pinned } from "./pinning.ts";
import { probe, type RunningServer, type ServerSpec, startServer } from "./processes.ts";
import { markdownTable, mb, median, packageVersion, round, type Target, table, target } from "./report.ts";
import { API_KEY, ceilingSpec, MOCK_BASE_PATH, mockSpec, prismSpec } from "./servers.ts";

export interface SideBySideSettings extends RoundSettings {
  startupRuns: number;
}

export const FULL: SideBySideSettings = { ...FULL_ROUNDS, startupRuns: 5 };
export const SMOKE: SideBySideSettings = { ...SMOKE_ROUNDS, startupRuns: 1 };

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

export interface SideBySideReport extends ReportHead {
  kind: "side-by-side";
  settings: SideBySideSettings;
  startup: StartupRow[];
  load: LoadRow[];
  /** The earlier commit's mock run beside today's, or why it was not; null when none was asked for. */
  baseline: { asked: string; commit: string | null; server: string | null; skipped: string | null } | null;
  /** The fetch adapter in process: start to a seeded mock, and the seeding alone; null when not run. */
  inProcess: { startupMs: number; seededMs: number } | null;
  ratios: Ratio[];
  targets: Target[];
}

/** Paired ratios of req/s for one scenario (null where one side did not run it). */
export interface Ratio {
  scenario: string;
  mockOverPrism: number;
  mockOverCeiling: number | null;
  /** Today's mock over the earlier commit's (`mock@REF`). */
  mockOverBaseline: number | null;
  /** The fetch adapter in process over the HTTP mock. */
  fetchOverMock: number | null;
}

export const LIST_SCENARIO = "GET /contact?page=2&limit=20";
export const POST_SCENARIO = "POST /contact";
/** A new contact; every `{n}` is unique to the request, so every email is new (a repeated one is a 409). */
export const NEW_CONTACT = JSON.stringify({ name: "Bench Contact {n}", email: "bench-{n}@example.com", lang: "en" });

/** The scenarios, with the ids they cycle through (read from the mock). */
function scenarios(contacts: string[], chats: string[]): Scenario[] {
  return [
    { name: LIST_SCENARIO, method: "GET", paths: ["/contact?page=2&limit=20"] },
    { name: "GET /contact/{id}", method: "GET", paths: contacts.map((id) => `/contact/${id}`) },
    { name: "GET /chat/{id}/message", method: "GET", paths: chats.map((id) => `/chat/${id}/message`) },
    // Last: it adds contacts.
    { name: POST_SCENARIO, method: "POST", paths: ["/contact"], body: NEW_CONTACT },
  ];
}

/** One answer of the ceiling: the mock's own answer to that request, as bytes (ceiling-server.js). */
interface Answer {
  method: string;
  url: string;
  status: number;
  body: string;
}

/**
 * The scenarios, and the mock's answer to each request they send, for the ceiling to give as fixed bytes.
 * A write's answer is that of one contact created (with `{n}` = `sample`) and deleted again, so the pages
 * read afterwards are those the scenarios meet.
 */
async function readScenarios(mock: RunningServer): Promise<{ scenarios: Scenario[]; answers: Answer[] }> {
  const send = async (method: string, path: string, body?: string) => {
    const response = await fetch(`${mock.origin}${MOCK_BASE_PATH}${path}`, {
      method,
      headers: { "x-api-key": API_KEY, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
      ...(body !== undefined ? { body } : {}),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return { method, url: `${MOCK_BASE_PATH}${path}`, status: response.status, body: text };
  };
  const created = await send("POST", "/contact", NEW_CONTACT.replaceAll("{n}", `sample-${Date.now().toString(36)}`));
  await send("DELETE", `/contact/${(JSON.parse(created.body) as { guid: string }).guid}`);
  const guids = (answer: Answer) => (JSON.parse(answer.body) as { data: { guid: string }[] }).data.map((x) => x.guid);
  const contacts = guids(await send("GET", "/contact?page=1&limit=100"));
  const chats = guids(await send("GET", "/chat?page=1&limit=100"));
  if (contacts.length === 0 || chats.length === 0) throw new Error("the mock has no contacts or no chats to read");
  const list = scenarios(contacts, chats);
  const answers: Answer[] = [];
  for (const scenario of list) {
    if (scenario.body !== undefined) {
      for (const path of scenario.paths) answers.push({ ...created, url: `${MOCK_BASE_PATH}${path}` });
      continue;
    }
    for (const path of scenario.paths) answers.push(await send(scenario.method, path));
  }
  return { scenarios: list, answers };
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

/** What takes turns in the rounds: a server under a load generator, or the fetch adapter in process. */
interface Contender {
  name: string;
  /** The scenarios it is loaded with, by name: a baseline's with its own ids; one it lacks is not run on it. */
  scenarios: Map<string, Scenario>;
  run(scenario: Scenario, options: RunOptions): Promise<Run>;
  rss(): number | undefined;
}

export interface LoadChoice {
  /** The load generator asked for (`--generator`); by default wrk when it is on the PATH, else autocannon. */
  generator?: "wrk" | "autocannon";
  /** Whether to pin the generator and the servers to cores of their own, where `taskset` is (default yes). */
  pinning?: boolean;
  /** The earlier commit's mock, built (baseline.ts), to run beside today's; or why it could not be. */
  baseline?: Baseline | SkippedBaseline;
  /** Whether GET list also runs through the fetch adapter in process (default yes). */
  inProcess?: boolean;
}

export async function sideBySide(
  settings: SideBySideSettings,
  choice: LoadChoice = {},
  log: (line: string) => void = console.log,
): Promise<SideBySideReport> {
  const start = await startLoad(settings, choice, "wrk, one thread", log);
  const { pinning, generator, options } = start;
  const serverCore = pinning.serverCore;
  const startup: StartupRow[] = [];
  const rows: LoadRow[] = [];
  const running: RunningServer[] = [];
  let fetchContender: FetchContender | undefined;
  const baseline = choice.baseline !== undefined && !isSkipped(choice.baseline) ? choice.baseline : undefined;
  const baselineName = choice.baseline?.commit ? `mock@${choice.baseline.commit}` : null;
  const scratch = mkdtempSync(join(tmpdir(), "converseiq-bench-"));
  const unpin = pinGenerator(start);
  try {
    log("start-up to first answer:");
    const mock = await timedStarts(pinned(mockSpec(), serverCore), settings.startupRuns, log);
    running.push(mock.server);
    startup.push(mock.row);
    const read = await readScenarios(mock.server);
    const http = (server: RunningServer, basePath: string, list: Scenario[]): Contender => ({
      name: server.name,
      scenarios: new Map(list.map((scenario) => [scenario.name, scenario])),
      run: (scenario, runOptions) => generator.run(`${server.origin}${basePath}`, scenario, runOptions),
      rss: () => server.rss(),
    });
    const contenders: Contender[] = [http(mock.server, MOCK_BASE_PATH, read.scenarios)];
    if (baseline && baselineName) {
      const spec = mockSpec([], 30_000, { bundle: baseline.bundle, name: baselineName });
      const old = await timedStarts(pinned(spec, serverCore), settings.startupRuns, log);
      running.push(old.server);
      startup.push(old.row);
      // Its own ids: the same seed should give the same ones, but an earlier store need not.
      contenders.push(http(old.server, MOCK_BASE_PATH, (await readScenarios(old.server)).scenarios));
    }
    if (choice.inProcess ?? true) {
      fetchContender = await startFetchContender(serverCore);
      log(
        `  ${FETCH_CONTENDER}: seeded in ${Math.round(fetchContender.seededMs)} ms, ` +
          `ready ${Math.round(fetchContender.startupMs)} ms after start (GET list only)`,
      );
      const list = read.scenarios.filter((scenario) => scenario.name === LIST_SCENARIO);
      contenders.push({ ...fetchContender, scenarios: new Map(list.map((scenario) => [scenario.name, scenario])) });
    }
    const prism = await timedStarts(pinned(prismSpec, serverCore), settings.startupRuns, log);
    running.push(prism.server);
    startup.push(prism.row);
    // A sanity check that Prism answers the scenarios at all (its examples), not 404s.
    const status = await probe(prism.server.origin, "/contact?page=2&limit=20", { "x-api-key": API_KEY });
    if (status !== 200) throw new Error(`prism answered ${status} to ${LIST_SCENARIO}`);
    contenders.push(http(prism.server, "", read.scenarios));
    const answersFile = join(scratch, "answers.json");
    writeFileSync(answersFile, JSON.stringify(read.answers));
    const ceiling = await timedStarts(pinned(ceilingSpec(answersFile), serverCore), settings.startupRuns, log);
    running.push(ceiling.server);
    startup.push(ceiling.row);
    // The mock's own answers as fixed bytes: what the mock would do if answering cost nothing.
    contenders.push(http(ceiling.server, MOCK_BASE_PATH, read.scenarios));

    const load =
      settings.amount === undefined
        ? `${settings.durationS} s`
        : generator.name === "autocannon"
          ? `${settings.amount} requests`
          : `${settings.durationS} s paced to about ${settings.amount} requests`;
    log(
      `load: ${settings.connections} connections, ${settings.rounds} round(s) of ${load} per server and scenario, ` +
        `taking turns (the ceiling answers with the mock's own answers, ${read.answers.length} of them)`,
    );
    for (const { name: scenarioName } of read.scenarios) {
      const turns = contenders.filter((contender) => contender.scenarios.has(scenarioName));
      const runs = new Map<Contender, Run[]>(turns.map((contender) => [contender, []]));
      for (let turn = 0; turn < settings.rounds; turn++) {
        for (const contender of turns) {
          const scenario = contender.scenarios.get(scenarioName);
          if (!scenario) continue;
          const once = async (runOptions: RunOptions) =>
            failOnErrors(contender.name, scenario, await contender.run(scenario, runOptions));
          if (turn === 0 && settings.warmupS > 0) await once({ ...options, durationS: settings.warmupS });
          runs.get(contender)?.push(await once(options));
        }
      }
      for (const contender of turns) {
        const result = summarise(runs.get(contender) ?? []);
        const row = { server: contender.name, scenario: scenarioName, ...result, rssMB: mb(contender.rss()) };
        log(
          `  ${contender.name} ${scenarioName}: ${Math.round(row.reqPerS)} req/s (rounds ${row.roundsReqPerS.join(", ")}), ` +
            `p99 ${row.p99Ms.toFixed(2)} ms, ${row.errors} errors, ${row.non2xx} non-2xx`,
        );
        rows.push(row);
      }
    }
  } finally {
    unpin();
    await fetchContender?.stop();
    for (const server of running) await server.stop();
    rmSync(scratch, { recursive: true, force: true });
  }

  const find = (server: string, scenario: string) => rows.find((r) => r.server === server && r.scenario === scenario);
  // A ratio is the median of the rounds' ratios: each round of one side is paired with the other side's
  // round of the same turn, which ran a few seconds from it, so a busy spell of the machine falls on both.
  const pairedRatio = (scenario: string, mine: string, other: string | null): number | null => {
    const ours = find(mine, scenario)?.roundsReqPerS;
    const theirs = other === null ? undefined : find(other, scenario)?.roundsReqPerS;
    if (!ours || !theirs) return null;
    return round(median(ours.map((rate, i) => rate / (theirs[i] ?? Number.NaN))), 2);
  };
  const ratios: Ratio[] = [...new Set(rows.map((r) => r.scenario))].map((scenario) => ({
    scenario,
    mockOverPrism: pairedRatio(scenario, "mock", "prism") ?? Number.NaN,
    mockOverCeiling: pairedRatio(scenario, "mock", "ceiling"),
    mockOverBaseline: pairedRatio(scenario, "mock", baseline ? baselineName : null),
    fetchOverMock: pairedRatio(scenario, FETCH_CONTENDER, "mock"),
  }));
  const list = ratios.find((r) => r.scenario === LIST_SCENARIO);
  const post = ratios.find((r) => r.scenario === POST_SCENARIO);
  const targets = [
    target("GET list req/s, mock/Prism", list?.mockOverPrism ?? Number.NaN, ">=", 7, "×"),
    target("GET list req/s, mock/ceiling", list?.mockOverCeiling ?? Number.NaN, ">=", 0.6, "×"),
    target("GET list p99", find("mock", LIST_SCENARIO)?.p99Ms ?? Number.NaN, "<=", 10, " ms"),
    target("POST req/s, mock/Prism", post?.mockOverPrism ?? Number.NaN, ">=", 5, "×"),
    target("mock start-up to first answer (median)", startup[0]?.medianMs ?? Number.NaN, "<=", 400, " ms"),
    // Within 10% of the earlier commit's server, measured in the same rounds (a skipped baseline: a MISS).
    ...(choice.baseline
      ? [
          target(
            `GET list req/s, mock/${baselineName ?? "baseline"}`,
            list?.mockOverBaseline ?? Number.NaN,
            ">=",
            0.9,
            "×",
          ),
          target(
            `POST req/s, mock/${baselineName ?? "baseline"}`,
            post?.mockOverBaseline ?? Number.NaN,
            ">=",
            0.9,
            "×",
          ),
        ]
      : []),
    ...(fetchContender
      ? [target(`GET list req/s, ${FETCH_CONTENDER}/HTTP mock`, list?.fetchOverMock ?? Number.NaN, ">", 1, "×")]
      : []),
  ];
  return {
    kind: "side-by-side",
    ...reportHead(start, { prism: packageVersion("@stoplight/prism-cli"), fastify: packageVersion("fastify") }),
    settings,
    baseline: choice.baseline
      ? {
          asked: choice.baseline.asked,
          commit: choice.baseline.commit,
          server: baseline ? baselineName : null,
          skipped: isSkipped(choice.baseline) ? choice.baseline.skipped : null,
        }
      : null,
    inProcess: fetchContender
      ? { startupMs: round(fetchContender.startupMs, 1), seededMs: round(fetchContender.seededMs, 1) }
      : null,
    startup,
    load: rows.map(roundedRow),
    ratios,
    targets,
  };
}

/** A run with an error, a timeout or an answer that was no 2xx fails the benchmark, naming it. */
function failOnErrors(name: string, scenario: Scenario, result: Run): Run {
  if (result.errors + result.timeouts + result.non2xx > 0) {
    throw new Error(
      `${name} ${scenario.name}: ${result.errors} connection errors, ${result.timeouts} timeouts, ` +
        `${result.non2xx} answers that were no 2xx, of ${result.requests} requests: the numbers would measure failures`,
    );
  }
  if (result.requests === 0) throw new Error(`${name} ${scenario.name}: no request was answered`);
  return result;
}

/** The ratios as a table: a column for the baseline and one for the fetch adapter when they ran. */
function ratioTable(report: SideBySideReport): [string[], (string | number)[][]] {
  const withBaseline = report.baseline?.server != null;
  const withFetch = report.inProcess !== null;
  const header = [
    "scenario",
    "mock/Prism",
    "mock/ceiling",
    ...(withBaseline ? [`mock/${report.baseline?.server}`] : []),
    ...(withFetch ? ["fetch in-process/mock"] : []),
  ];
  const rows = report.ratios.map((r) => [
    r.scenario,
    r.mockOverPrism,
    r.mockOverCeiling ?? "—",
    ...(withBaseline ? [r.mockOverBaseline ?? "—"] : []),
    ...(withFetch ? [r.fetchOverMock ?? "—"] : []),
  ]);
  return [header, rows];
}

const LOAD_HEADER = ["server", "scenario", "req/s", "p50 ms", "p99 ms", "errors", "non-2xx", "RSS MB"];
const loadCells = (r: LoadRow) => [r.server, r.scenario, r.reqPerS, r.p50Ms, r.p99Ms, r.errors, r.non2xx, r.rssMB];

export function printSideBySide(report: SideBySideReport, log: (line: string) => void = console.log): void {
  printHead(report, log);
  const { connections, warmupS, rounds, durationS } = report.settings;
  log(
    `${connections} connections; per server and scenario ${warmupS} s warm-up, then ${rounds} round(s) of ${durationS} s taking turns\n`,
  );
  const { baseline } = report;
  if (baseline) {
    log(
      baseline.skipped === null
        ? `baseline: ${baseline.server} (${baseline.asked})`
        : `BASELINE SKIPPED (${baseline.asked}${baseline.commit ? `, ${baseline.commit}` : ""}): ${baseline.skipped}`,
    );
  }
  log(table(LOAD_HEADER, report.load.map(loadCells)));
  log("");
  log(table(...ratioTable(report)));
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
  printTargets(report, log);
}

/** The load table and start-up times as Markdown, for `docs/performance.md`. */
export function markdownSideBySide(report: SideBySideReport): string {
  return [
    markdownTable(LOAD_HEADER, report.load.map(loadCells)),
    "",
    markdownTable(...ratioTable(report)),
    "",
    markdownTable(
      ["server", "start-up to first answer, median ms", "RSS after start MB"],
      report.startup.map((s) => [s.server, s.medianMs, s.rssAfterStartMB]),
    ),
  ].join("\n");
}
