// The tests of one of two files run side by side: each writes to a workspace of its own and sees only its
// own data. Each file names itself, and its writes carry that name.
import { expect, it } from "vitest";
import { useConverseiqMock } from "../../vitest-preset.ts";

export function workspaceCase(name: string): void {
  const mock = useConverseiqMock({ workspace: true });

  it("sees its own writes and events, and nothing of the other file's", async () => {
    const before = (await mock.snapshot()).contacts.length;
    for (let n = 0; n < 5; n++) {
      await mock.client.POST("/contact", { body: { name: `Made By ${name}`, email: `${name}-${n}@example.com` } });
    }
    const contacts = (await mock.snapshot()).contacts;
    expect(contacts.length).toBe(before + 5);
    expect(contacts.filter((c) => c.name?.startsWith("Made By ")).map((c) => c.name)).toEqual(
      Array(5).fill(`Made By ${name}`),
    );
    expect((await mock.events()).map((e) => e.event)).toEqual(Array(5).fill("contact.created"));
    await mock.reset();
    expect((await mock.snapshot()).contacts.length).toBe(before);
  });

  it("stamps its writes with the shared mock's clock, set by the test", async () => {
    // Both files set the same time: the clock is the mock's, shared by every file.
    await mock.clock.set("2030-01-01T00:00:00.000Z");
    const { data } = await mock.client.POST("/contact", { body: { name: "Timed" } });
    expect(data?.created_at).toBe("2030-01-01T00:00:00.000Z");
  });
}
