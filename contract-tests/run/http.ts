/**
 * `npm run test:http`: the contract suites over real HTTP, with Prism as an independent judge.
 *
 * 1. Starts the mock as a separate process on loopback port 0 (`bin/converseiq-mock.js`), and reads the
 *    port it got from the line it prints.
 * 2. Starts `prism proxy generated/openapi.json <upstream> --errors` on port 0 as well (its "listening on"
 *    line says which port), so that a
 *    request or response that breaks the spec becomes an error by Prism's validator as well as ours. Its
 *    upstream is an editing proxy in front of the mock, passing answers on untouched until the judge step.
 * 3. Runs every suite against the mock over HTTP (proves the HTTP path), then the happy-path suites
 *    through Prism, both by `runContract` (runner.ts: what `converseiq-contract` runs) in this process;
 *    checks that the same Prism refuses an answer that breaks the spec (the editing proxy breaks
 *    contacts); then runs contract:live (runContract too) against the mock behind a proxy that adds an
 *    undocumented property, and checks the drift report.
 * Everything it started is stopped, also on failure, and the whole run is bounded in time.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { API_BASE_PATH } from "../../generated/rules.ts";
import type { DriftReport } from "../../lib/drift/report.ts";
import { MOCK_LISTENING, originFromOutput, PRISM_LISTENING } from "../../scripts/server-port.ts";
import { TEST_SEED } from "../../scripts/test-seed.ts";
import { ADDED_PROPERTY, addDrift, breakContacts, type EditingProxy, startEditingProxy } from "./editing-proxy.ts";
import { type ContractOptions, runContract } from "./runner.ts";

const API_KEY = "mock-api-key";
const TOTAL_TIMEOUT_MS = 8 * 60_000;
const START_TIMEOUT_MS = 60_000;
const children: ChildProcess[] = [];

/** Starts a long-running process in its own process group, so that it and its children can be stopped. */
function start(name: string, command: string, args: string[]): ChildProcess {
  const child = spawn(command, args, { detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  child.on("exit", (code, signal) => {
    if (!stopping && !stopped.has(child))
      console.error(`${name} exited early (${code ?? signal}); its last output:\n${log}`);
  });
  children.push(child);
  return child;
}

let stopping = false;
const stopped = new Set<ChildProcess>();
/** Stops a process started here, with its children (its process group). */
function stop(child: ChildProcess): void {
  stopped.add(child);
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    // Already gone.
  }
}
function stopAll(): void {
  stopping = true;
  for (const child of children) stop(child);
}

async function waitFor(name: string, url: string, headers: Record<string, string> = {}): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url, { headers, signal: AbortSignal.timeout(2_000) });
      await response.body?.cancel();
      if (response.status < 500) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${name} did not answer at ${url} within ${START_TIMEOUT_MS / 1000}s`);
}

function run(label: string, command: string, args: string[], env: Record<string, string>): Promise<number> {
  console.log(`\n━━ ${label} ━━`);
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
    children.push(child);
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

/**
 * The suites by runContract (runner.ts, what converseiq-contract runs), in this process, under the tests'
 * one seed (scripts/test-seed.ts), so that a failure here is reproducible.
 */
async function contract(label: string, options: ContractOptions): Promise<number> {
  console.log(`\n━━ ${label} ━━`);
  return (await runContract({ seed: TEST_SEED, ...options })).exitCode;
}

async function main(): Promise<number> {
  // Both listen on port 0 and print the origin they got (the mock with --quiet too): no port is picked
  // beforehand, so none can be taken by another process in between.
  // The mock's own command (bin/): the bundle when it is current, else the source through tsx.
  const mockProcess = start("the mock", process.execPath, [
    "bin/converseiq-mock.js",
    "--port",
    "0",
    "--host",
    "127.0.0.1",
    "--api-key",
    API_KEY,
    "--quiet",
  ]);
  const mock = await originFromOutput(mockProcess, MOCK_LISTENING, START_TIMEOUT_MS);
  // One Prism (its start is the slowest part of this run), behind which the judge step breaks answers.
  const editing = await startEditingProxy(mock);
  const prismProcess = start("prism", "node_modules/.bin/prism", [
    "proxy",
    "generated/openapi.json",
    `${editing.origin}${API_BASE_PATH}`,
    "--errors",
    "-p",
    "0",
    "-h",
    "127.0.0.1",
  ]);
  const prism = await originFromOutput(prismProcess, PRISM_LISTENING, START_TIMEOUT_MS);
  await waitFor("the mock", `${mock}/__admin/fixtures`);
  await waitFor("prism", `${prism}/workspace`, { "x-api-key": API_KEY });
  console.log(`mock on ${mock}, prism on ${prism}`);

  const failures: string[] = [];
  // CONTRACT_HTTP_STEPS=mock,prism,judge,drift picks steps (all by default).
  const only = process.env.CONTRACT_HTTP_STEPS?.split(",").map((s) => s.trim());
  const step = async (name: string, label: string, code: () => Promise<number>) => {
    if (only && !only.includes(name)) return console.log(`\n━━ ${label}: not run (CONTRACT_HTTP_STEPS) ━━`);
    if ((await code()) !== 0) failures.push(label);
  };
  await step("mock", "suites against the mock over HTTP", () =>
    contract("every suite against the mock over HTTP", {
      baseUrl: `${mock}${API_BASE_PATH}`,
      apiKey: API_KEY,
      fuzzRuns: 25,
      modelRuns: 8,
    }),
  );

  await step("prism", "happy-path suites through Prism", () =>
    contract("happy-path suites through Prism (--errors)", {
      baseUrl: prism,
      apiKey: API_KEY,
      viaPrism: true,
      adminUrl: mock,
      suites: ["pagination", "contacts", "chats", "workspace-team", "conformance"],
    }),
  );

  await step("judge", "Prism refuses an answer that breaks the spec", () => prismJudges(mock, prism, editing));
  await step("drift", "live drift run against a drifting proxy", () => driftRun(mock));
  editing.server.close();
  if (failures.length > 0) console.error(`\ntest:http failed: ${failures.join("; ")}`);
  else console.log("\ntest:http passed: the mock over HTTP, through Prism, and the drift report");
  return failures.length === 0 ? 0 : 1;
}

/**
 * That Prism is a judge worth having: the Prism that passed the suites, once the editing proxy behind it
 * makes every contact's email a number, must refuse the answer (500, its VIOLATIONS error naming the field).
 */
async function prismJudges(mock: string, prism: string, editing: EditingProxy): Promise<number> {
  console.log("\n━━ Prism refuses an answer that breaks the spec (the proxy behind it makes emails numbers) ━━");
  const headers = { "x-api-key": API_KEY };
  const list = (await (await fetch(`${mock}${API_BASE_PATH}/contact?limit=1`, { headers })).json()) as {
    data: { guid: string }[];
  };
  editing.setEdit(breakContacts);
  try {
    const response = await fetch(`${prism}/contact/${list.data[0]?.guid}`, { headers });
    const text = await response.text();
    const refused = response.status === 500 && text.includes("VIOLATIONS") && text.includes("email");
    if (refused) console.log("Prism refused the broken contact: 500 VIOLATIONS naming email");
    else console.error(`Prism let a broken contact through: ${response.status} ${text.slice(0, 300)}`);
    return refused ? 0 : 1;
  } finally {
    editing.setEdit(undefined);
  }
}

/**
 * contract:live's runner against the mock behind a proxy that adds an undocumented property to every
 * contact (editing-proxy.ts): the tolerant run must pass, and its drift report must name the property
 * and must not hold the key.
 */
async function driftRun(mock: string): Promise<number> {
  const proxy = await startEditingProxy(mock, addDrift);
  const report = `reports/tmp/drift-check-${process.pid}`;
  try {
    const code = await run(
      "contract:live's runner against the mock behind a proxy that adds a property to contacts",
      "node_modules/.bin/tsx",
      [
        "contract-tests/run/live.ts",
        "contract-tests/suites/pagination.test.ts",
        "contract-tests/suites/contacts.test.ts",
      ],
      {
        CONVERSEIQ_API_KEY: API_KEY,
        CONVERSEIQ_BASE_URL: `${proxy.origin}${API_BASE_PATH}`,
        CONTRACT_DRIFT_REPORT: report,
      },
    );
    const json = readFileSync(`${report}.json`, "utf8");
    const markdown = readFileSync(`${report}.md`, "utf8");
    const schemas = (JSON.parse(json) as DriftReport).schemas;
    const contact = schemas.find((s) => s.schema === "Contact");
    const problems = [
      code === 0 ? "" : `the tolerant run failed (exit ${code})`,
      contact?.undocumentedReturned.some((u) => u.property === ADDED_PROPERTY)
        ? ""
        : `Contact.${ADDED_PROPERTY} is not in the report`,
      markdown.includes(ADDED_PROPERTY) ? "" : `the markdown report does not name ${ADDED_PROPERTY}`,
      json.includes(API_KEY) || markdown.includes(API_KEY) ? "the report holds the API key" : "",
    ].filter(Boolean);
    for (const problem of problems) console.error(`drift report: ${problem}`);
    if (problems.length === 0) console.log(`drift report checked: it names Contact.${ADDED_PROPERTY} and holds no key`);
    return problems.length === 0 ? 0 : 1;
  } catch (error) {
    console.error(`drift run: ${(error as Error).message}`);
    return 1;
  } finally {
    proxy.server.close();
    rmSync(`${report}.json`, { force: true });
    rmSync(`${report}.md`, { force: true });
  }
}

const timer = setTimeout(() => {
  console.error(`test:http took longer than ${TOTAL_TIMEOUT_MS / 60_000} minutes; stopping.`);
  stopAll();
  process.exit(1);
}, TOTAL_TIMEOUT_MS);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    stopAll();
    process.exit(130);
  });
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  console.error(`test:http: ${(error as Error).message}`);
} finally {
  stopAll();
  clearTimeout(timer);
}
process.exit(exitCode);
