/**
 * Where the log stands, asked of Redis one question at a time: the reads that arrive while one is under way
 * share the next, which is asked once it is answered (it must be asked after they came).
 */
import type { LogHead, RedisLog } from "./redis-log.ts";

export class LogHeadQuestions {
  private checking: Promise<LogHead> | undefined;
  private queued: Promise<LogHead> | undefined;

  constructor(private readonly log: RedisLog) {}

  lastChange(): Promise<LogHead> {
    if (this.checking === undefined) return this.ask();
    this.queued ??= this.checking.then(
      () => this.ask(),
      () => this.ask(),
    );
    return this.queued;
  }

  private ask(): Promise<LogHead> {
    this.queued = undefined;
    const asked = this.log.head();
    this.checking = asked;
    const done = () => {
      if (this.checking === asked) this.checking = undefined;
    };
    asked.then(done, done);
    return asked;
  }
}
