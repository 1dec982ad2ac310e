/**
 * The scheduler everything that waits in the mock goes through: the manual one runs its timers in time
 * order (those set by timers too) only when told, and the real one reaches the runtime's timers at each
 * call, so vitest's fake timers drive it as well.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { ManualScheduler, realScheduler } from "../scheduler.ts";

afterEach(() => {
  // Files share a thread (isolate: false): fake timers must not outlive the test that asked for them.
  vi.useRealTimers();
});

describe("the manual scheduler", () => {
  it("runs nothing until time moves, then each timer due, soonest first, at its own time", () => {
    const scheduler = new ManualScheduler(1000);
    const ran: string[] = [];
    scheduler.setTimeout(() => ran.push(`b@${scheduler.now()}`), 20);
    scheduler.setTimeout(() => ran.push(`a@${scheduler.now()}`), 10);
    scheduler.setTimeout(() => ran.push(`c@${scheduler.now()}`), 20);
    expect(ran).toEqual([]);
    scheduler.advance(15);
    expect(ran).toEqual(["a@1010"]);
    expect(scheduler.now()).toBe(1015);
    scheduler.advance(100);
    expect(ran).toEqual(["a@1010", "b@1020", "c@1020"]);
    expect(scheduler.now()).toBe(1115);
    expect(scheduler.requested).toEqual([20, 10, 20]);
  });

  it("runs a timer that a timer set, when it falls due within the same advance", () => {
    const scheduler = new ManualScheduler();
    const ran: number[] = [];
    scheduler.setTimeout(() => {
      ran.push(scheduler.now());
      scheduler.setTimeout(() => ran.push(scheduler.now()), 5);
      scheduler.setTimeout(() => ran.push(scheduler.now()), 50);
    }, 10);
    scheduler.advance(20);
    expect(ran).toEqual([10, 15]);
    expect(scheduler.pending).toBe(1);
  });

  it("forgets a cleared timer, and ignores a handle that fired or is undefined", () => {
    const scheduler = new ManualScheduler();
    const ran: string[] = [];
    const cleared = scheduler.setTimeout(() => ran.push("cleared"), 10);
    const fired = scheduler.setTimeout(() => ran.push("fired"), 0);
    scheduler.advance(0);
    scheduler.clearTimeout(cleared);
    scheduler.clearTimeout(fired);
    scheduler.clearTimeout(undefined);
    scheduler.advance(100);
    expect(ran).toEqual(["fired"]);
    expect(scheduler.pending).toBe(0);
  });

  it("moves to the next timer with next(), and says when there is none", () => {
    const scheduler = new ManualScheduler();
    scheduler.setTimeout(() => {}, 300);
    expect(scheduler.next()).toBe(true);
    expect(scheduler.now()).toBe(300);
    expect(scheduler.next()).toBe(false);
    expect(scheduler.now()).toBe(300);
  });

  it("tells a waiting test the delay of the next timer set", async () => {
    const scheduler = new ManualScheduler();
    const next = scheduler.nextTimer();
    scheduler.setTimeout(() => {}, 42);
    expect(await next).toBe(42);
  });
});

describe("the real scheduler", () => {
  it("uses the runtime's timers as they are at each call: fake timers drive it", () => {
    vi.useFakeTimers();
    const ran: number[] = [];
    const start = realScheduler.now();
    realScheduler.setTimeout(() => ran.push(realScheduler.now() - start), 100);
    const cleared = realScheduler.setTimeout(() => ran.push(-1), 50);
    realScheduler.clearTimeout(cleared);
    vi.advanceTimersByTime(99);
    expect(ran).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(ran).toEqual([100]);
  });
});
