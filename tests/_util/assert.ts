/**
 * The few `@std/assert` functions the tests use, over `node:assert/strict` (JSR is not reachable
 * everywhere this project is built). The names and signatures mirror `@std/assert`, so swapping in
 * `jsr:@std/assert` is a one-line change to the import below.
 */
import assert from "node:assert/strict";

/** Throws unless `actual` deep-equals `expected`. */
export function assertEquals<T>(actual: T, expected: T, msg?: string): void {
  assert.deepStrictEqual(actual, expected, msg);
}

/** Throws unless `expr` is truthy. */
export function assert_(expr: unknown, msg?: string): asserts expr {
  assert.ok(expr, msg);
}
export { assert_ as assert };

/** Throws unless `fn` throws an instance of `ErrorClass` whose message includes `msgIncludes`. */
export function assertThrows<E extends Error>(
  fn: () => unknown,
  // deno-lint-ignore no-explicit-any
  ErrorClass: new (...args: any[]) => E,
  msgIncludes?: string,
): E {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  return checkError(caught, ErrorClass, msgIncludes);
}

/** Async `assertThrows`: the promise must reject with `ErrorClass` and the message fragment. */
export async function assertRejects<E extends Error>(
  fn: () => Promise<unknown>,
  // deno-lint-ignore no-explicit-any
  ErrorClass: new (...args: any[]) => E,
  msgIncludes?: string,
): Promise<E> {
  let caught: unknown;
  try {
    await fn();
  } catch (e) {
    caught = e;
  }
  return checkError(caught, ErrorClass, msgIncludes);
}

function checkError<E extends Error>(
  caught: unknown,
  // deno-lint-ignore no-explicit-any
  ErrorClass: new (...args: any[]) => E,
  msgIncludes?: string,
): E {
  if (caught === undefined) {
    throw new assert.AssertionError({ message: "Expected function to throw" });
  }
  if (!(caught instanceof ErrorClass)) {
    throw new assert.AssertionError({
      message: `Expected error to be instance of "${ErrorClass.name}", but was "${
        (caught as Error)?.constructor?.name
      }": ${(caught as Error)?.message}`,
    });
  }
  if (msgIncludes !== undefined && !caught.message.includes(msgIncludes)) {
    throw new assert.AssertionError({
      message: `Expected error message to include "${msgIncludes}", but got "${caught.message}"`,
    });
  }
  return caught;
}

/** Throws unless `actual` is an instance of `expectedType`. */
export function assertInstanceOf<T>(
  actual: unknown,
  // deno-lint-ignore no-explicit-any
  expectedType: new (...args: any[]) => T,
  msg?: string,
): asserts actual is T {
  assert.ok(
    actual instanceof expectedType,
    msg ??
      `Expected object to be an instance of "${expectedType.name}" but was "${
        (actual as object)?.constructor?.name
      }"`,
  );
}
