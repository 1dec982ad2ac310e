/**
 * `--state FILE`: the state is loaded from FILE at start (when it exists), written back a moment after the
 * last request that changed it (and at the latest a longest wait after the first change not yet written,
 * however steady the traffic), and written once more when the server closes. Every write goes to a
 * temporary file in the same folder that is flushed to disk and then renamed over FILE, so a crash leaves
 * the old file or the new one, never half of one. A file that is not a valid state is refused with the
 * reasons, before serving; so is a folder that is missing or not writable.
 *
 * `--state-sync` keeps a log of changes beside the file instead (state-log.ts), and uses the reading and
 * atomic writing here. `--read-only` loads the file and never writes it (`replayStateFile`).
 */
import { createHash, randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { access, open, readFile, rename, stat, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { stateJsonChunks } from "./admin/state-json.ts";
import type { StateFileStatus } from "./admin/types.ts";
import { checkState } from "./admin/validation.ts";
import { InvalidInputError } from "./invalid-input.ts";
import { realScheduler, type Scheduler, type TimerHandle } from "./scheduler.ts";
import type { Store } from "./store/store.ts";
import { StoreError } from "./store/store-error.ts";
import type { StateSnapshot } from "./store/types.ts";

/** How long after the last change the file is written: a burst of requests costs one write. */
export const STATE_WRITE_DELAY_MS = 200;
/** The longest a change waits for the file, however steady the changes that keep pushing the write back. */
export const STATE_MAX_WAIT_MS = 1000;

export type { StateFileStatus } from "./admin/types.ts";

/** A state file that cannot be read or is not a valid state; its message says which and why. */
export class StateFileError extends Error {
  override name = "StateFileError";
}

/**
 * Reads a state file and checks it against the State schema and its references (as `PUT /__admin/state`
 * does; the store checks the rest when the state is loaded into it). `undefined` when there is no such file:
 * the mock then starts seeded.
 */
export async function readStateFile(path: string): Promise<StateSnapshot | undefined> {
  return (await readStateFileAndHash(path))?.state;
}

/** `readStateFile`, with the SHA-256 of the file's bytes (what `--state-sync`'s log names its base by). */
export async function readStateFileAndHash(path: string): Promise<{ state: StateSnapshot; hash: string } | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    const hint = code === "ERR_STRING_TOO_LONG" ? " (a state file holds at most about 500 MB: 1,000,000 contacts)" : "";
    throw new StateFileError(`Cannot read the state file ${path}: ${(error as Error).message}${hint}`);
  }
  let value: unknown;
  try {
    // A UTF-8 byte order mark is dropped, as it is from a request body (engine/stages/body.ts).
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new StateFileError(`The state file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  try {
    return { state: checkState(value), hash: createHash("sha256").update(text).digest("hex") };
  } catch (error) {
    throw asFileError(path, error);
  }
}

/**
 * Writes a state to `path` atomically: a temporary file beside it, flushed to disk, then renamed over it.
 * Resolves with the SHA-256 of the bytes written.
 */
export async function writeStateFile(path: string, state: StateSnapshot): Promise<string> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  const file = await open(temp, "w");
  const hash = createHash("sha256");
  try {
    for (const chunk of stateJsonChunks(state)) {
      hash.update(chunk);
      await file.write(chunk);
    }
    hash.update("\n");
    await file.write("\n");
    await file.sync();
    await file.close();
    await rename(temp, path);
  } catch (error) {
    await file.close().catch(() => {});
    await unlink(temp).catch(() => {});
    throw error;
  }
  await syncFolder(dirname(path));
  return hash.digest("hex");
}

/**
 * Flushes a folder's entries (the rename that put the new file in place), so that the new file survives a
 * power cut too. Some systems cannot open a folder for this (Windows): the rename is then as durable as
 * the system makes it.
 */
export async function syncFolder(folder: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(folder, "r");
    await handle.sync();
  } catch {
    // Not supported here; see above.
  } finally {
    await handle?.close().catch(() => {});
  }
}

/**
 * Checks, before anything is served, that a state file can be written where it is asked for: its folder
 * exists, is a folder, and this process may create files in it. Throws a StateFileError naming the path.
 */
export async function checkStateFolder(path: string): Promise<void> {
  const folder = dirname(path);
  try {
    if (!(await stat(folder)).isDirectory())
      throw new StateFileError(`Cannot write the state file ${path}: ${folder} is not a folder`);
  } catch (error) {
    if (error instanceof StateFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? `its folder ${folder} does not exist` : describe(error);
    throw new StateFileError(`Cannot write the state file ${path}: ${why}`);
  }
  try {
    await access(folder, constants.W_OK | constants.X_OK);
  } catch {
    throw new StateFileError(`Cannot write the state file ${path}: its folder ${folder} is not writable`);
  }
}

export interface StateFileWriterOptions {
  /** How long after the last change the file is written. */
  delayMs?: number;
  /** The longest a change waits for the file while later changes keep pushing the write back. */
  maxWaitMs?: number;
  /** Told of a failed write, once until a write succeeds again (not once per request); the next change tries again. */
  onError?: (error: unknown) => void;
  /** Told when the file is written again after failed writes. */
  onNotice?: (line: string) => void;
  /** The timer of the delay, and the clock that times each write; the runtime's own by default. */
  scheduler?: Scheduler;
  /** The wall clock of `status().lastWrite` (ISO 8601); the system's by default. */
  now?: () => string;
}

/**
 * Coalesces changes into debounced writes, one at a time, and flushes on demand. A write is made a moment
 * after the last change, and at the latest `maxWaitMs` after the first change it will hold, so a steady
 * stream of changes cannot put it off for ever. Both waits are at least twice the time the last write
 * took, so that with a very large state (a write of a million contacts takes seconds) a steady stream of
 * changes does not keep the server busy writing.
 *
 * A pending write keeps the process alive until it is done (its timer is not unref'd): an in-process user
 * that forgets `app.close()` still gets the file written.
 */
export class StateFileWriter {
  private timer: TimerHandle | undefined;
  /** Settled when the write the timer is waiting to make has been made (for `idle`). */
  private due: { done: Promise<void>; resolve: () => void; since: number } | undefined;
  /** The write in progress (or the last one), so writes never overlap. */
  private writing: Promise<void> = Promise.resolve();
  private readonly delayMs: number;
  private readonly maxWaitMs: number;
  private lastWriteMs = 0;
  private lastWrite: string | null = null;
  private lastError: string | null = null;
  private readonly onError: (error: unknown) => void;
  private readonly onNotice: (line: string) => void;
  private readonly scheduler: Scheduler;
  private readonly now: () => string;

  constructor(
    readonly path: string,
    private readonly snapshot: () => StateSnapshot,
    options: StateFileWriterOptions = {},
  ) {
    this.delayMs = options.delayMs ?? STATE_WRITE_DELAY_MS;
    this.maxWaitMs = options.maxWaitMs ?? STATE_MAX_WAIT_MS;
    this.onError = options.onError ?? ((error) => console.error(`converseiq-mock: ${describe(error)}`));
    this.onNotice = options.onNotice ?? (() => undefined);
    this.scheduler = options.scheduler ?? realScheduler;
    this.now = options.now ?? (() => new Date().toISOString());
  }

  /** The state changed: write it once no change has come for a moment, or once the longest wait is over. */
  changed(): void {
    this.scheduler.clearTimeout(this.timer);
    const now = this.scheduler.now();
    if (!this.due) {
      let resolve = () => {};
      const done = new Promise<void>((r) => {
        resolve = r;
      });
      this.due = { done, resolve, since: now };
    }
    const delay = Math.max(this.delayMs, 2 * this.lastWriteMs);
    const deadline = this.due.since + Math.max(this.maxWaitMs, delay);
    this.timer = this.scheduler.setTimeout(
      () => {
        this.timer = undefined;
        void this.writeDue();
      },
      Math.max(0, Math.min(delay, deadline - now)),
    );
  }

  /** Writes now (after any write in progress), whether or not a change is pending. */
  async flush(): Promise<void> {
    this.scheduler.clearTimeout(this.timer);
    this.timer = undefined;
    await this.writeDue();
  }

  /** Resolves once no write is waiting for its moment or under way: what was changed is on disk. */
  async idle(): Promise<void> {
    for (;;) {
      if (this.due) {
        await this.due.done;
        continue;
      }
      const writing = this.writing;
      await writing;
      // Done, unless another write was asked for meanwhile.
      if (this.writing === writing && !this.due) return;
    }
  }

  /**
   * Resolves once the writes already asked for are made, without waiting for one whose moment has not come:
   * what a test driving the scheduler by hand awaits between two steps.
   */
  async drain(): Promise<void> {
    for (let writing = this.writing; ; writing = this.writing) {
      await writing;
      if (this.writing === writing) return;
    }
  }

  /** Where the file stands (`GET /__admin/health`): when it was last written, and the last write's error if it failed. */
  status(): StateFileStatus {
    return { path: this.path, lastWrite: this.lastWrite, lastError: this.lastError };
  }

  /** Makes the write a change asked for (if any is waiting, it is this one). */
  private async writeDue(): Promise<void> {
    const due = this.due;
    this.due = undefined;
    await this.write();
    due?.resolve();
  }

  /** A write in its turn; a failure is reported, not thrown. */
  private write(): Promise<void> {
    this.writing = this.writing.then(() => this.writeOnce());
    return this.writing;
  }

  private async writeOnce(): Promise<void> {
    const started = this.scheduler.now();
    try {
      // The snapshot is taken when this write's turn comes, so it holds every change made before it.
      await writeStateFile(this.path, this.snapshot());
      if (this.lastError !== null) this.onNotice(`the state file ${this.path} is written again.`);
      this.lastError = null;
      this.lastWrite = this.now();
    } catch (error) {
      const failure = new StateFileError(`Cannot write the state file ${this.path}: ${describe(error)}`);
      // Once per run of failures: a server under traffic would otherwise print one line per request.
      if (this.lastError === null) this.onError(failure);
      this.lastError = failure.message;
    } finally {
      this.lastWriteMs = this.scheduler.now() - started;
    }
  }
}

/**
 * Serves the state of `path`: loads it into the store now (a bad file throws StateFileError and changes
 * nothing), and returns the writer that keeps the file up to date. Its owner tells it of each change
 * (`changed()`; the mock does after each answered request that may change the state) and flushes it on close.
 */
export async function attachStateFile(
  store: Store,
  path: string,
  options: StateFileWriterOptions = {},
): Promise<StateFileWriter> {
  await checkStateFolder(path);
  await loadStateFile(store, path);
  return new StateFileWriter(path, () => store.snapshot(), options);
}

/**
 * `--state FILE --read-only`: loads FILE into the store and never writes it; the changes of requests are
 * served from memory and gone when the server stops, so a recording can be replayed any number of times and
 * stays byte for byte as it was. A missing file is refused (there is nothing to replay), as is a bad one.
 */
export async function replayStateFile(store: Store, path: string): Promise<void> {
  if (!(await loadStateFile(store, path))) {
    throw new StateFileError(`Cannot serve the state file ${path} read-only: there is no such file`);
  }
}

/** Loads `path` into the store when the file exists (false when it does not); a bad file changes nothing. */
async function loadStateFile(store: Store, path: string): Promise<boolean> {
  const loaded = await readStateFile(path);
  if (!loaded) return false;
  try {
    store.replace(loaded);
  } catch (error) {
    throw asFileError(path, error);
  }
  return true;
}

export function asFileError(path: string, error: unknown): Error {
  // The admin spec's checks (InvalidInputError) or the store's own (StoreError, when the state is loaded).
  if (!(error instanceof InvalidInputError || error instanceof StoreError)) return error as Error;
  const head = `The state file ${path} does not hold a valid state`;
  if (error.details.length === 0) return new StateFileError(`${head}: ${error.message}`);
  const lines = error.details.map((d) => `  ${d.field || "(root)"}: ${d.message}`);
  return new StateFileError([`${head}:`, ...lines].join("\n"));
}

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
