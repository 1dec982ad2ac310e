/**
 * Personal data replaced deterministically, for the recorder (record.ts): each real value is hashed with a
 * key (HMAC-SHA256), and the hash seeds faker, which picks the fake. So the same real value always gives
 * the same fake one (a contact's name and the default title of its chats stay equal), and the fake says
 * nothing of the real value without the key. Emails keep a part of the hash in their local part, so
 * distinct emails give distinct fakes (compared case-insensitively, as the store compares them).
 */
import { createHmac } from "node:crypto";
import { en, Faker } from "@faker-js/faker";

/** The key when none is given: recordings are reproducible, but anyone can redo the hash of a guessed value. */
export const DEFAULT_SANITISE_KEY = "converseiq-mock-record";

export type PersonalKind =
  | "name"
  | "email"
  | "phone"
  | "ip"
  | "origin"
  | "country"
  | "zip"
  | "city"
  | "state"
  | "address"
  | "company"
  | "avatar"
  | "workspace";

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

  const pick: Record<Exclude<PersonalKind, "email">, () => string> = {
    name: () => faker.person.fullName(),
    phone: () => faker.phone.number({ style: "international" }),
    ip: () => faker.internet.ipv4(),
    origin: () => `https://${faker.internet.domainWord()}.example.com/${faker.word.noun()}`,
    country: () => faker.location.country(),
    zip: () => faker.location.zipCode(),
    city: () => faker.location.city(),
    state: () => faker.location.state(),
    address: () => faker.location.streetAddress(),
    company: () => faker.company.name(),
    avatar: () => `https://avatars.example.com/${faker.string.alphanumeric({ length: 12, casing: "lower" })}.png`,
    workspace: () => faker.company.name(),
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

  return {
    fake(kind, value) {
      if (kind === "email") return fakeEmail(value);
      return picked(kind, value, pick[kind]);
    },
    text(value) {
      if (value.length === 0) return "";
      return picked("text", value, () => {
        let text = faker.lorem.sentence();
        while (text.length < value.length) text += ` ${faker.lorem.sentence()}`;
        return text.slice(0, value.length).trimEnd();
      });
    },
  };
}
