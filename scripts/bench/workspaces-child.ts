/**
 * The process `--workspaces` measures (scripts/bench/workspaces.ts starts it with `--expose-gc`): one
 * engine at the default options, then N workspaces made through the admin API (`POST /__admin/workspaces`
 * through `engine.handle`, as a test's request would), the heap and RSS after a full collection before and
 * after, and again after each workspace has been used (a contact created, a page read). With `--distinct`,
 * each workspace asks a seed of its own (no seeded records to share: the worst case). Prints one JSON line.
 *
 * Usage: node --expose-gc --import tsx scripts/bench/workspaces-child.ts N [--distinct]
 */
import { createEngine } from "../../mock-server/engine/index.ts";

export interface WorkspacesSample {
  count: number;
  distinct: boolean;
  createMs: number;
  useMs: number;
  base: { heapUsed: number; rss: number };
  created: { heapUsed: number; rss: number };
  used: { heapUsed: number; rss: number };
}

const gc = (globalThis as { gc?: () => void }).gc;

function settle(): { heapUsed: number; rss: number } {
  if (!gc) throw new Error("run with --expose-gc");
  for (let i = 0; i < 3; i++) gc();
  const { heapUsed, rss } = process.memoryUsage();
  return { heapUsed, rss };
}

async function main(): Promise<void> {
  const count = Number(process.argv[2]);
  if (!Number.isInteger(count) || count < 1) throw new Error("the number of workspaces, at least 1");
  const distinct = process.argv.includes("--distinct");
  const engine = createEngine({});
  const key = engine.options.apiKeys[0] as string;
  const json = { "content-type": "application/json" };
  const create = async (i: number) => {
    const body = distinct ? JSON.stringify({ seed: { seed: 1_000 + i } }) : undefined;
    const answer = await engine.handle({
      method: "POST",
      url: "/__admin/workspaces",
      headers: body === undefined ? {} : json,
      ...(body === undefined ? {} : { body }),
    });
    if (answer.status !== 200) throw new Error(`POST /__admin/workspaces answered ${answer.status}`);
    return JSON.parse(answer.body as string).apiKey as string;
  };
  const use = async (apiKey: string, i: number) => {
    const body = JSON.stringify({ name: "Bench", email: `bench-${i}@example.com` });
    const made = await engine.handle({
      method: "POST",
      url: "/public/v1/contact",
      headers: { ...json, "x-api-key": apiKey },
      body,
    });
    const page = await engine.handle({
      method: "GET",
      url: "/public/v1/contact?limit=20",
      headers: { "x-api-key": apiKey },
    });
    if (made.status !== 200 || page.status !== 200)
      throw new Error(`a workspace answered ${made.status}, ${page.status}`);
  };

  // Warm up: the validators compiled, the default seed made, every path taken once (in the default
  // workspace, so that the count below is of the new workspaces alone).
  await use(key, -1);
  await engine.handle({ method: "GET", url: "/__admin/fixtures", headers: {} });
  const base = settle();

  let started = performance.now();
  const keys: string[] = [];
  for (let i = 0; i < count; i++) keys.push(await create(i));
  const createMs = performance.now() - started;
  const created = settle();

  started = performance.now();
  for (const [i, apiKey] of keys.entries()) await use(apiKey, i);
  const useMs = performance.now() - started;
  const used = settle();

  const sample: WorkspacesSample = { count, distinct, createMs, useMs, base, created, used };
  process.stdout.write(`${JSON.stringify(sample)}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
});
