/**
 * `--state FILE`: the state is loaded from FILE at start (when it exists), written back a moment after the
 * last request that changed it, and written once more when the server closes. Every write goes to a
 * temporary file in the same folder that is then renamed over FILE, so a crash leaves the old file or the
 * new one, never half of one. A file that is not a valid state is refused with the reasons, before serving.
 */
import { randomBytes } from "node:crypto";
import { open, readFile, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { stateJsonChunks } from "./admin/state-json.ts";
import { checkState } from "./admin/validation.ts";
import { InvalidInputError } from "./invalid-input.ts";
import { realScheduler, type Scheduler, type TimerHandle } from "./scheduler.ts";
import type { Store } from "./store/store.ts";
import { StoreError } from "./store/store-error.ts";
import type { StateSnapshot } from "./store/types.ts";

/** How long after the last change the file is written: a burst of requests costs one write. */
export const STATE_WRITE_DELAY_MS = 200;

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
    return checkState(value);
  } catch (error) {
    throw asFileError(path, error);
  }
}

/** Writes a state to `path` atomically: a temporary file beside it, flushed to disk, then renamed over it. */
export async function writeStateFile(path: string, state: StateSnapshot): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
  const file = await open(temp, "w");
  try {
    for (const chunk of stateJsonChunks(state)) await file.write(chunk);
    await file.write("\n");
    await file.sync();
    await file.close();
    await rename(temp, path);
  } catch (error) {
    await file.close().catch(() => {});
    await unlink(temp).catch(() => {});
    throw error;
  }
}

export interface StateFileWriterOptions {
  delayMs?: number;
  /** Told of a failed write; the next change tries again. */
  onError?: (error: unknown) => void;
  /** The timer of the delay, and the clock that times each write; the runtime's own by default. */
  scheduler?: Scheduler;
}

/**
 * Coalesces changes into debounced writes, one at a time, and flushes on demand. The wait after a change is
 * at least twice the time the last write took, so that with a very large state (a write of a million
 * contacts takes seconds) a steady stream of changes does not keep the server busy writing.
 *
 * A pending write keeps the process alive until it is done (its timer is not unref'd): an in-process user
 * that forgets `app.close()` still gets the file written.
 */
export class StateFileWriter {
  private timer: TimerHandle | undefined;
  /** Settled when the write the timer is waiting to make has been made (for `idle`). */
  private due: { done: Promise<void>; resolve: () => void } | undefined;
  /** The write in progress (or the last one), so writes never overlap. */
  private writing: Promise<void> = Promise.resolve();
  private readonly delayMs: number;
  private lastWriteMs = 0;
  private readonly onError: (error: unknown) => void;
  private readonly scheduler: Scheduler;

  constructor(
    readonly path: string,
    private readonly snapshot: () => StateSnapshot,
    options: StateFileWriterOptions = {},
  ) {
    this.delayMs = options.delayMs ?? STATE_WRITE_DELAY_MS;
    this.onError = options.onError ?? ((error) => console.error(`converseiq-mock: ${describe(error)}`));
    this.scheduler = options.scheduler ?? realScheduler;
  }

  /** The state changed: write it once no change has come for a moment. */
  changed(): void {
    this.scheduler.clearTimeout(this.timer);
    if (!this.due) {
      let resolve = () => {};
      const done = new Promise<void>((r) => {
        resolve = r;
      });
      this.due = { done, resolve };
    }
    this.timer = this.scheduler.setTimeout(
      () => {
        this.timer = undefined;
        void this.writeDue();
      },
      Math.max(this.delayMs, 2 * this.lastWriteMs),
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

  /** Makes the write a change asked for (if any is waiting, it is this one). */
  private async writeDue(): Promise<void> {
    const due = this.due;
    this.due = undefined;
    await this.write();
    due?.resolve();
  }

  private write(): Promise<void> {
    // The snapshot is taken when this write's turn comes, so it holds every change made before it.
    this.writing = this.writing.then(async () => {
      const started = this.scheduler.now();
      try {
        await writeStateFile(this.path, this.snapshot());
      } catch (error) {
        this.onError(new StateFileError(`Cannot write the state file ${this.path}: ${describe(error)}`));
      }
      this.lastWriteMs = this.scheduler.now() - started;
    });
    return this.writing;
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
  const loaded = await readStateFile(path);
  if (loaded) {
    try {
      store.replace(loaded);
    } catch (error) {
      throw asFileError(path, error);
    }
  }
  return new StateFileWriter(path, () => store.snapshot(), options);
}

function asFileError(path: string, error: unknown): Error {
  // The admin spec's checks (InvalidInputError) or the store's own (StoreError, when the state is loaded).
  if (!(error instanceof InvalidInputError || error instanceof StoreError)) return error as Error;
  const head = `The state file ${path} does not hold a valid state`;
  if (error.details.length === 0) return new StateFileError(`${head}: ${error.message}`);
  const lines = error.details.map((d) => `  ${d.field || "(root)"}: ${d.message}`);
  return new StateFileError([`${head}:`, ...lines].join("\n"));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
