/**
 * Raw-kernel tests of assembly/random.ts on every build (STYLE C10): f32_dropout_mask,
 * f32_bernoulli and f32_multinomial equal their
 * JS definition (tests/_reference/random.ts) bit for bit, whatever the [begin, end) split (the
 * 4-lane body and the scalar tail give the same values), leaves the guards alone, and zeroes about
 * `rate` of the elements.
 */
import { assert, assertEquals } from "../_util/assert.ts";
import { kernelHarnesses } from "../_util/kernels.ts";
import { bernoulli, dropoutMask, multinomial } from "../_reference/random.ts";

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

for (const [n, seed] of [[1, 0], [7, 1], [33, 0xdeadbeef], [4099, 12345]]) {
  Deno.test(`f32_bernoulli() matches its definition: n ${n}, seed ${seed}`, () => {
    const p = Float32Array.from({ length: n }, (_, i) => ((i * 37) % 101) / 100);
    const want = Array.from(bernoulli(p, seed));
    const a = Math.min(3, n), b = Math.max(a, n - 5);
    for (const h of harnesses) {
      const pp = h.f32(n, p);
      for (const ranges of [[[0, n]], [[0, a], [a, b], [b, n]]]) {
        const y = h.f32(n);
        for (const [begin, end] of ranges) h.k.f32_bernoulli(pp, y, seed, begin, end);
        h.checkGuards();
        assertEquals(Array.from(h.read(y, n)), want, `[${h.name}] ${JSON.stringify(ranges)}`);
      }
      h.reset();
    }
  });
}

for (const [rows, outcomes, samples, seed] of [[1, 2, 1, 3], [3, 5, 17, 9], [4, 33, 40, 0xfeed]]) {
  Deno.test(`f32_multinomial() matches its definition: ${rows}x${outcomes}, ${samples} samples`, () => {
    // Unnormalised, with zeros (never drawn) and a zero last outcome.
    const probs = Float32Array.from(
      { length: rows * outcomes },
      (_, i) => (i % outcomes === outcomes - 1 || i % 3 === 1) ? 0 : 0.5 + (i % 7),
    );
    const want = Array.from(multinomial(probs, rows, outcomes, samples, seed));
    for (const h of harnesses) {
      const pp = h.f32(probs.length, probs);
      for (const ranges of [[[0, rows]], [[0, 1], [1, rows]]]) {
        const y = h.f32(rows * samples);
        for (const [b, e] of ranges) h.k.f32_multinomial(pp, y, outcomes, samples, seed, b, e);
        h.checkGuards();
        const got = new Int32Array(h.memory.buffer, y, rows * samples);
        assertEquals(Array.from(got), want, `[${h.name}] ${JSON.stringify(ranges)}`);
      }
      h.reset();
    }
    for (let i = 0; i < want.length; i++) {
      const b = Math.floor(i / samples);
      assert(probs[b * outcomes + want[i]] > 0, `draw ${i} picked a zero-probability outcome`);
    }
  });
}

Deno.test("f32_bernoulli() and f32_multinomial() draw with the given probabilities", () => {
  const n = 100_000;
  for (const p of [0.1, 0.5, 0.9]) {
    const ones = bernoulli(new Float32Array(n).fill(p), 11).reduce((a, b) => a + b, 0) / n;
    // Binomial(n, p): standard error <= 0.0016; allow 5.
    assert(Math.abs(ones - p) < 5 * Math.sqrt(p * (1 - p) / n), `p ${p}: ${ones}`);
  }
  const probs = [1, 2, 3, 4], total = 10;
  const draws = multinomial(probs, 1, 4, n, 5);
  for (let k = 0; k < 4; k++) {
    const q = probs[k] / total, got = draws.filter((d) => d === k).length / n;
    assert(Math.abs(got - q) < 5 * Math.sqrt(q * (1 - q) / n), `outcome ${k}: ${got} vs ${q}`);
  }
});
