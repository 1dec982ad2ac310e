/**
 * Seeded data made with faker: the same seed and sizes give the same state, byte for byte. Times are
 * laid out before a fixed reference date, never read from the clock.
 */
import { en, Faker } from "@faker-js/faker";
import { blankContact } from "./contact-fields.ts";
import { deriveContacts, FAKER_CONTACTS } from "./seed-derived.ts";
import type {
  Bot,
  Channel,
  ChannelType,
  Contact,
  Message,
  SeedOptions,
  StateSnapshot,
  StoredChat,
  TeamMember,
} from "./types.ts";

export type SeedSizes = Required<SeedOptions>;

export const DEFAULT_SEED: SeedSizes = { seed: 42, contacts: 50, chats: 20, team: 6, channels: 5, bots: 2 };

/** Seeded data ends here: a fixed moment, so that output does not depend on the day it is made. */
export const REFERENCE_DATE = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;

const CHANNEL_TYPES: ChannelType[] = ["LiveChatWeb", "WhatsApp", "Messenger", "Email", "Telegram", "Instagram", "SMS"];
const CHANNEL_NAMES: Record<ChannelType, string> = {
  LiveChatWeb: "Website chat",
  WhatsApp: "WhatsApp",
  Messenger: "Facebook Messenger",
  Email: "Support inbox",
  Telegram: "Telegram",
  Instagram: "Instagram DMs",
  SMS: "SMS",
};
const LANGS = ["en", "en", "en", "fr", "de", "es", "it", "ja", "zh", "vi"];

const iso = (ms: number) => new Date(ms).toISOString();

export function seedState(options: SeedSizes): StateSnapshot {
  const faker = new Faker({ locale: [en] });
  faker.seed(options.seed);
  faker.setDefaultRefDate(REFERENCE_DATE);
  const workspaceCreated = REFERENCE_DATE - 400 * DAY;
  const company = faker.company.name();
  const domain = `${faker.internet.domainWord()}.com.au`;

  const team: TeamMember[] = [];
  for (let i = 0; i < options.team; i++) {
    const firstName = faker.person.firstName();
    const lastName = faker.person.lastName();
    team.push({
      guid: faker.string.uuid(),
      name: `${firstName} ${lastName}`,
      email: `${firstName}.${lastName}${i}@${domain}`.toLowerCase().replace(/[^a-z0-9.@-]/g, ""),
      avatar: faker.datatype.boolean()
        ? `https://cdn.converseiq.com.au/avatars/${faker.string.alphanumeric(12)}.png`
        : null,
      role: i === 0 ? "owner" : i === 1 ? "admin" : "agent",
      created_at: iso(workspaceCreated + i * 3 * DAY),
    });
  }
  const ownerMember = team[0];
  if (!ownerMember) throw new Error("a workspace needs at least its owner in the team");
  const { role: _, ...owner } = ownerMember;

  const channels: Channel[] = Array.from({ length: options.channels }, (_, i) => {
    const type = CHANNEL_TYPES[i % CHANNEL_TYPES.length] as ChannelType;
    const round = Math.floor(i / CHANNEL_TYPES.length);
    return {
      guid: faker.string.uuid(),
      type,
      name: round === 0 ? CHANNEL_NAMES[type] : `${CHANNEL_NAMES[type]} ${round + 1}`,
    };
  });
  const bots: Bot[] = Array.from({ length: options.bots }, (_, i) => ({
    guid: faker.string.uuid(),
    name:
      i === 0
        ? "Support Bot"
        : `${faker.word.adjective({ length: { min: 4, max: 8 } })} bot`.replace(/^./, (c) => c.toUpperCase()),
  }));

  const contacts = seedContacts(faker, options.contacts);
  const { chats, messages } = seedChats(faker, options.chats, { team, channels, bots, contacts });

  return {
    workspace: { guid: faker.string.uuid(), name: company, owner: owner.guid, created_at: iso(workspaceCreated) },
    owner,
    team,
    channels,
    bots,
    contacts,
    chats,
    messages,
  };
}

function seedContacts(faker: Faker, count: number): Contact[] {
  const start = REFERENCE_DATE - 365 * DAY;
  const step = count > 0 ? Math.floor((360 * DAY) / count) : 0;
  const createdAt = (i: number) => iso(start + i * step);
  const contacts: Contact[] = [];
  // Past FAKER_CONTACTS, contacts are put together from the faker-made ones (seed-derived.ts).
  const made = Math.min(count, FAKER_CONTACTS);
  const pool = { contacts, firstNames: [] as string[], lastNames: [] as string[] };
  for (let i = 0; i < made; i++) {
    const firstName = faker.person.firstName();
    const lastName = faker.person.lastName();
    pool.firstNames.push(firstName);
    pool.lastNames.push(lastName);
    const created = createdAt(i);
    const sparse = <T>(value: () => T): T | null => (faker.number.int(9) < 7 ? value() : null);
    // Every field of the spec's Contact, null until given a value below (as a field the spec gains is).
    contacts.push({
      ...blankContact(faker.string.uuid(), created),
      name: `${firstName} ${lastName}`,
      // The index keeps seeded emails unique, as the workspace requires.
      email: `${firstName}.${lastName}.${i}@${faker.internet.domainName()}`.toLowerCase().replace(/[^a-z0-9.@-]/g, ""),
      phone: sparse(() => faker.phone.number({ style: "international" })),
      ip: sparse(() => faker.internet.ipv4()),
      origin: sparse(() => faker.internet.url()),
      description: sparse(() => faker.lorem.sentence()),
      country: faker.location.country(),
      zip_code: sparse(() => faker.location.zipCode()),
      city: faker.location.city(),
      state: sparse(() => faker.location.state({ abbreviated: true })),
      address: sparse(() => faker.location.streetAddress()),
      company: sparse(() => faker.company.name()),
      lang: faker.helpers.arrayElement(LANGS),
    });
  }
  if (count > made) {
    const derived = deriveContacts(pool, made, count, faker.number.int(0xffffffff), createdAt);
    for (const contact of derived) contacts.push(contact);
  }
  return contacts;
}

interface Cast {
  team: TeamMember[];
  channels: Channel[];
  bots: Bot[];
  contacts: Contact[];
}

function seedChats(faker: Faker, count: number, cast: Cast): { chats: StoredChat[]; messages: Message[] } {
  const chats: StoredChat[] = [];
  const messages: Message[] = [];
  const start = REFERENCE_DATE - 60 * DAY;
  const step = count > 0 ? Math.floor((59 * DAY) / count) : 0;
  for (let i = 0; i < count; i++) {
    const channel = faker.helpers.arrayElement(cast.channels);
    const contact = cast.contacts.length > 0 ? faker.helpers.arrayElement(cast.contacts) : null;
    const agent = faker.helpers.arrayElement(cast.team);
    const bot = cast.bots.length > 0 && faker.datatype.boolean() ? faker.helpers.arrayElement(cast.bots) : null;
    const created = start + i * step;
    const chat: StoredChat = {
      guid: faker.string.uuid(),
      channel: channel.guid,
      title: contact?.name ?? null,
      contact: contact?.guid ?? null,
      agent: agent.guid,
      bot: bot?.guid ?? null,
      chatflow: bot ? 1 : 0,
      muted: faker.number.int(9) === 0,
      archived: faker.number.int(9) === 0,
      resolved: faker.datatype.boolean(),
      created_at: iso(created),
      updated_at: iso(created),
      custom_title: null,
    };
    // Only a LiveChatWeb chat may hold messages sent on behalf of its contact (the reference's rule).
    const senders: Message["sender_type"][] = ["agent"];
    if (bot) senders.push("bot");
    if (contact && channel.type === "LiveChatWeb") senders.push("contact");
    const total = faker.number.int({ min: 1, max: 15 });
    let at = created;
    let last = created;
    for (let m = 0; m < total; m++) {
      const sender =
        m === 0 ? (senders.includes("contact") ? "contact" : "agent") : faker.helpers.arrayElement(senders);
      messages.push({
        guid: faker.string.uuid(),
        chat: chat.guid,
        message: faker.lorem.sentence({ min: 3, max: 16 }),
        sender_type: sender,
        agent: sender === "agent" ? agent.guid : null,
        bot: sender === "bot" ? (bot?.guid ?? null) : null,
        contact: sender === "contact" ? (contact?.guid ?? null) : null,
        created_at: iso(at),
        updated_at: iso(at),
      });
      last = at;
      at += faker.number.int({ min: 30, max: 3600 }) * 1000;
    }
    chat.updated_at = iso(last);
    chats.push(chat);
  }
  return { chats, messages };
}
