/**
 * README.md's TF.js parity section (tools/parity.ts) is current: every TF.js op missing from
 * Dendrite has a reason, and the section equals what `deno task parity` would write now, so an
 * op added to mod.ts without regenerating the table fails here (as `deno task check:kernels`
 * fails for stale kernels).
 */
import { assertEquals } from "../_util/assert.ts";
import { expectedReadme, parityProblems, parityRows } from "../../tools/parity.ts";

Deno.test("parity: every TF.js op missing from Dendrite has a reason in tools/parity.ts", () => {
  assertEquals(parityProblems(parityRows()).errors, []);
});

Deno.test("parity: README.md's section is what `deno task parity` writes", async () => {
  const { now, next } = await expectedReadme(parityRows());
  assertEquals(now === next, true, "README.md's parity section is stale: run `deno task parity`");
});
