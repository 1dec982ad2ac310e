/**
 * `--record FILE`: the recorder (record.ts) kept on disk. A moment after each exchange that changed what is
 * recorded (and at least every few seconds under steady traffic), the whole state is written to FILE, and
 * once more on `flush()`; each write goes to a temporary
 * file that is renamed over FILE (state-file.ts), so FILE is always a whole state that `--state FILE` loads.
 * An existing FILE is replaced: each recording starts empty.
 */
import { realScheduler } from "../scheduler.ts";
import { StateFileWriter, type StateFileWriterOptions } from "../state-file.ts";
import { createRecorder, type Recorder, type RecorderOptions } from "./record.ts";
import type { Exchange } from "./types.ts";

export interface FileRecorder {
  /** Hand it to the proxy's `onExchange`. */
  observe(exchange: Exchange): void;
  recorder: Recorder;
  /** Writes the state now (after any write under way); `close()` of the proxy's owner calls it last. */
  flush(): Promise<void>;
}

/** Under steady traffic (no pause for the write's delay), the state is still written at least this often. */
export const RECORD_MAX_WAIT_MS = 5_000;

export interface RecordToFileOptions extends RecorderOptions, StateFileWriterOptions {
  /** At most this long between a change and its write, however busy the traffic (default RECORD_MAX_WAIT_MS). */
  maxWaitMs?: number;
}

export function recordToFile(file: string, options: RecordToFileOptions = {}): FileRecorder {
  const { seed, maxWaitMs = RECORD_MAX_WAIT_MS, ...writerOptions } = options;
  const recorder = createRecorder(seed === undefined ? {} : { seed });
  const writer = new StateFileWriter(file, () => recorder.state(), writerOptions);
  const now = () => (writerOptions.scheduler ?? realScheduler).now();
  let lastWrite = now();
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
    flush: () => writer.flush(),
  };
}
