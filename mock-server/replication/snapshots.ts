/**
 * Snapshots: when the next is due, and writing one to Redis without holding up the answers or Redis.
 *
 * A replica counts from the last snapshot it knows of (loaded or written); the one that makes the change
 * where one is due writes it.
 */
import type { Engine } from "../engine/index.ts";
import type { State } from "../store/state.ts";
import { imageJsonChunks, type MockImage, takeImage } from "./image.ts";
import type { LogEntry, RedisLog } from "./redis-log.ts";

export interface SnapshotSpacing {
  /** At least this many changes between snapshots (`RedisOptions.snapshotEvery`). */
  snapshotEvery: number;
  /** The fewest changes a trim keeps (`RedisOptions.keepChanges`). */
  keepChanges: number;
}

export class Snapshots {
  /** A snapshot being written, and the change of the last snapshot this replica knows of. */
  private saving: Promise<void> | undefined;
  private snapshotAt = 0;
  /** The change from which the next snapshot may be due (the spacing, as last counted, after snapshotAt). */
  private dueAt = 0;

  /** `writer` is this replica's name, `report` told of a snapshot that failed while Redis was reachable. */
  constructor(
    private readonly log: RedisLog,
    private readonly spacing: SnapshotSpacing,
    private readonly writer: string,
    private readonly report: (error: unknown) => void,
  ) {}

  /** Whether a snapshot is due at change `n`. */
  dueAfter(n: number): boolean {
    return n >= this.dueAt;
  }

  /**
   * Counts from a snapshot at change `at` (loaded or written): the next is due `snapshotEvery` changes
   * later, or as many changes as the records it held when that is more, so that a snapshot, which costs the
   * whole state, costs each change a bounded share of it however large the state grows.
   */
  countFrom(at: number, engine: Engine): void {
    const { store, workspaces } = engine;
    let records = recordsOf(store.state);
    for (const workspace of workspaces.values()) records += recordsOf(workspace.store.state);
    this.snapshotAt = at;
    this.dueAt = at + Math.max(this.spacing.snapshotEvery, records);
  }

  /**
   * The state as it is now (right after change `at` of `epoch`) goes to Redis; the log is trimmed to the
   * changes from the previous snapshot on. The records are taken now (the store never changes a record in
   * place, so the arrays of them are the state at `at`); their JSON is made and sent a piece at a time
   * between requests, so that a large state holds up neither the answers nor Redis. One snapshot at a time:
   * one due meanwhile is left to the next.
   */
  save(at: LogEntry, epoch: string, engine: Engine): void {
    if (this.saving) return;
    const previousAt = this.snapshotAt;
    this.countFrom(at.n, engine);
    const image = takeImage(engine);
    this.saving = (async () => {
      const head = `{"n":${at.n},"id":${JSON.stringify(at.id)},"epoch":${JSON.stringify(epoch)},"image":`;
      await this.log.keep(
        at.n,
        epoch,
        snapshotPieces(head, image),
        this.writer,
        previousAt > 0 ? previousAt : undefined,
        this.spacing.keepChanges,
      );
    })()
      .catch((error) => {
        // Redis out of reach: the next snapshot will do.
        if (this.log.connected) this.report(error);
      })
      .finally(() => {
        this.saving = undefined;
      });
  }

  /** Resolves once the snapshot being written, if any, is in Redis (or failed). */
  async written(): Promise<void> {
    await this.saving;
  }
}

/** About how many records a state holds: its contacts, chats, messages and team (what a snapshot writes). */
function recordsOf(state: State): number {
  let messages = 0;
  for (const chat of state.messages.values()) messages += chat.size;
  return state.contacts.size + state.chats.size + messages + state.team.size;
}

/** About how many bytes of a snapshot go to Redis in one command: small enough that Redis serves others between. */
const PIECE_BYTES = 256 * 1024;

/** A snapshot's JSON as UTF-8 pieces of about PIECE_BYTES, made as they are sent (each send is a turn for the requests). */
async function* snapshotPieces(head: string, image: MockImage): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [Buffer.from(head)];
  let size = parts[0]?.length ?? 0;
  for (const chunk of imageJsonChunks(image)) {
    const bytes = Buffer.from(chunk);
    parts.push(bytes);
    size += bytes.length;
    if (size >= PIECE_BYTES) {
      yield Buffer.concat(parts);
      parts = [];
      size = 0;
    }
  }
  parts.push(Buffer.from("}"));
  yield Buffer.concat(parts);
}
