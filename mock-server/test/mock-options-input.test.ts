/**
 * The options of `startMock`, `createMockFetch` and `createHandlers` have one shape (mock-options.ts): a
 * partial seed or the seed alone, everywhere; and given from plain JavaScript, a wrong one is refused at
 * run time with an error that names the caller and the option, before anything starts.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createClient } from "../../client/index.ts";
import { startMock } from "../start-mock.ts";
import { createMockFetch } from "../transports/fetch.ts";
import { createHandlers } from "../transports/msw.ts";

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const mock of opened.splice(0)) await mock.close();
});

/** Each entry point, given options as plain JavaScript would give them: any value at all. */
const entryPoints: [string, (options: unknown) => Promise<{ fixtures: () => Promise<unknown> }>][] = [
  [
    "startMock",
    async (options) => {
      const mock = await startMock(options as never);
      opened.push(mock);
      return { fixtures: () => mock.snapshot() };
    },
  ],
  [
    "createMockFetch",
    async (options) => {
      const mock = createMockFetch(options as never);
      opened.push(mock);
      return { fixtures: () => mock.snapshot() };
    },
  ],
  [
    "createHandlers",
    async (options) => {
      const mock = createHandlers(options as never);
      opened.push(mock);
      return { fixtures: () => mock.snapshot() };
    },
  ],
];

describe.each(entryPoints)("%s's options", (name, open) => {
  it("take a partial seed, and seed: 7 as { seed: 7 }", async () => {
    const partial = (await (await open({ seed: { seed: 7, contacts: 3 } })).fixtures()) as { contacts: unknown[] };
    expect(partial.contacts).toHaveLength(3);
    const shorthand = await (await open({ seed: 7 })).fixtures();
    const spelled = await (await open({ seed: { seed: 7 } })).fixtures();
    expect(shorthand).toEqual(spelled);
  });

  it.each([
    [{ seed: { contacts: "x" } }, `${name}: option seed.contacts must be a whole number from 0 to 2000000; got "x"`],
    [{ seed: { contcts: 5 } }, `${name}: option seed.contcts is not a seed option`],
    [{ seed: "7" }, `${name}: option seed must be a number (the seed) or an object of seed and sizes; got "7"`],
    [{ apiKeys: "k" }, `${name}: option apiKeys must be a list of strings; got "k"`],
    [{ latencyMs: 5 }, `${name}: unknown option latencyMs; the options are: `],
  ])("refuse %j, naming the option", async (options, message) => {
    await expect(open(options)).rejects.toThrow(message);
  });
});

describe("the seed's types", () => {
  it("take a partial seed and the shorthand under strict tsc, on every entry point", () => {
    // Compiled by `tsc` with the project's strict settings: these lines are the test.
    const mock = createHandlers({ seed: { seed: 7 } });
    const other = createMockFetch({ seed: 7 });
    opened.push(mock, other);
    expect(createClient({ apiKey: other.apiKey, fetch: other.fetch })).toBeDefined();
  });
});
