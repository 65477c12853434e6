/**
 * Issue #7 without a terminal: renaming a profile (secrets and signed-in tokens
 * follow), export/import between two config homes (secrets sealed with a
 * passphrase; tampering, a wrong passphrase and overwriting refused), and bash
 * completion driven through the real completion function.
 */
import assert from "node:assert/strict";
import { fakeJwt } from "../helpers/fake_deps.ts";
import { fromB64, toB64 } from "../../src/store/encrypted_file.ts";
import { labStore, seedUserToken, snapshotHome } from "./guided_helpers.ts";
import {
  CONFIDENTIAL_CLIENT_ID,
  CONFIDENTIAL_CLIENT_SECRET,
  type Lab,
  sh,
  startLab,
  TENANT_ID,
} from "./lab.ts";

const PASSPHRASE = "export passphrase 0451";

async function renameMovesEverything(lab: Lab): Promise<void> {
  assert.equal((await lab.createSecretProfile("ren")).code, 0);
  const jwt = fakeJwt({ aud: "https://graph.microsoft.com", exp: 4102444800 });
  const scopes = ["https://graph.microsoft.com/.default"];
  const id = { profile: "ren", clientId: CONFIDENTIAL_CLIENT_ID, tenant: TENANT_ID, scopes };
  const oldFile = await seedUserToken(lab, id, jwt);
  const r = await lab.cli(["config", "edit", "-p", "ren", "--name", "ren2"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /✓ Profile 'ren' updated and renamed to 'ren2'/);
  assert.match(r.stderr, /1 signed-in token moved to 'ren2'/);
  const cached = await lab.cli(["get-token", "-p", "ren2", "-f", "DeviceCode", "--json"]);
  assert.equal(cached.code, 0, cached.stderr);
  assert.equal(JSON.parse(cached.stdout).fromCache, true);
  assert.equal(JSON.parse(cached.stdout).accessToken, jwt, "the signed-in token followed");
  const app = await lab.cli(["get-token", "-p", "ren2", "--force", "--silent"]);
  assert.equal(app.code, 0, app.stderr + " (the secret followed)");
  const { store } = await labStore(lab);
  assert.equal(await store.get("profile/ren/client-secret"), undefined);
  assert.equal(await Deno.stat(oldFile).catch(() => undefined), undefined);
  assert.equal((await lab.cli(["get-token", "-p", "ren"])).code, 2);
  // Another tenant: the signed-in tokens belong to the old one and are dropped.
  const moved = await lab.cli(["config", "edit", "-p", "ren2", "--tenant-id", "contoso.example"]);
  assert.equal(moved.code, 0, moved.stderr);
  assert.match(moved.stderr, /updated: tenant\n.*1 signed-in token dropped/s);
}

async function exportImport(lab: Lab): Promise<void> {
  assert.equal(
    (await lab.createSecretProfile("ci", ["--scope", "api://entra-auth-cli-test/.default"])).code,
    0,
  );
  const plain = await lab.cli(["config", "export", "-p", "ci"]);
  assert.equal(plain.code, 0, plain.stderr);
  assert.deepEqual(JSON.parse(plain.stdout).profile.scopes, ["api://entra-auth-cli-test/.default"]);
  assert.equal(JSON.parse(plain.stdout).secrets, undefined);
  const file = `${lab.env.HOME}/ci.json`;
  const pass = { ENTRA_AUTH_CLI_EXPORT_PASSPHRASE: PASSPHRASE };
  const made = await lab.cli(["config", "export", "-p", "ci", "--include-secrets", "-o", file], {
    env: pass,
  });
  assert.equal(made.code, 0, made.stderr);
  assert.equal((await Deno.stat(file)).mode! & 0o777, 0o600);
  const text = await Deno.readTextFile(file);
  assert.ok(!text.includes(CONFIDENTIAL_CLIENT_SECRET));
  const b = `${lab.env.HOME}/machine-b`;
  const onB = (args: string[], env: Record<string, string> = pass) =>
    lab.cli(args, { env: { ENTRA_AUTH_CLI_HOME: b, ...env } });
  const imported = await onB(["config", "import", "-i", file]);
  assert.equal(imported.code, 0, imported.stderr);
  assert.equal((await onB(["get-token", "-p", "ci", "--force", "--silent"])).code, 0);
  const again = await onB(["config", "import", "-i", file]);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /^✗ profile 'ci' already exists\n.*--force/);
  assert.equal((await onB(["config", "import", "-i", file, "--force"])).code, 0);
  assert.equal((await onB(["config", "import", "-i", file, "-n", "ci-copy"])).code, 0);
  assert.equal((await onB(["get-token", "-p", "ci-copy", "--force", "--silent"])).code, 0);

  const before = await snapshotHome(b);
  const refused = async (doc: string, env: Record<string, string>, reason: RegExp) => {
    const bad = `${lab.env.HOME}/bad-${crypto.randomUUID()}.json`;
    await Deno.writeTextFile(bad, doc);
    const r = await onB(["config", "import", "-i", bad, "-n", "new-name"], env);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr.split("\n")[0], reason);
  };
  await refused(text, { ENTRA_AUTH_CLI_EXPORT_PASSPHRASE: "not the one" }, /wrong passphrase/);
  await refused(text, {}, /a passphrase is needed/);
  const doc = JSON.parse(text);
  const flipped = fromB64(doc.secrets.data);
  flipped[5] ^= 0x80;
  const tampered = { ...doc, secrets: { ...doc.secrets, data: toB64(flipped) } };
  await refused(JSON.stringify(tampered), pass, /changed after it was exported/);
  const retargeted = { ...doc, profile: { ...doc.profile, scopes: ["api://evil/.default"] } };
  await refused(JSON.stringify(retargeted), pass, /changed after it was exported/);
  assert.deepEqual(await snapshotHome(b), before, "nothing written by a refused import");
}

async function bashCompletion(lab: Lab): Promise<void> {
  const script = await lab.cli(["completions", "bash"]);
  assert.equal(script.code, 0, script.stderr);
  await Deno.writeTextFile(`${lab.env.HOME}/completion.bash`, script.stdout);
  const r = await sh(
    lab,
    `source ~/completion.bash
complete -p entra-auth-cli entratool
ask() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _entra_auth_cli; echo "$*=> \${COMPREPLY[*]}"; }
ask entra-auth-cli ''
ask entra-auth-cli config ''
ask entra-auth-cli get-token --fl
ask entra-auth-cli get-token -f ''
ask entra-auth-cli get-token --flow = Dev
ask entra-auth-cli get-token -p ''
ask entratool config export --profile c
ask entra-auth-cli completions ''`,
  );
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split("\n");
  assert.match(lines[0], /^complete -F _entra_auth_cli entra-auth-cli$/);
  const reply = (asked: string) => lines.find((l) => l.startsWith(`${asked}=> `))!.split("=> ")[1];
  assert.match(reply("entra-auth-cli "), /^get-token inspect .*config completions/);
  assert.match(reply("entra-auth-cli config "), /create list show edit export import delete/);
  assert.equal(reply("entra-auth-cli get-token --fl"), "--flow");
  assert.equal(
    reply("entra-auth-cli get-token -f "),
    "ClientCredentials AuthorizationCode DeviceCode InteractiveBrowser",
  );
  assert.equal(reply("entra-auth-cli get-token --flow = Dev"), "DeviceCode");
  assert.deepEqual(reply("entra-auth-cli get-token -p ").split(" ").sort(), ["ci", "ren2"]);
  assert.equal(reply("entratool config export --profile c"), "ci");
  assert.equal(reply("entra-auth-cli completions "), "bash zsh fish powershell");
}

Deno.test("rename, export/import and shell completion", async (t) => {
  await using lab = await startLab();
  await Promise.all([renameMovesEverything(lab), exportImport(lab)]);
  await t.step("bash completion", () => bashCompletion(lab));
});
