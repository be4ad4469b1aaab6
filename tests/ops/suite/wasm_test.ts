/**
 * The op suite (run.ts) on the single-thread wasm backend: every case of `cases/`, forward
 * against its float64 reference, gradients by central differences, no tensor leaked.
 */
import * as dn from "../../../mod.ts";
import { loadSuite, registerSuite } from "./run.ts";

await dn.ready({ backend: "wasm" });
registerSuite("wasm", await loadSuite());
