/**
 * Personal data replaced deterministically, for the recorder (record.ts): each real value is hashed with a
 * key (HMAC-SHA256), and the hash seeds faker, which picks the fake. So the same real value always gives
 * the same fake one (a contact's name and the default title of its chats stay equal), and the fake says
 * nothing of the real value without the key. Emails keep a part of the hash in their local part, so
 * distinct emails give distinct fakes (compared case-insensitively, as the store compares them). Which
 * properties are personal, the spec says: those it marks `x-personal: true` (sanitiseRecord).
 */
import { createHmac } from "node:crypto";
import { en, Faker } from "@faker-js/faker";
import { type RecordedKind, schemaMarks } from "./schema-marks.ts";

/** The key when none is given: recordings are reproducible, but anyone can redo the hash of a guessed value. */
export const DEFAULT_SANITISE_KEY = "converseiq-mock-record";

/**
 * How each kind of personal value is faked. A kind is named after the spec's property (`phone`, `zip_code`),
 * so that a property marked `x-personal` finds its picker by its name; one that none has is faked by its
 * format, else as text (see personalKind).
 */
const PICKERS = {
  name: (f: Faker) => f.person.fullName(),
  phone: (f: Faker) => f.phone.number({ style: "international" }),
  ip: (f: Faker) => f.internet.ipv4(),
  origin: (f: Faker) => `https://${f.internet.domainWord()}.example.com/${f.word.noun()}`,
  country: (f: Faker) => f.location.country(),
  zip_code: (f: Faker) => f.location.zipCode(),
  city: (f: Faker) => f.location.city(),
  state: (f: Faker) => f.location.state(),
  address: (f: Faker) => f.location.streetAddress(),
  company: (f: Faker) => f.company.name(),
  avatar: (f: Faker) => `https://avatars.example.com/${f.string.alphanumeric({ length: 12, casing: "lower" })}.png`,
  workspace: (f: Faker) => f.company.name(),
} satisfies Record<string, (faker: Faker) => string>;

/** `email` keeps distinct addresses distinct; `text` is lorem of the value's length (a description, a message). */
export type PersonalKind = keyof typeof PICKERS | "email" | "text";

const BY_FORMAT: Record<string, PersonalKind> = { email: "email", ipv4: "ip", uri: "origin" };

/**
 * Two personal properties are faked as another kind, to keep what relates them: a workspace's name is a
 * business's, and a chat's title is its contact's name by default, so the same real name gets the same fake.
 */
const AS_KIND: Record<string, PersonalKind> = { "Workspace.name": "workspace", "Chat.title": "name" };

/** The kind of fake for the personal property `field` of the schema `holder`: by name, else by format, else text. */
export function personalKind(holder: string, field: string, format: string | undefined): PersonalKind {
  const kind = AS_KIND[`${holder}.${field}`] ?? (Object.hasOwn(PICKERS, field) ? (field as PersonalKind) : undefined);
  return kind ?? (format === undefined ? undefined : BY_FORMAT[format]) ?? "text";
}

export interface Sanitiser {
  /** The fake for a real value of a kind of personal data; the same (kind, value) always gives the same fake. */
  fake(kind: PersonalKind, value: string): string;
  /** Lorem text of the same length as `value` (a message, a description), picked by its hash. */
  text(value: string): string;
}

/**
 * `avoid`: the real values (of every kind) of the data being sanitised. A fake that happens to be one of
 * them (faker has 50 US states; the real data may come from faker too) is picked again, so that no real
 * value appears in what is written.
 */
export function createSanitiser(key: string = DEFAULT_SANITISE_KEY, avoid: ReadonlySet<string> = new Set()): Sanitiser {
  const faker = new Faker({ locale: [en] });
  const emails = new Map<string, string>();
  const taken = new Set<string>();

  const hash = (kind: string, value: string): Buffer => createHmac("sha256", key).update(`${kind}\0${value}`).digest();
  const seeded = (kind: string, value: string): Buffer => {
    const digest = hash(kind, value);
    faker.seed([digest.readUInt32BE(0), digest.readUInt32BE(4)]);
    return digest;
  };

  /** The first pick (seeded by the value's hash, then by the hash of each retry) that is no real value. */
  function picked(kind: string, value: string, make: () => string): string {
    let candidate = "";
    for (let attempt = 0; attempt < 100; attempt++) {
      seeded(kind, attempt === 0 ? value : `${value}\0${attempt}`);
      candidate = make();
      if (!avoid.has(candidate)) return candidate;
    }
    // Every pick was a real value (a tiny vocabulary, all of it in the real data): a numbered one is not.
    for (let n = 2; ; n++) if (!avoid.has(`${candidate} ${n}`)) return `${candidate} ${n}`;
  }

  function fakeEmail(value: string): string {
    // Case-insensitively the same email is the same address, so it gets the same fake.
    const real = value.toLowerCase();
    const known = emails.get(real);
    if (known !== undefined) return known;
    const digest = seeded("email", real);
    const word = (w: string, otherwise: string) => w.toLowerCase().replace(/[^a-z]/g, "") || otherwise;
    const base = `${word(faker.person.firstName(), "user")}.${word(faker.person.lastName(), "person")}`;
    // 48 bits of the hash keep distinct emails apart; a counter settles a clash if one ever happens.
    const local = `${base}.${digest.subarray(8, 14).toString("hex")}`;
    let email = `${local}@example.com`;
    for (let n = 2; taken.has(email) || avoid.has(email); n++) email = `${local}.${n}@example.com`;
    taken.add(email);
    emails.set(real, email);
    return email;
  }

  function text(value: string): string {
    if (value.length === 0) return "";
    return picked("text", value, () => {
      let text = faker.lorem.sentence();
      while (text.length < value.length) text += ` ${faker.lorem.sentence()}`;
      return text.slice(0, value.length).trimEnd();
    });
  }

  return {
    fake(kind, value) {
      if (kind === "email") return fakeEmail(value);
      if (kind === "text") return text(value);
      const pick = PICKERS[kind];
      return picked(kind, value, () => pick(faker));
    },
    text,
  };
}

/** The record with each property its schema marks `x-personal` replaced by its fake (null stays null). */
export function sanitiseRecord<T>(s: Sanitiser, kind: RecordedKind, record: T): T {
  const out = { ...record } as Record<string, unknown>;
  for (const { field, format } of schemaMarks(kind).personal) {
    const value = out[field];
    if (typeof value === "string") out[field] = s.fake(personalKind(kind, field, format), value);
  }
  return out as T;
}
