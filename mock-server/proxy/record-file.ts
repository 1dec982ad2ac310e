/**
 * `--record FILE`: the recorder (record.ts) kept on disk. A moment after each exchange that changed what is
 * recorded (and at least every few seconds under steady traffic), the whole state is written to FILE, and
 * once more on `flush()`; each write goes to a temporary
 * file that is renamed over FILE (state-file.ts), so FILE is always a whole state that `--state FILE` loads.
 * An existing FILE is replaced: each recording starts empty, and FILE is not touched until something was
 * recorded. `finish()` makes the last write and says what came of it (`describeOutcome`: the CLI's last line),
 * from what was written, never from what was meant to be.
 */
import { existsSync } from "node:fs";
import { realScheduler } from "../scheduler.ts";
import { StateFileWriter, type StateFileWriterOptions } from "../state-file.ts";
import type { StateSnapshot } from "../store/types.ts";
import { createRecorder, describeLeftOut, type LeftOut, type Recorder, type RecorderOptions } from "./record.ts";
import type { Exchange } from "./types.ts";

export interface FileRecorder {
  /** Hand it to the proxy's `onExchange`. */
  observe(exchange: Exchange): void;
  recorder: Recorder;
  /** Writes the state now (after any write under way), when anything was recorded. */
  flush(): Promise<void>;
  /** The last write (as `flush`), and what the recording came to. */
  finish(): Promise<RecordingOutcome>;
}

/** What a recording came to: the file and what its last write held, or why there is none. */
export interface RecordingOutcome {
  file: string;
  /** `written`: FILE holds the last state; `nothing`: no answer held an object to record, FILE was not written. */
  result: "written" | "nothing" | "failed";
  /** The objects FILE holds (workspace and owner, team members, channels, bots, contacts, chats, messages). */
  objects: number;
  leftOut: readonly LeftOut[];
  /** Why the last write failed (`failed`). */
  error?: string;
}

/** Under steady traffic (no pause for the write's delay), the state is still written at least this often. */
export const RECORD_MAX_WAIT_MS = 5_000;

export interface RecordToFileOptions extends RecorderOptions, StateFileWriterOptions {
  /** At most this long between a change and its write, however busy the traffic (default RECORD_MAX_WAIT_MS). */
  maxWaitMs?: number;
}

export function recordToFile(file: string, options: RecordToFileOptions = {}): FileRecorder {
  const { seed, onLeftOut, maxWaitMs = RECORD_MAX_WAIT_MS, ...writerOptions } = options;
  const recorder = createRecorder({
    ...(seed === undefined ? {} : { seed }),
    ...(onLeftOut === undefined ? {} : { onLeftOut }),
  });
  const { onError = () => {} } = writerOptions;
  /** The objects of the state the last write was handed, and that write's error, if it failed. */
  let handed = 0;
  let failure: string | undefined;
  const writer = new StateFileWriter(
    file,
    () => {
      const state = recorder.state();
      handed = countObjects(state);
      failure = undefined;
      return state;
    },
    {
      ...writerOptions,
      onError: (error) => {
        failure = (error as Error).message;
        onError(error);
      },
    },
  );
  const now = () => (writerOptions.scheduler ?? realScheduler).now();
  let lastWrite = now();
  const flush = async () => {
    if (recorder.version > 0) await writer.flush();
  };
  return {
    recorder,
    observe(exchange) {
      const before = recorder.version;
      recorder.observe(exchange);
      if (recorder.version === before) return;
      if (now() - lastWrite >= maxWaitMs) {
        lastWrite = now();
        void writer.flush();
      } else writer.changed();
    },
    flush,
    async finish() {
      await flush();
      const leftOut = recorder.leftOut();
      if (recorder.version === 0) return { file, result: "nothing", objects: 0, leftOut };
      if (failure !== undefined || !existsSync(file)) {
        return { file, result: "failed", objects: 0, leftOut, error: failure ?? `${file} is not there` };
      }
      return { file, result: "written", objects: handed, leftOut };
    },
  };
}

function countObjects(state: StateSnapshot): number {
  const { team, channels, bots, contacts, chats, messages } = state;
  // The workspace and its owner, then every list.
  return 2 + [team, channels, bots, contacts, chats, messages].reduce((sum, list) => sum + list.length, 0);
}

/** How many left-out objects the last line names one by one; the rest are counted. */
const NAMED_LEFT_OUT = 3;

/**
 * The recorder's last line: `Recorded: FILE (N objects); M left out as not matching the spec: ...`, or
 * `Nothing recorded` / `Recording failed` with why, so a line never names a file that was not written.
 */
export function describeOutcome(outcome: RecordingOutcome): string {
  const { file, result, objects, leftOut, error } = outcome;
  const head =
    result === "written"
      ? `Recorded: ${file} (${objects} object${objects === 1 ? "" : "s"})`
      : result === "nothing"
        ? `Nothing recorded: no answer held an object to record, so ${file} was not written`
        : `Recording failed: ${file} was not written (${error})`;
  if (leftOut.length === 0) return `${head}; none left out.`;
  const named = leftOut.slice(0, NAMED_LEFT_OUT).map(describeLeftOut).join("; ");
  const more = leftOut.length > NAMED_LEFT_OUT ? `; and ${leftOut.length - NAMED_LEFT_OUT} more` : "";
  return `${head}; ${leftOut.length} left out as not matching the spec: ${named}${more}.`;
}
