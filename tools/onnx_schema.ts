/**
 * Writes `src/onnx/onnx_schema.generated.json`, the protobufjs JSON descriptor of the official
 * ONNX schema `src/onnx/onnx.proto` (copied unchanged from github.com/onnx/onnx, file
 * `onnx/onnx.proto` at commit f7546912001bc31e92a238b17068a21b373d882e, IR version 14), parsed
 * by the pinned `protobufjs` with field names kept as written (`raw_data`, `float_data`). The
 * importer loads the descriptor with protobufjs' light build (no .proto parser at run time).
 *
 *   deno run --allow-read --allow-write tools/onnx_schema.ts           rewrite the descriptor
 *   deno run --allow-read --allow-write tools/onnx_schema.ts --check   fail when it is stale
 *
 * @module
 */
import protobuf from "protobufjs";

const ROOT = new URL("../", import.meta.url);
const PROTO = new URL("src/onnx/onnx.proto", ROOT);
const OUT = new URL("src/onnx/onnx_schema.generated.json", ROOT);

const root = protobuf.parse(await Deno.readTextFile(PROTO), { keepCase: true }).root;
const text = JSON.stringify(root.toJSON(), null, 2) + "\n";
if (Deno.args.includes("--check")) {
  if (await Deno.readTextFile(OUT) !== text) {
    console.error(`${OUT.pathname} is stale: run tools/onnx_schema.ts`);
    Deno.exit(1);
  }
} else {
  await Deno.writeTextFile(OUT, text);
}
