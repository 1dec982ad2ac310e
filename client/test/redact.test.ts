import { describe, expect, it } from "vitest";
import { createRedactor } from "../redact.ts";

describe("createRedactor", () => {
  const key = 'k3y/with "quotes"+slash';
  const redactor = createRedactor(key);

  it.each([
    { spelling: "as it is", text: `key=${key}` },
    { spelling: "escaped in JSON", text: JSON.stringify({ key }) },
    { spelling: "percent-encoded", text: `https://x.test/?key=${encodeURIComponent(key)}` },
  ])("masks the secret $spelling", ({ text }) => {
    expect(redactor.leaks(text)).toBe(true);
    const masked = redactor.redact(text);
    expect(masked).toContain("[REDACTED]");
    expect(redactor.leaks(masked)).toBe(false);
  });

  it("leaves text without the secret unchanged", () => {
    expect(redactor.redact("nothing to hide")).toBe("nothing to hide");
  });

  it("refuses an empty secret, which would match everywhere", () => {
    expect(() => createRedactor("")).toThrow(TypeError);
  });
});
