/**
 * How the runs that load servers in rounds taking turns (side-by-side.ts, replicas.ts) are set up: their
 * settings; how they begin (the machine as it was, the cores (pinning.ts), the load generator on its core,
 * the options of every round, the setup in words); and autocannon's core for the run, which it takes in
 * this process. Their reports' common parts: load-report.ts.
 */
import { loadGenerator } from "./load.ts";
import type { LoadGenerator, RunOptions } from "./load-types.ts";
import { type Pinning, pinThisProcess, planPinning } from "./pinning.ts";
import { type Machine, machine } from "./report.ts";
import { API_KEY } from "./servers.ts";

export interface RoundSettings {
  connections: number;
  /** Seconds per round (whole: wrk takes no fractions); with autocannon a smoke run gives `amount` instead. */
  durationS: number;
  /** Requests per round (a smoke run): autocannon stops after them, wrk paces itself to send about as many in `durationS`. */
  amount?: number;
  /** Seconds of warm-up, not counted, before a server's first round of each scenario. */
  warmupS: number;
  rounds: number;
}

export const FULL_ROUNDS: RoundSettings = { connections: 50, durationS: 3, warmupS: 2, rounds: 5 };
/** A few requests each: it shows the script works; its numbers are no measurement. */
export const SMOKE_ROUNDS: RoundSettings = { connections: 4, durationS: 1, amount: 100, warmupS: 0, rounds: 1 };

/** Which load generator, and whether it and the servers had cores of their own. */
export interface LoadSetup {
  generator: "wrk" | "autocannon";
  generatorVersion: string;
  /** wrk runs in its own process, one thread; autocannon in the benchmark's Node process. */
  generatorProcess: string;
  pinning: Pinning;
}

export interface LoadStart {
  date: string;
  /** The machine before the run. */
  before: Machine;
  pinning: Pinning;
  generator: LoadGenerator;
  setup: LoadSetup;
  /** Every round's options: connections, duration, requests (a smoke run), the mock's API key. */
  options: RunOptions;
}

/**
 * Plans the cores, finds the load generator (`choice.generator`, else wrk when it is on the PATH, else
 * autocannon) and logs the setup; `wrkProcess` says how wrk runs (`wrk, one thread`).
 */
export async function startLoad(
  settings: RoundSettings,
  choice: { generator?: "wrk" | "autocannon"; pinning?: boolean },
  wrkProcess: string,
  log: (line: string) => void,
): Promise<LoadStart> {
  const date = new Date().toISOString();
  const before = machine();
  const pinning = planPinning(choice.pinning ?? true);
  const generator = await loadGenerator(choice.generator, pinning.loadGeneratorCore ?? undefined);
  const setup: LoadSetup = {
    generator: generator.name,
    generatorVersion: generator.version,
    generatorProcess: generator.name === "wrk" ? wrkProcess : "autocannon in the benchmark's Node process",
    pinning,
  };
  log(`load generator: ${describeSetup(setup)}`);
  const options: RunOptions = {
    connections: settings.connections,
    durationS: settings.durationS,
    ...(settings.amount !== undefined ? { amount: settings.amount } : {}),
    headers: { "x-api-key": API_KEY },
  };
  return { date, before, pinning, generator, setup, options };
}

/** autocannon runs in this process: it takes the generator's core for the run. Returns what gives it back. */
export function pinGenerator({ generator, pinning }: Pick<LoadStart, "generator" | "pinning">): () => void {
  return generator.name === "autocannon" && pinning.loadGeneratorCore !== null
    ? pinThisProcess(pinning.loadGeneratorCore)
    : () => {};
}

/** `wrk 4.1.0 (wrk, one thread) on core 0; servers on core 1 (taskset)`, or why there was no pinning. */
export function describeSetup(setup: LoadSetup): string {
  const { pinning } = setup;
  const where = pinning.used
    ? ` on core ${pinning.loadGeneratorCore}; servers on core ${pinning.serverCore} (taskset)`
    : `; no pinning (${pinning.reason}): generator and servers share the cores`;
  return `${setup.generator} ${setup.generatorVersion} (${setup.generatorProcess})${where}`;
}
