// The wasm ABI of Dendrite: export list only (STYLE C1).
export { heap_base } from "./memory";
export * from "./gemm";
export * from "./gemm_stream";
export { f32_gemv_pack_b, f32_gemv_packed, f32_gemv_packed_floats } from "./gemv";
export * from "./elementwise";
export * from "./compare";
export * from "./reduce";
export * from "./scan";
export * from "./topk";
export * from "./transpose";
export * from "./strided";
export * from "./optim";
export * from "./conv";
export * from "./pool";
export * from "./recurrent";
export * from "./gather";
export * from "./random";
export * from "./cast";
