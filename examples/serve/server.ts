/**
 * An MNIST inference server: the embedded MLP and LeNet-5 behind `Deno.serve`, with dynamic
 * batching of concurrent requests (see `handler.ts` for routes and answers). Needs only
 * `--allow-net`: the models are compiled into `models.generated.js`.
 *
 *   deno run --allow-net examples/serve/server.ts [--port 8000] [--hostname 127.0.0.1]
 *     [--no-batching] [--max-batch-size 64] [--max-queue-delay-ms 2] [--backend wasm|threads|auto]
 *
 *   curl -s localhost:8000/predict/mlp -H 'Content-Type: application/json' \
 *     -d "{\"input\": [$(yes 0 | head -784 | paste -sd,)]}"
 */
import * as dn from "../../mod.ts";
import { createHandler } from "./handler.ts";

/** The value after `--name`, or `fallback`. */
function flag(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
}

if (import.meta.main) {
  const args = Deno.args;
  const backend = flag(args, "backend", "auto") as dn.BackendRequest;
  await dn.ready({ backend });
  const app = await createHandler({
    batching: !args.includes("--no-batching"),
    maxBatchSize: Number(flag(args, "max-batch-size", "64")),
    maxQueueDelayMs: Number(flag(args, "max-queue-delay-ms", "2")),
  });
  const server = Deno.serve({
    hostname: flag(args, "hostname", "127.0.0.1"),
    port: Number(flag(args, "port", "8000")),
    onListen({ hostname, port }) {
      // load_test.ts reads this line to find the port.
      console.log(
        `listening on http://${hostname}:${port}/ (backend ${dn.backend().name}, batching ${
          app.metrics().batching ? "on" : "off"
        })`,
      );
    },
  }, app.fetch);
  Deno.addSignalListener("SIGINT", async () => {
    await server.shutdown();
    await app.close();
    Deno.exit(0);
  });
}
