/**
 * The first byte the TypeScript allocator may hand out. Everything below it belongs to the
 * module's static data (there is none: kernels keep no state, ARCHITECTURE principle 2) and the
 * shadow stack of the stub runtime.
 */
export function heap_base(): usize {
  return __heap_base;
}
