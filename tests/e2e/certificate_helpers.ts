/**
 * Helpers for certificate_test.ts: the certificate app's id, create-profile for
 * it, the IdP's record of assertions, a no-change snapshot of the config home,
 * and the password prompt driven through a real terminal (tmux).
 */
import assert from "node:assert/strict";
import type { Fixtures } from "../fixtures/make_certs.ts";
import { TerminalRun } from "../helpers/tmux.ts";
import type { SeenAssertion } from "../idp/lab_control.ts";
import { claimsOf, type Lab, TENANT_ID } from "./lab.ts";

/** The app registered in the lab with the fixture certificate (cert.pem). */
export const CERT_CLIENT_ID = "ce27a990-0000-4000-8000-0000000000c4";

/** Three terminal runs at once (each waits on a person that tmux plays). */
export async function terminalRuns(lab: Lab, f: Fixtures): Promise<void> {
  const args = ["--tenant-id", TENANT_ID, "--client-id", CERT_CLIENT_ID];
  const createArgs = ["create-profile", "--name", "tty", ...args, "--certificate-path", f.aesPfx];
  const env = { ...lab.env, PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin" };
  const before = await snapshot(lab);
  const prompt = /\? Password for .*client-aes\.pfx: \[input is masked\]/;
  const count = (screen: string, re: RegExp) => screen.match(re)?.length ?? 0;
  await Promise.all([
    (async () => { // three wrong passwords: nothing echoed, exit 2
      await using run = await TerminalRun.start(createArgs, env);
      const guesses = ["guess-one-1", "guess-two-2", "guess-three-3"];
      for (const [i, guess] of guesses.entries()) {
        // The i-th prompt is open once i answers were taken (✔) and a new "?" is up.
        await run.waitFor((s) => count(s, /✔ Password/g) === i && prompt.test(s));
        await run.type(guess);
      }
      assert.equal(await run.exitCode(), 2);
      const screen = await run.screen();
      assert.match(screen, /gave up after 3 tries/);
      assert.doesNotMatch(screen, /guess-|\*{5}/);
    })(),
    (async () => { // Ctrl-C at the prompt: exit 130
      await using run = await TerminalRun.start(createArgs, env);
      await run.waitFor(prompt);
      await run.key("C-c");
      assert.equal(await run.exitCode(), 130);
    })(),
    (async () => { // get-token asks for the AZURE_* certificate's password
      await using run = await TerminalRun.start(["get-token", "--force"], {
        ...env,
        AZURE_TENANT_ID: TENANT_ID,
        AZURE_CLIENT_ID: CERT_CLIENT_ID,
        AZURE_CLIENT_CERTIFICATE_PATH: f.aesPfx,
      });
      await run.waitFor(prompt);
      await run.type(f.password);
      assert.equal(await run.exitCode(), 0, await run.screen());
      const token = (await Deno.readTextFile(run.stdoutFile())).trim();
      assert.equal(claimsOf(token).appid, CERT_CLIENT_ID);
      assert.ok(!(await run.screen()).includes(f.password));
    })(),
  ]);
  assert.deepEqual(await snapshot(lab), before, "no profile or secret written");
}

/** create-profile for the certificate app, and the assertions the IdP accepted. */
export function cliFor(lab: Lab) {
  return {
    create: (name: string, flags: string[], o: Parameters<Lab["cli"]>[1] = {}) =>
      lab.createProfile(name, CERT_CLIENT_ID, flags, o),
    assertions: async (): Promise<SeenAssertion[]> =>
      await (await lab.idp.fetch("/__lab/assertions")).json(),
  };
}

/** profiles.json and the secrets file, to prove a failed command changed neither. */
export async function snapshot(lab: Lab): Promise<string[]> {
  const read = (name: string) => Deno.readTextFile(`${lab.home}/${name}`).catch(() => "");
  return [await read("profiles.json"), await read("secrets.enc")];
}

/** Runs openssl in `cwd`. */
export async function openssl(cwd: string, ...args: string[]): Promise<void> {
  const out = await new Deno.Command("openssl", { args, cwd, stdout: "null", stderr: "piped" })
    .output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
}
