/**
 * What the recorder does with each operation's answer, one step per operation of the spec. The table is
 * checked by the compiler against the spec's operations (`OperationId`, from generated/), so an operation
 * the spec gains does not compile until it has its step here.
 */
import type { OperationId } from "../../lib/spec.ts";
import { asPage, isObject, isRecord } from "./answer-objects.ts";
import type { ListedKind, Recording } from "./recording.ts";
import type { RecordedKind } from "./schema-marks.ts";
import type { Exchange } from "./types.ts";

/**
 * Whether an object of the answer may be recorded: it matches its kind's schema. One that does not is
 * reported by the recorder, with `place`, its JSON pointer in the answer's body ("" for the body itself).
 */
export type Admit = (kind: RecordedKind, value: unknown, place: string) => boolean;

/** Takes in one successful answer; says whether what is recorded changed. */
export type RecordStep = (recording: Recording, exchange: Exchange, admit: Admit) => boolean;

/** The one object of its kind (the workspace, its owner). */
const single =
  (kind: "Workspace" | "User"): RecordStep =>
  (recording, { body }, admit) => {
    if (!isObject(body) || !admit(kind, body, "")) return false;
    recording.setSingle(kind, body);
    return true;
  };

/** One object, read, created or changed. */
const one =
  (kind: ListedKind): RecordStep =>
  (recording, { body }, admit) => {
    if (!admit(kind, body, "") || !isRecord(body)) return false;
    recording.put(kind, body);
    return true;
  };

/** A page's items; `placed`: the page tells where each stands in the whole list (a search's does not). */
const paged =
  (kind: ListedKind, placed: boolean): RecordStep =>
  (recording, { body }, admit) => {
    const page = asPage(body);
    if (!page) return false;
    let changed = false;
    for (const [i, item] of page.data.entries()) {
      if (!admit(kind, item, `/data/${i}`) || !isRecord(item)) continue;
      recording.put(kind, item, placed && page.offset !== undefined ? page.offset + i : undefined);
      changed = true;
    }
    return changed;
  };

/** A page of a plain list: its items, and where the page puts each. */
const listed = (kind: ListedKind): RecordStep => paged(kind, true);

/** A page of search results: its items, which tell no place in the list. */
const found = (kind: ListedKind): RecordStep => paged(kind, false);

/** A delete: the object whose id ends the path. */
const removed =
  (kind: ListedKind): RecordStep =>
  (recording, { path }) => {
    recording.remove(kind, path.split("/").at(-1) ?? "");
    return true;
  };

export const RECORD_STEPS = {
  getWorkspace: single("Workspace"),
  getWorkspaceOwner: single("User"),
  listTeamMembers: listed("TeamMember"),
  getTeamMember: one("TeamMember"),
  listContacts: listed("Contact"),
  searchContacts: found("Contact"),
  getContact: one("Contact"),
  createContact: one("Contact"),
  updateContact: one("Contact"),
  deleteContact: removed("Contact"),
  listChats: listed("Chat"),
  getChat: one("Chat"),
  createChat: one("Chat"),
  updateChat: one("Chat"),
  deleteChat: removed("Chat"),
  listChatMessages: listed("Message"),
  getChatMessage: one("Message"),
  createChatMessage: one("Message"),
} satisfies Record<OperationId, RecordStep>;

export function recordStep(operationId: string): RecordStep | undefined {
  return Object.hasOwn(RECORD_STEPS, operationId) ? RECORD_STEPS[operationId as OperationId] : undefined;
}
