/**
 * Function-body patches between two builds of one kernel module. The portable build (SIMD128
 * only) differs from the plain one (relaxed SIMD) in a few function bodies, the ones that use
 * fused multiply-add: the module ships the plain build once plus those bodies, and the portable
 * bytes are rebuilt from them on first use. The build checks that the rebuilt bytes equal the
 * compiler's.
 *
 * A patch is a list of `[function index, body length, body bytes]`, the two numbers as unsigned
 * LEB128.
 *
 * @module
 */

const CODE_SECTION = 10;

/** A module's code section: where it lies and where each function body lies. */
interface CodeSection {
  /** Offset of the section id byte. */
  start: number;
  /** Offset just past the section. */
  end: number;
  /** `[begin, end)` of each body (after its length). */
  bodies: [number, number][];
}

/** Reads an unsigned LEB128 at `at`: the value and the offset after it. */
function readLeb(bytes: Uint8Array, at: number): [number, number] {
  let value = 0, shift = 0, byte;
  do {
    if (at >= bytes.length || shift > 28) throw new RangeError("malformed LEB128 in a wasm module");
    byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, at];
}

/** The unsigned LEB128 bytes of `value`. */
function leb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value) byte |= 0x80;
    out.push(byte);
  } while (value);
  return out;
}

/** Finds the code section of a wasm module. */
function codeSection(bytes: Uint8Array): CodeSection {
  let at = 8; // magic and version
  while (at < bytes.length) {
    const start = at, id = bytes[at];
    const [size, content] = readLeb(bytes, at + 1);
    const end = content + size;
    if (id === CODE_SECTION) {
      let [count, p] = readLeb(bytes, content);
      const bodies: [number, number][] = [];
      for (; count > 0; count--) {
        const [length, body] = readLeb(bytes, p);
        bodies.push([body, body + length]);
        p = body + length;
      }
      return { start, end, bodies };
    }
    at = end;
  }
  throw new RangeError("the wasm module has no code section");
}

/** `base` with the patched function bodies swapped in (a new array; `base` is not changed). */
export function applyBodyPatch(base: Uint8Array, patch: Uint8Array): Uint8Array<ArrayBuffer> {
  const code = codeSection(base);
  const bodies: Uint8Array[] = code.bodies.map(([b, e]) => base.subarray(b, e));
  for (let at = 0; at < patch.length;) {
    const [index, p] = readLeb(patch, at);
    const [length, body] = readLeb(patch, p);
    if (index >= bodies.length || body + length > patch.length) {
      throw new RangeError(`malformed kernel body patch at byte ${at}`);
    }
    bodies[index] = patch.subarray(body, body + length);
    at = body + length;
  }
  const content = [...leb(bodies.length)];
  const parts: (number[] | Uint8Array)[] = [];
  let contentSize = content.length;
  for (const b of bodies) {
    const head = leb(b.length);
    parts.push(head, b);
    contentSize += head.length + b.length;
  }
  const header = [CODE_SECTION, ...leb(contentSize), ...content];
  const out = new Uint8Array(
    code.start + header.length + contentSize - content.length +
      base.length - code.end,
  );
  out.set(base.subarray(0, code.start));
  let at = code.start;
  out.set(header, at);
  at += header.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  out.set(base.subarray(code.end), at);
  return out;
}

/**
 * The patch that turns `base` into `target`: the bodies that differ. Throws unless the two
 * modules are the same outside their function bodies, with as many functions.
 */
export function bodyPatch(base: Uint8Array, target: Uint8Array): Uint8Array {
  const a = codeSection(base), b = codeSection(target);
  const same = (x: Uint8Array, y: Uint8Array) =>
    x.length === y.length && x.every((v, i) => v === y[i]);
  if (
    a.bodies.length !== b.bodies.length ||
    !same(base.subarray(0, a.start), target.subarray(0, b.start)) ||
    !same(base.subarray(a.end), target.subarray(b.end))
  ) {
    throw new Error(
      "Cannot patch one kernel build into the other: they differ outside their function bodies",
    );
  }
  const out: number[] = [];
  a.bodies.forEach(([begin, end], i) => {
    const x = base.subarray(begin, end), y = target.subarray(...b.bodies[i]);
    if (!same(x, y)) out.push(...leb(i), ...leb(y.length), ...y);
  });
  return Uint8Array.from(out);
}
