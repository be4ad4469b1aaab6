/**
 * Raw-kernel tests of assembly/random.ts on every build (STYLE C10): f32_dropout_mask equals its
 * JS definition (tests/_reference/random.ts) bit for bit, whatever the [begin, end) split (the
 * 4-lane body and the scalar tail give the same values), leaves the guards alone, and zeroes about
 * `rate` of the elements.
 */
import { assert, assertEquals } from "../_util/assert.ts";
import { kernelHarnesses } from "../_util/kernels.ts";
import { dropoutMask } from "../_reference/random.ts";

const harnesses = await kernelHarnesses();

for (
  const [n, seed, rate] of [[1, 0, 0.5], [7, 1, 0.2], [33, 0xdeadbeef, 0.8], [4099, 12345, 0.3]]
) {
  Deno.test(`f32_dropout_mask() matches its definition: n ${n}, seed ${seed}, rate ${rate}`, () => {
    const keep = 1 / (1 - rate);
    const want = Array.from(dropoutMask(n, seed, rate, keep));
    const a = Math.min(3, n), b = Math.max(a, n - 5);
    for (const h of harnesses) {
      for (const ranges of [[[0, n]], [[0, a], [a, b], [b, n]]]) {
        const y = h.f32(n);
        for (const [begin, end] of ranges) h.k.f32_dropout_mask(y, seed, rate, keep, begin, end);
        h.checkGuards();
        assertEquals(
          Array.from(h.read(y, n)),
          want,
          `[${h.name}] ranges ${JSON.stringify(ranges)}`,
        );
      }
      h.reset();
    }
  });
}

Deno.test("f32_dropout_mask() zeroes about rate of the elements, and other seeds draw other masks", () => {
  const n = 100_000;
  for (const rate of [0.1, 0.5, 0.9]) {
    const mask = dropoutMask(n, 7, rate, 2);
    const zeros = mask.filter((v) => v === 0).length / n;
    // Binomial(n, rate): one standard deviation <= 0.0016; allow 5.
    assert(Math.abs(zeros - rate) < 0.008, `rate ${rate}: ${zeros} zeroed`);
  }
  const a = dropoutMask(1000, 1, 0.5, 2), b = dropoutMask(1000, 2, 0.5, 2);
  assert(a.some((v, i) => v !== b[i]), "seeds 1 and 2 give the same mask");
});
