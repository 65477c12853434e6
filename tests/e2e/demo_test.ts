/** `deno task demo` must keep working: it is the first thing a newcomer runs. */
import assert from "node:assert/strict";
import { REPO_ROOT } from "../helpers/cli.ts";

Deno.test("the demo runs end to end against the test IdP", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${REPO_ROOT}/scripts/demo.ts`],
    cwd: REPO_ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  assert.match(stdout, /\$ entra-auth-cli get-token -p demo\n/);
  assert.match(stdout, /stdout│ eyJ/);
  assert.match(stdout, /AADSTS7000215/);
  assert.match(stdout, /Done\./);
});
