import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type { TestProject } from "vitest/node";
import { createClient } from "../../client/index.ts";
import setup, { converseiqMockSetup, type ProvideContext } from "../vitest-preset.ts";

// Vitest hands a global setup its TestProject: the preset's parameter must take one.
const fromVitest = (project: TestProject): ProvideContext => project;

/** A stand-in for vitest's `provide`, keeping what the setup provides. */
function fakeProject() {
  const provided: Record<string, string> = {};
  const project: ProvideContext = {
    provide: (key, value) => {
      provided[key] = value;
    },
  };
  return { provided, project };
}

describe("the vitest preset (converseiq-kit/vitest)", () => {
  it("starts a mock, provides its URL, key and origin, and its teardown closes it", async () => {
    expect(fromVitest).toBeTypeOf("function");
    const { provided, project } = fakeProject();
    const teardown = await setup(project);
    try {
      expect(Object.keys(provided).sort()).toEqual([
        "converseiqAdminToken",
        "converseiqApiKey",
        "converseiqMockOrigin",
        "converseiqMockUrl",
      ]);
      expect(provided.converseiqMockUrl).toBe(`${provided.converseiqMockOrigin}/public/v1`);
      expect(provided.converseiqApiKey).toBe("mock-api-key");
      const client = createClient({
        baseUrl: provided.converseiqMockUrl as string,
        apiKey: provided.converseiqApiKey as string,
      });
      expect((await client.GET("/workspace")).response.status).toBe(200);
    } finally {
      await teardown();
    }
    await expect(fetch(`${provided.converseiqMockUrl}/workspace`)).rejects.toThrow();
  });

  it("converseiqMockSetup(options) starts the mock with the options given", async () => {
    const { provided, project } = fakeProject();
    const teardown = await converseiqMockSetup({ apiKeys: ["ci-key"], seed: { contacts: 3 } })(project);
    try {
      expect(provided.converseiqApiKey).toBe("ci-key");
      const client = createClient({ baseUrl: provided.converseiqMockUrl as string, apiKey: "ci-key" });
      const { data } = await client.GET("/contact", { params: { query: { limit: 10 } } });
      expect(data?.data).toHaveLength(3);
    } finally {
      await teardown();
    }
  });
});

describe("useConverseiqMock", () => {
  it("gives each file of a vitest project a workspace of its own: two files run side by side, each seeing only its data", async () => {
    // A project of its own (test/vitest-project/), run as a consumer runs it: the preset as global setup.
    const project = fileURLToPath(new URL("./vitest-project/", import.meta.url));
    const vitest = fileURLToPath(new URL("../../node_modules/vitest/vitest.mjs", import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [vitest, "run", "--config", "vitest.config.ts"], {
      cwd: project,
      env: { ...process.env, NO_COLOR: "1", CI: "1" },
    });
    expect(stdout).toMatch(/Test Files\s+2 passed/);
    expect(stdout).toMatch(/Tests\s+4 passed/);
  }, 60_000);
});
