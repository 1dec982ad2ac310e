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
      expect(Object.keys(provided).sort()).toEqual(["converseiqApiKey", "converseiqMockOrigin", "converseiqMockUrl"]);
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
