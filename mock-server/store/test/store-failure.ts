/** What the store's tests share: a call that must fail with a StoreError of a given code. */
import { expect } from "vitest";
import { StoreError } from "../store-error.ts";

/** Expects `call` to throw a StoreError with this code, and returns it. */
export function failure(call: () => unknown, code: string): StoreError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe(code);
    return error as StoreError;
  }
  throw new Error(`expected a StoreError ${code}, but the call succeeded`);
}
