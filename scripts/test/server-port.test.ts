/**
 * Reading the port a child server got: the origin from the line it prints, a PortTakenError when it exits
 * because its port was taken (the mock's own message and Node's), and a fresh port for each new try.
 */
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:net";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { MOCK_LISTENING, originFromOutput, PortTakenError, PRISM_LISTENING, withFreshPort } from "../server-port.ts";

const BIN = fileURLToPath(new URL("../../bin/converseiq-mock.js", import.meta.url));
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

/** A child that prints `text` (to stdout, or to stderr), then exits with `code` or stays up a while. */
const child = (text: string, { stderr = false, code = undefined as number | undefined } = {}) =>
  spawn(process.execPath, [
    "-e",
    `process.${stderr ? "stderr" : "stdout"}.write(${JSON.stringify(text)}); ${
      code === undefined ? "setTimeout(() => {}, 5000)" : `process.exit(${code})`
    }`,
  ]);

describe("originFromOutput", () => {
  it.each([
    ["the mock's first line", "ConverseIQ mock server: http://127.0.0.1:40123/public/v1\n", MOCK_LISTENING],
    ["Prism's line", "[CLI] ▶  start     Prism is listening on http://127.0.0.1:40124\n", PRISM_LISTENING],
  ])("reads the origin from %s", async (_, text, pattern) => {
    const server = child(text);
    try {
      expect(await originFromOutput(server, pattern, 20_000)).toMatch(/^http:\/\/127\.0\.0\.1:4012\d$/);
    } finally {
      server.kill();
    }
  });

  it("fails with PortTakenError when the child exits saying its port is in use", async () => {
    const gone = child("Error: listen EADDRINUSE: address already in use 127.0.0.1:4010\n", { stderr: true, code: 1 });
    await expect(originFromOutput(gone, MOCK_LISTENING, 20_000)).rejects.toBeInstanceOf(PortTakenError);
  });

  it("fails with another error, and the output, when the child exits for another reason", async () => {
    const gone = child("something else went wrong\n", { code: 2 });
    const error = await originFromOutput(gone, MOCK_LISTENING, 20_000).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(PortTakenError);
    expect((error as Error).message).toContain("something else went wrong");
  });

  it("knows the mock's own message for a port in use", async () => {
    // The port is held for the whole test, so the mock cannot have it.
    const holder = createServer();
    servers.push(holder);
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const { port } = holder.address() as { port: number };
    const mock = spawn(process.execPath, [BIN, "--port", String(port), "--quiet", "--contacts", "1"]);
    await expect(originFromOutput(mock, MOCK_LISTENING, 30_000)).rejects.toBeInstanceOf(PortTakenError);
  }, 40_000);
});

describe("withFreshPort", () => {
  it("tries again on another port while the port was taken, and gives up after the attempts", async () => {
    const tried: number[] = [];
    const result = await withFreshPort(async (port) => {
      tried.push(port);
      if (tried.length < 3) throw new PortTakenError("taken");
      return "started";
    });
    expect(result).toBe("started");
    expect(tried).toHaveLength(3);
    for (const port of tried) expect(port).toBeGreaterThan(0);

    let attempts = 0;
    const always = withFreshPort(async () => {
      attempts++;
      throw new PortTakenError("taken");
    }, 2);
    await expect(always).rejects.toBeInstanceOf(PortTakenError);
    expect(attempts).toBe(2);
  });

  it("does not try again after another error", async () => {
    let attempts = 0;
    const failing = withFreshPort(async () => {
      attempts++;
      throw new Error("broken");
    });
    await expect(failing).rejects.toThrow("broken");
    expect(attempts).toBe(1);
  });
});
