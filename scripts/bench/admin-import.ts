/**
 * `npm run bench -- --admin-import`: `PUT /__admin/state` against the mock's bundle, with a GET sent while
 * each import runs. A valid state of 100,000 contacts (the export of a mock seeded with them) is imported
 * into a mock at the default seed: the time to its answer and the server's RSS (sampled every 25 ms, the
 * highest kept); then a state of 12,000 empty contacts (a 36 KB body, once a 15 s freeze) is refused: the
 * time to its 400. Targets: import <= 3 s, RSS < 1 GB, refusal <= 0.5 s, and both GETs answered 200.
 */
import type { RunningServer } from "./processes.ts";
import { startServer } from "./processes.ts";
import { type Machine, machine, mb, revision, round, type Target, target, targetLines } from "./report.ts";
import { API_KEY, MOCK_BASE_PATH, mockSpec } from "./servers.ts";

export const IMPORTED_CONTACTS = 100_000;
export const EMPTY_CONTACTS = 12_000;

interface Timed {
  status: number;
  ms: number;
  /**
   * GET /workspace sent one after another while the PUT runs: how many, whether all answered 200, and the
   * longest wait (the time the import held the server).
   */
  getDuring: { count: number; all200: boolean; longestMs: number };
  peakRssMB: number;
}

export interface AdminImportReport {
  kind: "admin-import";
  date: string;
  machine: Machine;
  revision: string;
  stateBytes: number;
  valid: Timed;
  empty: Timed & { bytes: number; listed: number };
  targets: Target[];
}

/** PUTs `body` as the state, sending a GET while it runs; RSS sampled meanwhile. */
async function put(server: RunningServer, body: string): Promise<Timed & { text: string }> {
  let peak = server.rss() ?? 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, server.rss() ?? 0);
  }, 25);
  try {
    const started = performance.now();
    let finished = false;
    const answer = fetch(`${server.origin}/__admin/state`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body,
    })
      .then(async (response) => ({
        status: response.status,
        text: await response.text(),
        ms: performance.now() - started,
      }))
      .finally(() => {
        finished = true;
      });
    const getDuring = { count: 0, all200: true, longestMs: 0 };
    // GETs one after another until the PUT is answered (and at least one, should it be quicker).
    while (!finished || getDuring.count === 0) {
      const getStarted = performance.now();
      const response = await fetch(`${server.origin}${MOCK_BASE_PATH}/workspace`, {
        headers: { "x-api-key": API_KEY },
      });
      await response.arrayBuffer();
      getDuring.count += 1;
      getDuring.all200 &&= response.status === 200;
      getDuring.longestMs = Math.max(getDuring.longestMs, round(performance.now() - getStarted, 1));
    }
    const done = await answer;
    return { status: done.status, ms: round(done.ms, 1), text: done.text, getDuring, peakRssMB: mb(peak) };
  } finally {
    clearInterval(sampler);
  }
}

export async function adminImport(log: (line: string) => void = console.log): Promise<AdminImportReport> {
  const date = new Date().toISOString();
  log(`exporting a state of ${IMPORTED_CONTACTS.toLocaleString("en")} contacts`);
  const source = await startServer(mockSpec(["--contacts", String(IMPORTED_CONTACTS)], 300_000));
  let state: string;
  try {
    state = await (await fetch(`${source.origin}/__admin/state`)).text();
  } finally {
    await source.stop();
  }
  log(`  ${(state.length / 2 ** 20).toFixed(1)} MB of JSON`);
  const server = await startServer(mockSpec());
  try {
    const valid = await put(server, state);
    log(
      `import: ${valid.status} in ${valid.ms} ms, peak RSS ${valid.peakRssMB} MB; ${valid.getDuring.count} GETs during it, longest ${valid.getDuring.longestMs} ms`,
    );
    const emptyBody = JSON.stringify({ contacts: Array.from({ length: EMPTY_CONTACTS }, () => ({})) });
    const empty = await put(server, emptyBody);
    const listed = (JSON.parse(empty.text) as { details?: unknown[] }).details?.length ?? 0;
    log(
      `empty contacts: ${empty.status} in ${empty.ms} ms (${listed} problems listed); ${empty.getDuring.count} GETs during it, longest ${empty.getDuring.longestMs} ms`,
    );
    const targets = [
      target(
        `import of ${IMPORTED_CONTACTS.toLocaleString("en")} contacts`,
        valid.status === 200 ? valid.ms : Number.NaN,
        "<=",
        3000,
        " ms",
      ),
      target("peak RSS during the import", valid.peakRssMB, "<=", 1024, " MB"),
      target(
        `refusal of ${EMPTY_CONTACTS.toLocaleString("en")} empty contacts`,
        empty.status === 400 ? empty.ms : Number.NaN,
        "<=",
        500,
        " ms",
      ),
      target(
        "imports during which every GET answered 200",
        [valid.getDuring, empty.getDuring].filter((g) => g.all200).length,
        ">=",
        2,
      ),
    ];
    const { text: _validText, ...validReport } = valid;
    const { text: _emptyText, ...emptyReport } = empty;
    return {
      kind: "admin-import",
      date,
      machine: machine(),
      revision: revision(),
      stateBytes: Buffer.byteLength(state),
      valid: validReport,
      empty: { ...emptyReport, bytes: Buffer.byteLength(emptyBody), listed },
      targets,
    };
  } finally {
    await server.stop();
  }
}

export function printAdminImport(report: AdminImportReport): void {
  console.log(`\n${targetLines(report.targets).join("\n")}`);
}
