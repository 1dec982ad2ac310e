/**
 * `npm run bench -- --scale`: the mock at the default seed and at 1,000,000 contacts, one after the other.
 * For each: the time from start to first answer (almost all of it seeding at 1M), RSS, and the latency of
 * single requests for page 1, a middle page, the last page, get-by-id and search-by-email.
 */

import type { Page as ApiPage } from "../../generated/rules.ts";
import type { RunningServer } from "./processes.ts";
import { startServer } from "./processes.ts";
import {
  type Machine,
  machine,
  markdownTable,
  mb,
  revision,
  round,
  type Target,
  table,
  target,
  targetLines,
} from "./report.ts";
import { type Latency, sequentialLatency } from "./sequential.ts";
import { API_KEY, MOCK_BASE_PATH, mockSpec } from "./servers.ts";

export const LARGE = 1_000_000;
const LIMIT = 20;

export interface ScaleSettings {
  contacts: number;
  count: number;
  warmup: number;
}

export const FULL_SCALE: ScaleSettings = { contacts: LARGE, count: 2000, warmup: 300 };

interface Size {
  label: string;
  contacts: number;
  /** From spawning the process to its first answer: seeding, indexing, start-up. */
  seedAndStartMs: number;
  rssAfterStartMB: number;
  rssAfterMB: number;
  pages: number;
  rows: (Latency & { query: string; path: string })[];
}

export interface ScaleReport {
  kind: "scale";
  date: string;
  machine: Machine;
  machineAfter: Pick<Machine, "loadAverage">;
  revision: string;
  settings: ScaleSettings;
  sizes: Size[];
  targets: Target[];
}

const headers = { "x-api-key": API_KEY };

async function getJson<T>(server: RunningServer, path: string): Promise<T> {
  const response = await fetch(`${server.origin}${MOCK_BASE_PATH}${path}`, { headers });
  if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
  return (await response.json()) as T;
}

type Page = ApiPage<{ guid: string; email: string | null }>;

async function measureSize(
  label: string,
  args: string[],
  settings: ScaleSettings,
  log: (line: string) => void,
): Promise<Size> {
  log(`${label}: starting the mock (${args.join(" ") || "default seed"})`);
  const server = await startServer(mockSpec(args, 300_000));
  try {
    const rssAfterStartMB = mb(server.rss());
    log(`  first answer after ${Math.round(server.startupMs)} ms; RSS ${rssAfterStartMB} MB`);
    const first = await getJson<Page>(server, `/contact?page=1&limit=${LIMIT}`);
    const middle = Math.max(1, Math.ceil(first.pages / 2));
    const last = Math.max(1, first.pages);
    const sample: Page["data"] = [];
    for (const page of [1, middle, last]) {
      sample.push(...(await getJson<Page>(server, `/contact?page=${page}&limit=${LIMIT}`)).data);
    }
    const queries: [string, string[]][] = [
      ["page 1", [`/contact?page=1&limit=${LIMIT}`]],
      [`middle page (${middle})`, [`/contact?page=${middle}&limit=${LIMIT}`]],
      [`last page (${last})`, [`/contact?page=${last}&limit=${LIMIT}`]],
      ["get by id", sample.map((c) => `/contact/${c.guid}`)],
      [
        "search by email",
        sample.filter((c) => c.email !== null).map((c) => `/contact/search?email=${encodeURIComponent(c.email ?? "")}`),
      ],
    ];
    const rows: Size["rows"] = [];
    for (const [query, paths] of queries) {
      const latency = await sequentialLatency(`${server.origin}${MOCK_BASE_PATH}`, paths, {
        count: settings.count,
        warmup: settings.warmup,
        headers,
      });
      rows.push({ query, path: paths[0] ?? "", ...latency });
      log(`  ${query}: p50 ${latency.p50Ms.toFixed(3)} ms, p99 ${latency.p99Ms.toFixed(3)} ms`);
    }
    return {
      label,
      contacts: first.total,
      seedAndStartMs: round(server.startupMs, 0),
      rssAfterStartMB,
      rssAfterMB: mb(server.rss()),
      pages: first.pages,
      rows,
    };
  } finally {
    await server.stop();
  }
}

export async function scale(
  settings: ScaleSettings = FULL_SCALE,
  log: (line: string) => void = console.log,
): Promise<ScaleReport> {
  const date = new Date().toISOString();
  const before = machine();
  const small = await measureSize("default seed", [], settings, log);
  const large = await measureSize(
    `${settings.contacts.toLocaleString("en")} contacts`,
    ["--contacts", String(settings.contacts)],
    settings,
    log,
  );
  const targets: Target[] = [];
  for (const [i, row] of large.rows.entries()) {
    const base = small.rows[i];
    if (!base || !row.query.includes("page")) continue;
    targets.push(target(`${row.query} p50 at ${large.label} / default seed`, row.p50Ms / base.p50Ms, "<=", 2, "×"));
  }
  targets.push(target(`RSS at ${large.label}`, large.rssAfterMB, "<=", 1536, " MB"));
  return {
    kind: "scale",
    date,
    machine: before,
    machineAfter: { loadAverage: machine().loadAverage },
    revision: revision(),
    settings,
    sizes: [small, large].map((size) => ({
      ...size,
      rows: size.rows.map((r) => ({
        ...r,
        p50Ms: round(r.p50Ms, 3),
        p99Ms: round(r.p99Ms, 3),
        meanMs: round(r.meanMs, 3),
      })),
    })),
    targets,
  };
}

const HEADER = ["query", "default p50 ms", "default p99 ms", "1M p50 ms", "1M p99 ms", "1M/default p50"];

function cells(report: ScaleReport): (string | number)[][] {
  const [small, large] = report.sizes;
  return (large?.rows ?? []).map((row, i) => {
    const base = small?.rows[i];
    return [
      row.query.replace(/ \(\d+\)/, ""),
      base?.p50Ms ?? Number.NaN,
      base?.p99Ms ?? Number.NaN,
      row.p50Ms,
      row.p99Ms,
      round(row.p50Ms / (base?.p50Ms ?? Number.NaN), 2),
    ];
  });
}

export function printScale(report: ScaleReport, log: (line: string) => void = console.log): void {
  const m = report.machine;
  log(`\n${report.date}  ${m.cpus}× ${m.cpuModel}, Node ${m.node}, at ${report.revision}`);
  log(`load average before ${m.loadAverage.join(" ")}, after ${report.machineAfter.loadAverage.join(" ")}`);
  log(`single requests, one at a time: ${report.settings.count} each after ${report.settings.warmup} warm-up\n`);
  log(
    table(
      ["data", "contacts", "pages", "seed + start-up ms", "RSS after start MB", "RSS at end MB"],
      report.sizes.map((s) => [s.label, s.contacts, s.pages, s.seedAndStartMs, s.rssAfterStartMB, s.rssAfterMB]),
    ),
  );
  log("");
  log(table(HEADER, cells(report)));
  log("\nTargets:");
  for (const line of targetLines(report.targets)) log(line);
}

export function markdownScale(report: ScaleReport): string {
  return [
    markdownTable(
      ["data", "seed + start-up ms", "RSS MB"],
      report.sizes.map((s) => [s.label, s.seedAndStartMs, s.rssAfterMB]),
    ),
    "",
    markdownTable(HEADER, cells(report)),
  ].join("\n");
}
