import { assertEquals } from "../_util/assert.ts";

Deno.test("mod.ts multiplies two matrices under deno run with no permission flags", async () => {
  const script = `
    import * as dn from ${JSON.stringify(new URL("../../mod.ts", import.meta.url).href)};
    const a = dn.tensor([[1, 2], [3, 4]]);
    const b = dn.tensor([[5, 6], [7, 8]]);
    console.log(JSON.stringify([...(await dn.matmul(a, b).data())]));
  `;
  const dir = await Deno.makeTempDir();
  const file = `${dir}/main.ts`;
  await Deno.writeTextFile(file, script);
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", file],
    stdout: "piped",
    stderr: "piped",
  }).output();
  await Deno.remove(dir, { recursive: true });
  const err = new TextDecoder().decode(stderr);
  assertEquals(code, 0, err);
  assertEquals(new TextDecoder().decode(stdout).trim(), "[19,22,43,50]");
});
