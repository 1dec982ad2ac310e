/**
 * The port of a server started as a child process. Every server a test or script starts listens on port 0
 * and prints the origin the system gave it; the spawning side reads that line from the child's output.
 * Picking a port in advance (listen on 0, close, hand the number on) races with every other process on the
 * machine: another may bind it first, and then the child fails to start, or worse, the caller talks to a
 * stranger.
 *
 * `withFreshPort` is for what cannot say which port it got: Prism quietened with `-v error` (its "listening
 * on" line is an info line), and the CI recipe, whose port is fixed by its consumer. It picks a port, and
 * starts again on another when the server reports the port taken.
 */
import type { ChildProcess } from "node:child_process";
import { createServer } from "node:net";

/** The first line of the mock's banner (mock-server/cli/banner.ts), printed with `--quiet` too. */
export const MOCK_LISTENING = /^ConverseIQ mock server: (http:\/\/[^\s/]+)/m;
/** Prism's line once it listens (at its default verbosity, info). */
export const PRISM_LISTENING = /Prism is listening on (http:\/\/[^\s/]+)/;
/** What a server prints when its port is taken: Node's and Prism's error, the mock's own message. */
export const PORT_TAKEN = /EADDRINUSE|is in use/;

/** A server that could not listen because another process had its port. */
export class PortTakenError extends Error {
  override name = "PortTakenError";
}

/**
 * The origin a child prints once it listens (the first group of `pattern`, on stdout or stderr). Rejects
 * when the child exits first (a PortTakenError when its output says why), or after `timeoutMs`.
 */
export function originFromOutput(child: ChildProcess, pattern: RegExp, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = "";
    const read = (chunk: Buffer | string) => {
      output = (output + chunk.toString()).slice(-8000);
      const origin = pattern.exec(output)?.[1];
      if (origin === undefined) return;
      stop();
      resolve(origin);
    };
    const exited = (code: number | null, signal: NodeJS.Signals | null) => {
      stop();
      const why = `exited (${code ?? signal}) before saying where it listens; its output:\n${output}`;
      reject(PORT_TAKEN.test(output) ? new PortTakenError(why) : new Error(why));
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`did not say where it listens within ${timeoutMs / 1000} s; its output:\n${output}`));
    }, timeoutMs);
    const stop = () => {
      clearTimeout(timer);
      child.stdout?.off("data", read);
      child.stderr?.off("data", read);
      child.off("exit", exited);
    };
    child.stdout?.on("data", read);
    child.stderr?.on("data", read);
    child.on("exit", exited);
  });
}

/** Runs `start` on a port that was free a moment ago; while it throws a PortTakenError, on another. */
export async function withFreshPort<T>(start: (port: number) => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(await freePort());
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt >= attempts) throw error;
    }
  }
}

function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}
