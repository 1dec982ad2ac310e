/**
 * `npm run bench -- --soak SECONDS`: the mock at the default seed under mixed reads and writes at 50
 * connections. Each connection goes round a cycle that creates, reads, renames and deletes a contact,
 * creates a chat, posts to it, reads it and deletes it, and reads lists, searches and seeded records, so
 * the data stays about the size it started at and memory should stay flat. RSS is sampled every 10 s;
 * at the end the state is exported and checked: the lists' totals against a count of the data, each
 * contact found by its email, and the whole state imported back (the mock's own consistency checks).
 */
import autocannon from "autocannon";
import type { Page as ApiPage } from "../../generated/rules.ts";
import { startServer } from "./processes.ts";
import { type Machine, machine, mb, revision, round, type Target, table, target, targetLines } from "./report.ts";
import { API_KEY, MOCK_BASE_PATH, mockSpec } from "./servers.ts";

const CONNECTIONS = 50;
const SAMPLE_EVERY_S = 10;
/** The first part of the run, in which memory may still grow (JIT, pools, the journal filling up). */
const WARMUP_SHARE = 0.2;

interface Sample {
  atS: number;
  rssMB: number;
}

export interface SoakReport {
  kind: "soak";
  date: string;
  machine: Machine;
  machineAfter: Pick<Machine, "loadAverage">;
  revision: string;
  settings: { seconds: number; connections: number; cycle: string[] };
  requests: number;
  reqPerS: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  status5xx: number;
  rss: Sample[];
  /** Least-squares growth of RSS after the warm-up, over that span, as a share of its mean. */
  rssTrendAfterWarmup: number;
  consistency: { consistent: boolean; checks: { name: string; ok: boolean; detail: string }[] };
  targets: Target[];
}

interface Fixtures {
  team: string[];
  channels: { guid: string; type: string }[];
}

type Context = { contact?: string; chat?: string; n?: number };
type Page = ApiPage<{ guid: string; email: string | null }>;

/** The cycle each connection goes round; every step answers 2xx when the mock is right. */
function cycle(base: string, fixtures: Fixtures, seeded: Page["data"], tag: string): autocannon.Request[] {
  const json = { "content-type": "application/json" };
  const agent = fixtures.team[0] ?? "";
  const channel = fixtures.channels[0]?.guid ?? "";
  let n = 0;
  const pick = <T>(items: T[]) => items[n % items.length] as T;
  const keep = (key: "contact" | "chat") => (status: number, body: string, context: object) => {
    if (status >= 200 && status < 300) (context as Context)[key] = (JSON.parse(body) as { guid: string }).guid;
  };
  const on = (
    key: "contact" | "chat",
    path: (id: string) => string,
    method: autocannon.Request["method"],
    body?: () => unknown,
  ) => ({
    method,
    setupRequest: (request: autocannon.Request, context: object) => ({
      ...request,
      path: `${base}${path((context as Context)[key] ?? "missing")}`,
      ...(body ? { headers: { ...request.headers, ...json }, body: JSON.stringify(body()) } : {}),
    }),
  });
  return [
    {
      method: "POST",
      path: `${base}/contact`,
      setupRequest: (request) => {
        n++;
        const body = { name: `Soak ${n}`, email: `soak-${tag}-${n}@example.com`, lang: "en" };
        return { ...request, headers: { ...request.headers, ...json }, body: JSON.stringify(body) };
      },
      onResponse: keep("contact"),
    },
    on("contact", (id) => `/contact/${id}`, "GET"),
    on(
      "contact",
      (id) => `/contact/${id}`,
      "PUT",
      () => ({ name: `Soak renamed ${n}`, city: "Hobart" }),
    ),
    { method: "GET", setupRequest: (r) => ({ ...r, path: `${base}/contact?page=${(n % 3) + 1}&limit=20` }) },
    {
      method: "GET",
      setupRequest: (r) => ({
        ...r,
        path: `${base}/contact/search?email=${encodeURIComponent(pick(seeded).email ?? "")}`,
      }),
    },
    on("contact", (id) => `/contact/${id}`, "DELETE"),
    {
      method: "POST",
      path: `${base}/chat`,
      setupRequest: (request) => ({
        ...request,
        headers: { ...request.headers, ...json },
        body: JSON.stringify({ channel, agent, message: `Soak chat ${n}` }),
      }),
      onResponse: keep("chat"),
    },
    on(
      "chat",
      (id) => `/chat/${id}/message`,
      "POST",
      () => ({ message: `Soak message ${n}`, agent }),
    ),
    on("chat", (id) => `/chat/${id}/message`, "GET"),
    on("chat", (id) => `/chat/${id}`, "DELETE"),
    { method: "GET", path: `${base}/chat?page=1&limit=20` },
    { method: "GET", setupRequest: (r) => ({ ...r, path: `${base}/contact/${pick(seeded).guid}` }) },
  ];
}

const CYCLE_NAMES = [
  "POST /contact",
  "GET /contact/{new}",
  "PUT /contact/{new}",
  "GET /contact?page=1..3",
  "GET /contact/search?email={seeded}",
  "DELETE /contact/{new}",
  "POST /chat",
  "POST /chat/{new}/message",
  "GET /chat/{new}/message",
  "DELETE /chat/{new}",
  "GET /chat?page=1",
  "GET /contact/{seeded}",
];

/** Slope of a least-squares line through the samples, in MB per second. */
function slope(samples: Sample[]): number {
  const n = samples.length;
  if (n < 2) return 0;
  const mx = samples.reduce((s, p) => s + p.atS, 0) / n;
  const my = samples.reduce((s, p) => s + p.rssMB, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of samples) {
    num += (p.atS - mx) * (p.rssMB - my);
    den += (p.atS - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

export async function soak(seconds: number, log: (line: string) => void = console.log): Promise<SoakReport> {
  const date = new Date().toISOString();
  const before = machine();
  const server = await startServer(mockSpec());
  const headers = { "x-api-key": API_KEY };
  const api = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const response = await fetch(`${server.origin}${path}`, { ...init, headers: { ...headers, ...init.headers } });
    if (!response.ok) throw new Error(`${init.method ?? "GET"} ${path}: ${response.status}`);
    const text = await response.text();
    return (text === "" ? undefined : JSON.parse(text)) as T;
  };
  try {
    const fixtures = await api<Fixtures>("/__admin/fixtures");
    const seeded = (await api<Page>(`${MOCK_BASE_PATH}/contact?page=1&limit=100`)).data;
    const rss: Sample[] = [{ atS: 0, rssMB: mb(server.rss()) }];
    log(`soak: ${seconds} s at ${CONNECTIONS} connections; RSS at start ${rss[0]?.rssMB} MB`);
    const started = performance.now();
    const sampler = setInterval(() => {
      const sample = { atS: round((performance.now() - started) / 1000, 1), rssMB: mb(server.rss()) };
      rss.push(sample);
      log(`  ${String(Math.round(sample.atS)).padStart(4)} s  RSS ${sample.rssMB} MB`);
    }, SAMPLE_EVERY_S * 1000);
    let result: autocannon.Result;
    try {
      result = await new Promise<autocannon.Result>((resolve, reject) => {
        autocannon(
          {
            url: server.origin,
            connections: CONNECTIONS,
            duration: seconds,
            headers,
            requests: cycle(MOCK_BASE_PATH, fixtures, seeded, Date.now().toString(36)),
          },
          (error, out) => (error ? reject(error) : resolve(out)),
        );
      });
    } finally {
      clearInterval(sampler);
    }
    rss.push({ atS: round((performance.now() - started) / 1000, 1), rssMB: mb(server.rss()) });

    const after = rss.filter((s) => s.atS >= seconds * WARMUP_SHARE);
    const mean = after.reduce((s, p) => s + p.rssMB, 0) / Math.max(1, after.length);
    const span = (after.at(-1)?.atS ?? 0) - (after[0]?.atS ?? 0);
    const trend = mean > 0 ? (slope(after) * span) / mean : 0;
    const consistency = await checkConsistency(api);
    const report: SoakReport = {
      kind: "soak",
      date,
      machine: before,
      machineAfter: { loadAverage: machine().loadAverage },
      revision: revision(),
      settings: { seconds, connections: CONNECTIONS, cycle: CYCLE_NAMES },
      requests: result.requests.total,
      reqPerS: Math.round(result.requests.total / result.duration),
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
      status5xx: result["5xx"],
      rss,
      rssTrendAfterWarmup: round(trend, 4),
      consistency,
      targets: [
        target("RSS growth after warm-up (least-squares trend)", trend * 100, "<=", 10, "%"),
        target("errors (connection errors and timeouts)", result.errors, "<=", 0),
        target("5xx answers", result["5xx"], "<=", 0),
        target("non-2xx answers", result.non2xx, "<=", 0),
        target("state consistent at the end", consistency.consistent ? 1 : 0, ">=", 1),
      ],
    };
    return report;
  } finally {
    await server.stop();
  }
}

type Api = <T>(path: string, init?: RequestInit) => Promise<T>;

interface Snapshot {
  contacts: { guid: string; email: string | null }[];
  chats: { guid: string }[];
  messages: { chat: string }[];
}

/** The lists' totals against a count of the exported state; every email found; the state imported back. */
async function checkConsistency(api: Api): Promise<SoakReport["consistency"]> {
  const checks: SoakReport["consistency"]["checks"] = [];
  const check = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });
  const state = await api<Snapshot & Record<string, unknown>>("/__admin/state");
  const contacts = await api<Page>(`${MOCK_BASE_PATH}/contact?page=1&limit=1`);
  check(
    "contact total = contacts in the state",
    contacts.total === state.contacts.length,
    `${contacts.total} listed, ${state.contacts.length} in the state`,
  );
  const chats = await api<Page>(`${MOCK_BASE_PATH}/chat?page=1&limit=1`);
  check(
    "chat total = chats in the state",
    chats.total === state.chats.length,
    `${chats.total} listed, ${state.chats.length} in the state`,
  );
  let listed = 0;
  for (const chat of state.chats)
    listed += (await api<Page>(`${MOCK_BASE_PATH}/chat/${chat.guid}/message?limit=1`)).total;
  check(
    "message totals = messages in the state",
    listed === state.messages.length,
    `${listed} listed over ${state.chats.length} chats, ${state.messages.length} in the state`,
  );
  let found = 0;
  for (const contact of state.contacts) {
    if (contact.email === null) continue;
    const page = await api<Page>(`${MOCK_BASE_PATH}/contact/search?email=${encodeURIComponent(contact.email)}`);
    if (page.total === 1 && page.data[0]?.guid === contact.guid) found++;
  }
  const withEmail = state.contacts.filter((c) => c.email !== null).length;
  check("every contact found by its email", found === withEmail, `${found} of ${withEmail}`);
  let imported = true;
  let detail = "accepted";
  try {
    await api("/__admin/state", {
      method: "PUT",
      body: JSON.stringify(state),
      headers: { "content-type": "application/json" },
    });
  } catch (error) {
    imported = false;
    detail = (error as Error).message;
  }
  check("the exported state imports back (ids, emails, references)", imported, detail);
  return { consistent: checks.every((c) => c.ok), checks };
}

export function printSoak(report: SoakReport, log: (line: string) => void = console.log): void {
  const m = report.machine;
  log(`\n${report.date}  ${m.cpus}× ${m.cpuModel}, Node ${m.node}, at ${report.revision}`);
  log(`load average before ${m.loadAverage.join(" ")}, after ${report.machineAfter.loadAverage.join(" ")}`);
  log(
    `${report.settings.seconds} s at ${report.settings.connections} connections, a cycle of ${report.settings.cycle.length} requests:`,
  );
  log(`  ${report.settings.cycle.join(", ")}\n`);
  log(
    table(
      ["requests", "req/s", "errors", "timeouts", "non-2xx", "5xx", "RSS trend"],
      [
        [
          report.requests,
          report.reqPerS,
          report.errors,
          report.timeouts,
          report.non2xx,
          report.status5xx,
          `${round(report.rssTrendAfterWarmup * 100, 1)}%`,
        ],
      ],
    ),
  );
  log(`\nRSS MB every ${SAMPLE_EVERY_S} s: ${report.rss.map((s) => s.rssMB).join(", ")}`);
  log("\nConsistency at the end:");
  for (const c of report.consistency.checks) log(`  ${c.ok ? "ok   " : "WRONG"}  ${c.name}: ${c.detail}`);
  log("\nTargets:");
  for (const line of targetLines(report.targets)) log(line);
}
