/**
 * Real processes for the replication tests: a `redis-server` of the test's own (a free port, no
 * persistence, a fresh folder) that can be stopped and started again on the same port, and replicas of the
 * mock as separate `converseiq-mock` processes on it, each listening on port 0 and read from the line the
 * command prints once it has loaded the state from Redis. Every process started here is tracked, so
 * `stopEverything` (in afterAll) ends them all, also after a failure.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createConnection, createServer, type Server, type Socket } from "node:net";
import { fileURLToPath } from "node:url";
import { REDIS_SERVER, type RedisServer, startRedisServer } from "../../../scripts/redis-server.ts";
import { MOCK_LISTENING, originFromOutput } from "../../../scripts/server-port.ts";
import { envWithoutMockVariables } from "../../test/mock-command.ts";

/** Generous: the machine may be busy with other test files. */
const START_TIMEOUT_MS = 60_000;

const BIN = fileURLToPath(new URL("../../../bin/converseiq-mock.js", import.meta.url));

/** Whether `redis-server` runs here. */
export function redisAvailable(): boolean {
  const probe = spawnSync(REDIS_SERVER, ["--version"], { stdio: "ignore" });
  return probe.error === undefined && probe.status === 0;
}

/** Whether redis-server is missing; when it is, one loud line naming what `what` skips and how to install it. */
export function redisMissing(what: string): boolean {
  const missing = !redisAvailable();
  if (missing) {
    console.warn(
      `\n⚠ SKIPPING the replication tests of ${what}: ${REDIS_SERVER} is not on the PATH ` +
        "(install Debian's redis-server, as .ci/system-packages.sh does).\n",
    );
  }
  return missing;
}

/** Processes to end in afterAll, and servers to close (proxies; the Redis servers, which remove their folders). */
const started = new Set<ChildProcess>();
const servers = new Set<{ close(): Promise<void> }>();
/** Processes ended here: their exit is no crash. */
const killedHere = new WeakSet<ChildProcess>();

/** Ends every process this module started (SIGKILL) and removes the folders; waits until they are gone. */
export async function stopEverything(): Promise<void> {
  await Promise.all([...started].map((child) => killAndWait(child)));
  started.clear();
  await Promise.all([...servers].map((server) => server.close()));
  servers.clear();
}

function track(child: ChildProcess): ChildProcess {
  started.add(child);
  child.once("exit", () => started.delete(child));
  return child;
}

/** Sends `signal` (SIGKILL unless told) and resolves once the process has exited. */
function killAndWait(child: ChildProcess, signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
  killedHere.add(child);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill(signal);
  });
}

// ---------------------------------------------------------------------------------------------------------
// Redis

export type { RedisServer };

/** A redis-server on a free port (another port when the one picked was taken meanwhile), answering PING. */
export async function startRedis(): Promise<RedisServer> {
  const server = await startRedisServer({ startTimeoutMs: START_TIMEOUT_MS, onSpawn: track });
  servers.add(server);
  return server;
}

// ---------------------------------------------------------------------------------------------------------
// Replicas

export interface Replica {
  /** A, B, C...: how the replica is named in messages. */
  name: string;
  /** `http://127.0.0.1:PORT` of the running process (a new port after a restart). */
  origin: string;
  /** Everything the replica's processes printed, all runs together. */
  stdout(): string;
  stderr(): string;
  /** Runs that ended without being killed here: a crash. */
  crashes(): { code: number | null; signal: NodeJS.Signals | null }[];
  /** Whether the current process is running. */
  running(): boolean;
  /** SIGKILL, resolved once the process is gone. */
  kill(): Promise<void>;
  /** Freezes the process (SIGSTOP) and lets it go on (SIGCONT): a replica that does nothing meanwhile. */
  pause(): void;
  resume(): void;
  /** A new process with the same flags (same Redis, same prefix), resolved once it prints its URL line. */
  restart(): Promise<void>;
}

export interface ReplicaOptions {
  redisUrl: string;
  /** The Redis key prefix, one per test file, so files never share a stream. */
  prefix: string;
  /** More flags, e.g. seed sizes (they matter to the first replica only: later ones load the prefix). */
  args?: string[];
}

/** `count` replicas on one prefix: the first seeds it, then the others start together and load it. */
export async function startReplicas(count: number, options: ReplicaOptions): Promise<Replica[]> {
  const names = Array.from({ length: count }, (_, i) => String.fromCharCode(65 + i));
  const [first, ...rest] = names;
  if (first === undefined) return [];
  const seeder = await startReplica(first, options);
  return [seeder, ...(await Promise.all(rest.map((name) => startReplica(name, options))))];
}

/** One replica named `name`, resolved once it prints its URL line. */
export async function startReplica(name: string, options: ReplicaOptions): Promise<Replica> {
  const args = [
    BIN,
    ...["--port", "0", "--host", "127.0.0.1", "--quiet"],
    ...["--redis", options.redisUrl, "--redis-prefix", options.prefix],
    ...(options.args ?? []),
  ];
  // The test's own MOCK_* variables must not reach the replicas: only the flags above configure them.
  const env = envWithoutMockVariables();
  let stdout = "";
  let stderr = "";
  const crashes: { code: number | null; signal: NodeJS.Signals | null }[] = [];
  let child: ChildProcess;
  let origin = "";

  const launch = async () => {
    const current = track(spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] }));
    current.stdout?.on("data", (chunk) => {
      stdout += chunk;
    });
    current.stderr?.on("data", (chunk) => {
      stderr += chunk;
    });
    current.once("exit", (code, signal) => {
      if (!killedHere.has(current)) crashes.push({ code, signal });
    });
    child = current;
    origin = await originFromOutput(current, MOCK_LISTENING, START_TIMEOUT_MS);
  };
  await launch();

  const replica: Replica = {
    name,
    get origin() {
      return origin;
    },
    stdout: () => stdout,
    stderr: () => stderr,
    crashes: () => [...crashes],
    running: () => child.exitCode === null && child.signalCode === null,
    kill: () => killAndWait(child),
    pause: () => {
      child.kill("SIGSTOP");
    },
    resume: () => {
      child.kill("SIGCONT");
    },
    restart: async () => {
      await replica.kill();
      await launch();
    },
  };
  return replica;
}

// ---------------------------------------------------------------------------------------------------------
// A replica's way to Redis that can be held

export interface HeldLine {
  /** `redis://127.0.0.1:PORT` of the proxy, for the replica's `--redis`. */
  url: string;
  /** From now on, what Redis sends through the proxy is dropped: the replica hears nothing (a lagging replica). */
  hold(): void;
  /** What Redis sends goes through again (on the connections made from now on, and the open ones). */
  release(): void;
}

/**
 * A TCP proxy to the Redis on `port`. What the replica sends always reaches Redis; what Redis sends reaches
 * the replica unless held. When Redis closes a connection, the proxy closes the replica's side too.
 */
export async function heldLine(port: number): Promise<HeldLine> {
  let holding = false;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: "127.0.0.1", port });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
    }
    client.on("data", (chunk) => upstream.write(chunk));
    upstream.on("data", (chunk) => {
      if (!holding) client.write(chunk);
    });
    upstream.on("close", () => client.destroy());
    client.on("close", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  servers.add({
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  });
  const address = server.address();
  if (typeof address !== "object" || address === null) throw new Error("the proxy has no port");
  return {
    url: `redis://127.0.0.1:${address.port}`,
    hold: () => {
      holding = true;
    },
    release: () => {
      holding = false;
    },
  };
}
