/**
 * The one seeded generator behind every random number Dendrite draws (ARCHITECTURE principle 5):
 * initialisers, shuffling, dropout. xoshiro128** seeded through splitmix32; normals by Box-Muller.
 *
 * @module
 */
import { checkArity, checkFinite } from "./_check.ts";

/** A seeded stream of random numbers. */
export class Random {
  #s = new Uint32Array(4);
  #spare: number | null = null;

  /** Starts the stream at `seed` (any integer). */
  constructor(seed: number) {
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      this.#s[i] = (z ^ (z >>> 16)) >>> 0;
    }
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.#s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform in [0, 1) with 32 random bits. */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Standard normal (Box-Muller, both values used). */
  normal(): number {
    if (this.#spare !== null) {
      const v = this.#spare;
      this.#spare = null;
      return v;
    }
    const u = 1 - this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.#spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

let global = new Random(0);

/**
 * Reseeds the global generator that random ops draw from when given no seed.
 *
 * @param seed An integer.
 * @throws {RangeError} When `seed` is not a finite number.
 *
 * @example
 * ```ts
 * import * as dn from "@dendrite/dendrite";
 * import assert from "node:assert/strict";
 * dn.setSeed(42);
 * const a = dn.randomUniform([3]).dataSync();
 * dn.setSeed(42);
 * assert.deepEqual(dn.randomUniform([3]).dataSync(), a);
 * ```
 */
export function setSeed(seed: number): void {
  checkArity(arguments, ["seed"], "setSeed");
  global = new Random(checkFinite(seed, "seed", "setSeed"));
}

/** The generator for a draw: a fresh one for an explicit seed, else the global one. */
export function generator(seed?: number): Random {
  return seed === undefined ? global : new Random(seed);
}
