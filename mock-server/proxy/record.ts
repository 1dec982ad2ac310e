/**
 * `--record FILE`: every object seen in the upstream's answers becomes part of a state that the mock serves
 * (`converseiq-mock --state FILE`), with its personal data replaced. Ids, relations, timestamps and flags
 * are kept; a later answer for the same id replaces an earlier one, and a delete removes.
 *
 * Its parts: what each operation's answer adds (record-steps.ts, one step per operation, checked by the
 * compiler), the objects of an answer (answer-objects.ts), what is held meanwhile (recording.ts), and the
 * state made of it (record-state.ts), sanitised (sanitise.ts) with stand-ins for what answers named but did
 * not show (stand-ins.ts). Which properties are personal and which name other objects, the spec says
 * (`x-personal`, `x-references`; schema-marks.ts).
 *
 * What the answers do not say is made up, the same way every time:
 * - channels and bots are known only by the ids that chats and messages give: they are named "Channel 1",
 *   "Bot 1", ... in the order they were first seen, and every channel is a `LiveChatWeb`;
 * - a contact, team member, workspace or owner that something names but no answer showed is added with
 *   fake data (a contact gets its chat's title as its name, since a chat's title is its contact's name by
 *   default);
 * - messages of a chat that was never seen are left out (the store needs the chat's channel);
 * - of two contacts recorded with the same email (compared case-insensitively), only the first keeps it.
 * An object that breaks the spec (object-check.ts) is left out and reported (`leftOut`, `onLeftOut`) with
 * its operation and place; recording goes on with the rest of the answer and the answers after it.
 * Lists are kept in the order the pages showed them (contacts and chats oldest first, messages newest first,
 * as the API lists them); objects seen only one by one come after them, in the order they were seen.
 */
import type { StateSnapshot } from "../store/types.ts";
import { createObjectCheck } from "./object-check.ts";
import { buildState } from "./record-state.ts";
import { type Admit, recordStep } from "./record-steps.ts";
import { Recording } from "./recording.ts";
import { DEFAULT_SANITISE_KEY } from "./sanitise.ts";
import type { Exchange } from "./types.ts";

export interface RecorderOptions {
  /** The key of the hash that picks each fake value (see sanitise.ts); keep it secret to keep fakes unguessable. */
  seed?: string;
  /** Told of each object left out because it breaks the spec, as it happens. */
  onLeftOut?: (leftOut: LeftOut) => void;
}

/** An object of an answer that was not recorded, and why. */
export interface LeftOut {
  operationId: string;
  /** Where the problem is in the answer's body: a JSON pointer (`/data/3/email`; "" for the body itself). */
  place: string;
  /** What was wrong, in the schema validator's words (`must be string`). */
  problem: string;
}

/** `getContact /email: must be string`. */
export function describeLeftOut({ operationId, place, problem }: LeftOut): string {
  return `${operationId} ${place || "(body)"}: ${problem}`;
}

export interface Recorder {
  /** Takes in the objects of one answered exchange. */
  observe(exchange: Exchange): void;
  /** The state recorded so far, sanitised: valid for the admin spec's State and the store. */
  state(): StateSnapshot;
  /** How many exchanges changed what is recorded (a writer may skip writing when it did not move). */
  readonly version: number;
  /** The objects left out so far because they break the spec, in the order seen. */
  leftOut(): readonly LeftOut[];
}

export function createRecorder(options: RecorderOptions = {}): Recorder {
  const key = options.seed ?? DEFAULT_SANITISE_KEY;
  const recording = new Recording();
  const check = createObjectCheck();
  const leftOut: LeftOut[] = [];
  let version = 0;
  return {
    observe(exchange) {
      const { operationId, status } = exchange;
      if (status < 200 || status > 299 || operationId === undefined) return;
      // An operation the spec lacks (the path matched none) has no step: its answer is nothing the mock serves.
      const step = recordStep(operationId);
      const admit: Admit = (kind, value, place) => {
        const problem = check(kind, value);
        if (!problem) return true;
        const out = { operationId, place: `${place}${problem.pointer}`, problem: problem.message };
        leftOut.push(out);
        options.onLeftOut?.(out);
        return false;
      };
      if (step?.(recording, exchange, admit)) version++;
    },
    state: () => buildState(key, recording),
    get version() {
      return version;
    },
    leftOut: () => leftOut,
  };
}
