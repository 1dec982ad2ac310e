/**
 * `--state FILE --state-sync`: an append-only log of changes beside the state file (`FILE.log`), as Redis'
 * `appendfsync always`. The engine hands each change to this log as it would to a replica (the
 * `Replication` port, engine/replication-port.ts): the change is appended as one JSON line, flushed to disk
 * (`fsync`), then applied and answered. Changes that arrive while a flush runs are appended and flushed
 * together by the next one (a group commit), so parallel writers share the cost of a flush.
 *
 * From time to time (every `foldEvery` changes, or once the log passes `foldBytes`), and at start and on
 * close, the log is folded: the state is written to FILE atomically, then a new log replaces the old one.
 * The first line of a log names the state file it follows by the SHA-256 of its bytes: at start, a log
 * whose base is not the state file found (a crash came between writing FILE and replacing the log) holds
 * only changes FILE already has, and is not replayed.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { open, readFile, rename, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import type { StateFileStatus } from "./admin/types.ts";
import type { Engine } from "./engine/index.ts";
import type { Change, Replication, ReplicationStatus } from "./engine/replication-port.ts";
import { HttpError } from "./http-error.ts";
import type { Entry, EntryClock } from "./replication/entry.ts";
import {
  asFileError,
  checkStateFolder,
  describe,
  readStateFileAndHash,
  StateFileError,
  syncFolder,
  writeStateFile,
} from "./state-file.ts";
import type { Store } from "./store/store.ts";

/** Fold the log into the state file after this many changes... */
export const FOLD_EVERY_CHANGES = 1000;
/** ...or once the log is this large. */
export const FOLD_BYTES = 16 * 1024 * 1024;

export interface StateLogOptions {
  foldEvery?: number;
  foldBytes?: number;
  /** Told of a failed write or fold, once until one succeeds again. */
  onError?: (error: unknown) => void;
  /** The wall clock of `fileStatus().lastWrite`. */
  now?: () => string;
}

interface Waiting {
  entry: Entry;
  resolve: (result: unknown) => void;
  reject: (error: unknown) => void;
}

type LogHandle = Awaited<ReturnType<typeof open>>;

/** The log of `--state-sync`: the engine's `Replication` port, kept in a local file. */
export class StateLog implements Replication {
  readonly logPath: string;
  private engine: Engine | undefined;
  private file: LogHandle | undefined;
  private waiting: Waiting[] = [];
  /** The loop that appends, flushes and applies, while it runs. */
  private running: Promise<void> | undefined;
  private ticket = 0;
  /** How many times the log was flushed to disk (`fsync`) for changes: fewer than the changes under load. */
  flushes = 0;
  /** True while the log is replayed at start: its changes were sent to the webhooks when they were made. */
  replaying = false;
  /** The log's length up to its last whole, flushed line: a failed append is cut back to it. */
  private bytes = 0;
  private sinceFold = 0;
  private lastWrite: string | null = null;
  private lastError: string | null = null;
  private readonly foldEvery: number;
  private readonly foldBytes: number;
  private readonly onError: (error: unknown) => void;
  private readonly now: () => string;

  constructor(
    readonly path: string,
    /** The time and ids of the change being applied (or replayed): the store's clock and ids. */
    readonly clock: EntryClock,
    options: StateLogOptions = {},
  ) {
    this.logPath = `${path}.log`;
    this.foldEvery = options.foldEvery ?? FOLD_EVERY_CHANGES;
    this.foldBytes = options.foldBytes ?? FOLD_BYTES;
    this.onError = options.onError ?? ((error) => console.error(`converseiq-mock: ${describe(error)}`));
    this.now = options.now ?? (() => new Date().toISOString());
  }

  /**
   * Loads the state file, replays the log that follows it, and folds both into a new state file and an
   * empty log. A state folder that cannot be written, or a bad state file, throws a StateFileError.
   */
  async start(engine: Engine): Promise<void> {
    this.engine = engine;
    await checkStateFolder(this.path);
    const loaded = await readStateFileAndHash(this.path);
    if (loaded) {
      try {
        this.store.replace(loaded.state);
      } catch (error) {
        throw asFileError(this.path, error);
      }
    }
    this.replaying = true;
    try {
      for (const entry of await readStateLog(this.logPath, loaded?.hash)) {
        try {
          this.apply(entry);
        } catch {
          // Refused when it was made (its caller got the error), refused the same way now.
        }
      }
    } finally {
      this.replaying = false;
    }
    await this.fold();
  }

  submit(change: Change): Promise<unknown> {
    const entry = this.clock.stamp(change, "local", ++this.ticket);
    return new Promise((resolve, reject) => {
      this.waiting.push({ entry, resolve, reject });
      this.running ??= this.run().finally(() => {
        this.running = undefined;
      });
    });
  }

  /** Nothing to wait for: this process holds every change. */
  beforeRead(): false {
    return false;
  }

  /** Not shared with other replicas (`GET /__admin/replication`). */
  async status(): Promise<ReplicationStatus> {
    return { shared: false };
  }

  /** Where the state file stands (`GET /__admin/health`). */
  fileStatus(): StateFileStatus {
    return { path: this.path, lastWrite: this.lastWrite, lastError: this.lastError };
  }

  /** Waits for the changes under way, folds the log into the state file and closes it. */
  async close(): Promise<void> {
    while (this.running) await this.running;
    try {
      await this.fold();
    } finally {
      await this.file?.close().catch(() => undefined);
      this.file = undefined;
    }
  }

  /** Appends, flushes and applies the waiting changes, a batch at a time, until none is left. */
  private async run(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0);
      const text = batch.map((w) => `${JSON.stringify(w.entry)}\n`).join("");
      try {
        if (!this.file) throw new Error("the log is not open");
        await this.file.write(text);
        await this.file.sync();
        this.flushes++;
        this.bytes += Buffer.byteLength(text);
        this.sinceFold += batch.length;
        this.succeeded();
      } catch (error) {
        // A line written in part would be replayed (or torn): cut the log back to its last whole line.
        await this.file?.truncate(this.bytes).catch(() => undefined);
        this.failed(error);
        const refusal = new HttpError(
          "service_unavailable",
          `The change could not be written to ${this.logPath}, so it was not made; see GET /__admin/health.`,
        );
        for (const w of batch) w.reject(refusal);
        continue;
      }
      // In the order of the log, as a replay will.
      const settle = batch.map((w) => {
        try {
          const result = this.apply(w.entry);
          return () => w.resolve(result);
        } catch (error) {
          return () => w.reject(error);
        }
      });
      if (this.sinceFold >= this.foldEvery || this.bytes >= this.foldBytes) {
        // Before answering, so that an answer that filled the log finds it folded; changes arriving meanwhile
        // wait for the next batch, so the fold's snapshot holds exactly the log. A failed fold leaves the log
        // as it was (and is reported): nothing is lost.
        await this.fold().catch(() => undefined);
      }
      for (const answer of settle) answer();
    }
  }

  private get store(): Store {
    if (!this.engine) throw new Error("the state log was not started");
    return this.engine.store;
  }

  private apply(entry: Entry): unknown {
    const engine = this.engine;
    if (!engine) throw new Error("the state log was not started");
    return this.clock.during(entry, () => engine.apply(entry.change));
  }

  /** Writes the state to the state file, then starts a new log that follows it. */
  private async fold(): Promise<void> {
    try {
      const hash = await writeStateFile(this.path, this.store.snapshot());
      const temp = `${this.logPath}.${randomBytes(6).toString("hex")}.tmp`;
      const base = `${JSON.stringify({ base: hash })}\n`;
      const fresh = await open(temp, "w");
      try {
        await fresh.write(base);
        await fresh.sync();
        await fresh.close();
        await rename(temp, this.logPath);
      } catch (error) {
        await fresh.close().catch(() => undefined);
        await unlink(temp).catch(() => undefined);
        throw error;
      }
      await syncFolder(dirname(this.logPath));
      await this.file?.close().catch(() => undefined);
      this.file = await open(this.logPath, "a");
      this.bytes = Buffer.byteLength(base);
      this.sinceFold = 0;
      this.succeeded();
    } catch (error) {
      this.failed(error);
      throw error;
    }
  }

  private succeeded(): void {
    this.lastWrite = this.now();
    this.lastError = null;
  }

  private failed(error: unknown): void {
    const failure = new StateFileError(`Cannot write the state file ${this.path} or its log: ${describe(error)}`);
    if (this.lastError === null) this.onError(failure);
    this.lastError = failure.message;
  }
}

/** The changes of the log at `logPath`, when it follows the state file of `hash`; none otherwise. */
async function readStateLog(logPath: string, hash: string | undefined): Promise<Entry[]> {
  let text: string;
  try {
    text = await readFile(logPath, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new StateFileError(`Cannot read the log ${logPath}: ${describe(error)}`);
  }
  const [head, ...lines] = text.split("\n");
  const base = parseLine(head ?? "") as { base?: unknown } | undefined;
  if (base?.base !== hash) return [];
  // A line cut short by a crash during its append was never answered: it is left out.
  return lines.map(parseLine).filter((entry): entry is Entry => isEntry(entry));
}

/**
 * Without --state-sync: refuses to start (a StateFileError) when the log of an earlier `--state-sync` run
 * holds changes that are not in the state file yet, rather than start without them.
 */
export async function refuseUnfoldedLog(path: string): Promise<void> {
  const logPath = `${path}.log`;
  if (!existsSync(logPath)) return;
  const entries = await readStateLog(logPath, (await readStateFileAndHash(path))?.hash);
  if (entries.length === 0) return;
  throw new StateFileError(
    `${logPath} holds ${entries.length} change(s) of a --state-sync run that are not in ${path} yet: start with --state-sync to replay them (or delete the log to start without them).`,
  );
}

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

function isEntry(value: unknown): boolean {
  return typeof value === "object" && value !== null && "change" in value && "ts" in value && "ids" in value;
}
