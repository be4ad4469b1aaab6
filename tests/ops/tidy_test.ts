/**
 * Scopes: `tidy()` disposes what its callback made except what it returns or `keep()`s, disposes
 * everything when the callback throws, and refuses async callbacks; `memory()` counts live tensors
 * and bytes as they change.
 */
import * as dn from "../../mod.ts";
import { assert, assertEquals, assertThrows } from "../_util/assert.ts";

await dn.ready({ backend: "wasm" });

Deno.test("tidy() keeps the tensors it returns (alone, in arrays, in objects) and keep()s", () => {
  const before = dn.memory();
  let kept: dn.Tensor | undefined, dropped: dn.Tensor | undefined;
  const out = dn.tidy(() => {
    dropped = dn.ones([3]);
    kept = dn.keep(dn.ones([5]));
    const a = dn.add(dropped, 1);
    return { a, list: [dn.mul(a, 2), dn.reshape(a, [1, 3])] };
  });
  assert(dropped!.isDisposed, "an intermediate is disposed");
  assert(!kept!.isDisposed && !out.a.isDisposed && !out.list[0].isDisposed);
  assertEquals([...out.list[1].dataSync()], [2, 2, 2]);
  // Live: kept (5 floats), a and its view (3 floats, one storage), a * 2 (3 floats).
  const after = dn.memory();
  assertEquals(after.numTensors - before.numTensors, 4);
  assertEquals(after.numBytes - before.numBytes, (5 + 3 + 3) * 4);
  for (const t of [kept!, out.a, ...out.list]) t.dispose();
  assertEquals(dn.memory().numTensors, before.numTensors);
  assertEquals(dn.memory().numBytes, before.numBytes);
});

Deno.test("nested tidy() hands a returned tensor to the enclosing scope", () => {
  const before = dn.memory().numTensors;
  let inner: dn.Tensor | undefined;
  dn.tidy(() => {
    inner = dn.tidy(() => dn.exp(dn.ones([2])));
    assert(!inner.isDisposed);
  });
  assert(inner!.isDisposed, "the outer scope disposed what the inner one returned");
  assertEquals(dn.memory().numTensors, before);
});

Deno.test("tidy() disposes everything its callback made when the callback throws", () => {
  const before = dn.memory().numTensors;
  assertThrows(
    () =>
      dn.tidy(() => {
        dn.ones([4]);
        throw new RangeError("boom");
      }),
    RangeError,
    "boom",
  );
  assertEquals(dn.memory().numTensors, before);
});

Deno.test("tidy() refuses an async callback, with or without tensors made before its first await", () => {
  const before = dn.memory().numTensors;
  // deno-lint-ignore require-await
  assertThrows(() => dn.tidy(async () => 1), TypeError, "must be synchronous");
  assertThrows(
    // deno-lint-ignore require-await
    () => dn.tidy(async () => dn.ones([2])),
    TypeError,
    "must be synchronous",
  );
  assertEquals(dn.memory().numTensors, before);
});

Deno.test("tidy() returning thousands of tensors keeps every one of them", () => {
  const before = dn.memory().numTensors;
  const parts = dn.tidy(() => dn.unstack(dn.zeros([20000, 1])));
  assertEquals(parts.length, 20000);
  assert(parts.every((p) => !p.isDisposed));
  assertEquals(dn.memory().numTensors, before + 20000);
  for (const p of parts) p.dispose();
  assertEquals(dn.memory().numTensors, before);
});
