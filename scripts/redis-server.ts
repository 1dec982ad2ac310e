/**
 * A `redis-server` of its starter's own, for the replication tests and `npm run bench -- --replicas`: on a
 * free loopback port (another when the one picked was taken meanwhile: `withFreshPort`), with no persistence
 * (`--save ''`, no append-only file) in a temporary folder, ready once it says it accepts connections and
 * answers PING. It can be stopped and started again, empty, on the same port.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PortTakenError, withFreshPort } from "./server-port.ts";

export const REDIS_SERVER = "redis-server";
const HOST = "127.0.0.1";
const READY = /Ready to accept connections/;
/** What redis-server prints when its port is taken (it then exits 1). */
const PORT_TAKEN = /Address already in use/;

export interface RedisServerOptions {
  /** The program: a path, or the name looked up on the PATH (default `redis-server`). */
  file?: string;
  /** Words run before it, with the server's command line after them: `["taskset", "-c", "0"]` pins it to core 0. */
  commandPrefix?: string[];
  /** How the temporary folder's name begins. */
  folderPrefix?: string;
  /** A process group of its own, so that a kill of the group reaches it and whatever `commandPrefix` started. */
  detached?: boolean;
  /** How long it may take to be ready. */
  startTimeoutMs?: number;
  /** Called with every process as soon as it is spawned, before it is ready: to end it with its starter's. */
  onSpawn?: (child: ChildProcess) => void;
}

export interface RedisServer {
  port: number;
  /** `redis://127.0.0.1:PORT`. */
  url: string;
  /** The running process (a new one after `restart`). */
  readonly child: ChildProcess;
  /** Ends the process (SIGTERM unless told), resolved once it has exited. Its data is gone: nothing is persisted. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Stops it (SIGTERM) and starts it again, empty, on the same port. */
  restart(): Promise<void>;
  /** Ends the process (SIGKILL) and removes its folder. */
  close(): Promise<void>;
}

export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), options.folderPrefix ?? "converseiq-redis-"));
  try {
    let port = 0;
    let child = await withFreshPort((free) => {
      port = free;
      return launch(port, dir, options);
    });
    const stop = (signal: NodeJS.Signals = "SIGTERM") => killAndWait(child, signal);
    return {
      port,
      url: `redis://${HOST}:${port}`,
      get child() {
        return child;
      },
      stop,
      restart: async () => {
        await stop();
        // The port was ours a moment ago; a stranger taking it in between fails loudly.
        child = await launch(port, dir, options);
      },
      close: async () => {
        await stop("SIGKILL");
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

async function launch(port: number, dir: string, options: RedisServerOptions): Promise<ChildProcess> {
  const args = [
    ...["--port", String(port), "--bind", HOST, "--save", "", "--appendonly", "no"],
    ...["--dir", dir, "--daemonize", "no", "--protected-mode", "no"],
  ];
  const [command = REDIS_SERVER, ...argv] = [...(options.commandPrefix ?? []), options.file ?? REDIS_SERVER, ...args];
  const child = spawn(command, argv, { detached: options.detached ?? false, stdio: ["ignore", "pipe", "pipe"] });
  options.onSpawn?.(child);
  try {
    await ready(child, options.startTimeoutMs ?? 60_000);
    if (!(await ping(port))) throw new Error(`redis-server on port ${port} said it was ready but did not answer PING`);
  } catch (error) {
    await killAndWait(child, "SIGKILL");
    throw error;
  }
  // Its log goes on being read, so that a full pipe never stops it.
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

/** Sends `signal` and resolves once the process has exited. */
function killAndWait(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill(signal);
  });
}

/** Resolves when redis-server says it accepts connections; rejects when it exits first (port taken or else). */
function ready(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = "";
    const read = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-8000);
      if (READY.test(output)) settle(() => resolve());
    };
    const exited = (code: number | null, signal: NodeJS.Signals | null) => {
      const why = `redis-server exited (${code ?? signal}) before it was ready; its output:\n${output}`;
      settle(() => reject(PORT_TAKEN.test(output) ? new PortTakenError(why) : new Error(why)));
    };
    const timer = setTimeout(
      () => settle(() => reject(new Error(`redis-server not ready within ${timeoutMs / 1000} s:\n${output}`))),
      timeoutMs,
    );
    const settle = (then: () => void) => {
      clearTimeout(timer);
      child.stdout?.off("data", read);
      child.stderr?.off("data", read);
      child.off("exit", exited);
      then();
    };
    child.stdout?.on("data", read);
    child.stderr?.on("data", read);
    child.on("exit", exited);
  });
}

/** Whether the server on `port` answers PING with PONG (one connection, in the protocol's inline form). */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: HOST, port });
    let answer = "";
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(10_000, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk) => {
      answer += chunk.toString();
      if (answer.includes("\r\n")) done(answer.startsWith("+PONG"));
    });
  });
}
