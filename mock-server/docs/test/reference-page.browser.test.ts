/**
 * The reference page in a real browser: Debian's Chromium, driven by playwright-core (which downloads
 * nothing), against the mock listening on a free loopback port. Skipped, loudly, where Chromium is absent;
 * `.ci/run` installs it.
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listOperations, publicSpec } from "../../../lib/spec.ts";
import { listWebhooks } from "../../../lib/webhooks.ts";
import { root } from "../../../scripts/generate-lib.ts";
import { buildMockServer, type MockServer } from "../../app.ts";
import { DEFAULT_API_KEY, PUBLIC_PREFIX } from "../../mock-options.ts";
import { CHROMIUM, CHROMIUM_FLAGS, chromiumMissing } from "../../test/chromium.ts";

const FLAGS = CHROMIUM_FLAGS;
/** Written on every run (reports/tmp/ is not committed); reports/docs-page.png is a committed copy. */
const SCREENSHOT = join(root, "reports/tmp/docs-page.png");

const missing = chromiumMissing("/docs");

const title = missing
  ? `/docs in headless Chromium: SKIPPED, ${CHROMIUM} not found (apt-get install chromium)`
  : `/docs in headless Chromium (${CHROMIUM})`;

describe.skipIf(missing)(title, () => {
  let app: MockServer;
  let origin: string;
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  const requests: string[] = [];
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    app = await buildMockServer();
    origin = await app.listen({ host: "127.0.0.1", port: 0 });
    // A fresh, empty profile: no state from an earlier run or another browser.
    profile = await mkdtemp(join(tmpdir(), "ciq-chromium-"));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: FLAGS,
      viewport: { width: 1280, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on("request", (request) => requests.push(request.url()));
    page.on("console", (message) => {
      if (message.type() === "error") consoleErrors.push(message.text());
    });
    page.on("pageerror", (error) => consoleErrors.push(`uncaught: ${error.message}`));
    await page.goto(`${origin}/docs`);
  }, 30_000);

  afterAll(async () => {
    await context?.close();
    await app?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it("lists every operation of the spec, and every webhook", async () => {
    const expected = listOperations(publicSpec).map((op) => op.id);
    const webhooks = listWebhooks().map((hook) => hook.operationId);
    const all = [...expected, ...webhooks];
    await page.waitForFunction((n) => document.querySelectorAll(".opblock").length >= n, all.length);
    const shown = await page.locator(".opblock .opblock-summary-operation-id").allTextContents();
    expect(shown.map((text) => text.trim()).sort()).toEqual(all.sort());
    // Both read from the spec: the page is held to them, not to a count typed here.
    expect(expected.length).toBeGreaterThan(0);
    expect(webhooks.length).toBeGreaterThan(0);
  });

  it("has the mock's key filled in and sends a request through Try it out to the mock", async () => {
    const block = page.locator("#operations-Workspace-getWorkspace");
    await block.locator(".opblock-summary-control").click();
    const answered = page.waitForResponse((response) => response.url() === `${origin}${PUBLIC_PREFIX}/workspace`);
    await block.locator("button.execute").click();
    const response = await answered;

    expect(response.request().headers()["x-api-key"]).toBe(DEFAULT_API_KEY);
    expect(response.status()).toBe(200);
    const workspace = app.store.getWorkspace();
    expect(await response.json()).toEqual(JSON.parse(JSON.stringify(workspace)));
    // The page shows the mock's answer.
    const shown = block.locator(".live-responses-table tbody .response-col_status").first();
    await expect.poll(() => shown.textContent()).toContain("200");
    await expect.poll(() => block.locator(".live-responses-table").textContent()).toContain(workspace.name);

    await mkdir(join(root, "reports/tmp"), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it("logs no error in the console", () => {
    expect(consoleErrors).toEqual([]);
  });

  it("requests nothing from any host but the mock", () => {
    const elsewhere = requests.filter((url) => !url.startsWith(`${origin}/`) && !/^(data|blob):/.test(url));
    expect(elsewhere).toEqual([]);
    expect(requests).toContain(`${origin}/docs/assets/swagger-ui-bundle.js`);
  });
});
