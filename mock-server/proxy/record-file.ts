/**
 * `--record FILE`: the recorder (record.ts) kept on disk. A moment after each exchange that changed what is
 * recorded, the whole state is written to FILE, and once more on `close()`; each write goes to a temporary
 * file that is renamed over FILE (state-file.ts), so FILE is always a whole state that `--state FILE` loads.
 * An existing FILE is replaced: each recording starts empty.
 */
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

export function recordToFile(file: string, options: RecorderOptions & StateFileWriterOptions = {}): FileRecorder {
  const { seed, ...writerOptions } = options;
  const recorder = createRecorder(seed === undefined ? {} : { seed });
  const writer = new StateFileWriter(file, () => recorder.state(), writerOptions);
  return {
    recorder,
    observe(exchange) {
      const before = recorder.version;
      recorder.observe(exchange);
      if (recorder.version !== before) writer.changed();
    },
    flush: () => writer.flush(),
  };
}
