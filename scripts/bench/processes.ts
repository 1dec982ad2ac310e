/**
 * The servers a benchmark runs, as child processes on free loopback ports: started in a process group of
 * their own, timed to their first answer, measured (resident memory of the whole group), and stopped,
 * also when the benchmark fails or is interrupted (Ctrl-C).
 *
 * A server that prints where it listens (the mock) starts on port 0 and its port is read from that line;
 * the others (Prism at `-v error`, the ceiling) get a port picked just before, and start again on another
 * if a different process took it first (../server-port.ts).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { originFromOutput, PORT_TAKEN, PortTakenError, withFreshPort } from "../server-port.ts";

export const HOST = "127.0.0.1";

/** How to start one kind of server and how to tell that it answers. */
export interface ServerSpec {
  name: string;
  command: string;
  args: (port: number) => string[];
  /** A request that answers 2xx once the server is up: path and headers. */
  probe: { path: string; headers?: Record<string, string> };
  /** How long it may take to start. */
  startTimeoutMs?: number;
  /** The line it prints once it listens (the first group: its origin); it is then started on port 0. */
  announces?: RegExp;
}

export interface RunningServer {
  name: string;
  origin: string;
  pid: number;
  /** Milliseconds from spawning the process to its first 2xx answer. */
  startupMs: number;
  /** Resident memory of the server's process group, in bytes. */
  rss(): number | undefined;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

/** One GET with its own connection; resolves with the status, or 0 when nothing answers (yet). */
export function probe(origin: string, path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const req = request(`${origin}${path}`, { headers, agent: false, timeout: 2000 }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", () => resolve(0));
    req.on("timeout", () => req.destroy());
    req.end();
  });
}

export function startServer(spec: ServerSpec): Promise<RunningServer> {
  return spec.announces ? launch(spec, 0) : withFreshPort((port) => launch(spec, port));
}

async function launch(spec: ServerSpec, port: number): Promise<RunningServer> {
  let origin = `http://${HOST}:${port}`;
  const started = performance.now();
  const stdout = spec.announces ? "pipe" : "ignore";
  const child = spawn(spec.command, spec.args(port), { detached: true, stdio: ["ignore", stdout, "pipe"] });
  running.add(child);
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  exited.then(() => running.delete(child));
  const pid = child.pid;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null || pid === undefined) return;
    signalGroup(pid, "SIGTERM");
    const killed = setTimeout(() => signalGroup(pid, "SIGKILL"), 3000);
    await exited;
    clearTimeout(killed);
  };
  try {
    if (pid === undefined) throw new Error(`${spec.name}: could not start ${spec.command}`);
    const deadline = started + (spec.startTimeoutMs ?? 30_000);
    if (spec.announces) origin = await originFromOutput(child, spec.announces, deadline - performance.now());
    for (;;) {
      const status = await probe(origin, spec.probe.path, spec.probe.headers);
      if (status >= 200 && status < 300) break;
      if (child.exitCode !== null) {
        const why = `${spec.name} exited (${child.exitCode}) before answering:\n${stderr}`;
        throw PORT_TAKEN.test(stderr) ? new PortTakenError(why) : new Error(why);
      }
      if (status !== 0) throw new Error(`${spec.name} answered ${status} to ${spec.probe.path}`);
      if (performance.now() > deadline) throw new Error(`${spec.name} did not answer within ${spec.startTimeoutMs}ms`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const startupMs = performance.now() - started;
  return { name: spec.name, origin, pid, startupMs, rss: () => groupRss(pid), stop };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * A process started elsewhere (a group leader: spawned `detached`) that `killAll` stops with the servers,
 * e.g. the Redis beside the replicas (redis-server.ts).
 */
export function stopWithServers(child: ChildProcess): void {
  running.add(child);
  child.once("exit", () => running.delete(child));
}

/** Stops every server still running, at once (for exit paths that cannot wait). */
export function killAll(): void {
  for (const child of running) if (child.pid !== undefined) signalGroup(child.pid, "SIGKILL");
}

/**
 * On Ctrl-C, SIGTERM or an uncaught error, the servers go before the benchmark does. Returns a function
 * that removes the handlers again.
 */
export function stopServersOnExit(): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    killAll();
    process.stderr.write(`\nbench: ${signal}: stopped every server it started.\n`);
    process.exit(130);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.on("exit", killAll);
  return () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    process.off("exit", killAll);
  };
}

/** Resident memory of every process in a process group (Linux `/proc`), in bytes; undefined elsewhere. */
export function groupRss(pgid: number): number | undefined {
  const kb = sumOverGroup(pgid, (pid) => {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  });
  return kb === undefined ? undefined : kb * 1024;
}

/** CPU time (user and system) used so far by every process in a process group, in ms; undefined off Linux. */
export function groupCpuMs(pgid: number): number | undefined {
  // utime and stime, in clock ticks: 100 a second on Linux.
  return sumOverGroup(pgid, (_, fields) => (Number(fields[11]) + Number(fields[12])) * 10);
}

function sumOverGroup(pgid: number, value: (pid: string, statFields: string[]) => number): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return undefined;
  }
  let total = 0;
  let found = false;
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the command name (which may hold spaces) start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) !== pgid) continue;
      total += value(entry, fields);
      found = true;
    } catch {
      // The process ended while being read.
    }
  }
  return found ? total : undefined;
}
