/**
 * The guided set-up (GitHub issue #7) in a real terminal (tmux), against the
 * test IdP: config create end to end, Ctrl-C half-way, create-profile asking
 * for a missing flag, config edit replacing the secret, and the export
 * passphrase asked twice. The five terminals run at once.
 */
import assert from "node:assert/strict";
import { findInFiles } from "../helpers/cli.ts";
import { all, type Answer, conversation, labStore, open, snapshotHome } from "./guided_helpers.ts";
import {
  claimsOf,
  CONFIDENTIAL_CLIENT_ID,
  CONFIDENTIAL_CLIENT_SECRET,
  type Lab,
  startLab,
  TENANT_ID,
} from "./lab.ts";

const SECRET = CONFIDENTIAL_CLIENT_SECRET;
const ENTER = { key: "Enter" };

/** The questions after the credential, all left at their defaults (no default flow). */
const DEFAULTS_TO_THE_END: Answer[] = [
  [open("Default scopes"), ENTER],
  [open("Set default OAuth2 flow?"), ENTER],
];

async function walkthrough(lab: Lab): Promise<void> {
  const { code, screen } = await conversation(lab, ["config", "create"], [
    [open("Profile name:"), "guided"],
    [open("Tenant ID"), TENANT_ID],
    [open("Client ID"), "not-a-guid"],
    [/> the client ID must be the application \(client\) ID GUID, not 'not-a-guid'/, {
      key: "BSpace",
    }],
    ...Array.from({ length: 9 }, (): Answer => [/./, { key: "BSpace" }]),
    [open("Client ID"), CONFIDENTIAL_CLIENT_ID],
    [open("Authentication method:"), ENTER], // Client secret
    [open("Client secret:"), SECRET],
    [open("Default scopes"), ENTER],
    [open("Set default OAuth2 flow?"), "y"],
    [open("Default OAuth2 flow:"), ENTER], // ClientCredentials, the first
    [open("Cloud"), ENTER], // the default host (AZURE_AUTHORITY_HOST points at the lab)
  ]);
  assert.equal(code, 0, screen);
  assert.match(screen, /✔ Set default OAuth2 flow\? Yes\n✔ Default OAuth2 flow: ClientCredentials/);
  assert.match(screen, /✓ Profile 'guided' created/);
  assert.ok(!screen.includes(SECRET), "the secret is never drawn");
  const stored = JSON.parse(await Deno.readTextFile(`${lab.home}/profiles.json`)).profiles;
  assert.deepEqual(stored.find((p: { name: string }) => p.name === "guided"), {
    name: "guided",
    tenantId: TENANT_ID,
    clientId: CONFIDENTIAL_CLIENT_ID,
    authMethod: "secret",
    scopes: ["https://graph.microsoft.com/.default"],
    defaultFlow: "ClientCredentials",
  });
  const token = await lab.cli(["get-token", "-p", "guided", "--silent"]);
  assert.equal(token.code, 0, token.stderr);
  assert.equal(claimsOf(token.stdout.trim()).appid, CONFIDENTIAL_CLIENT_ID);
}

/** Ctrl-C after the secret was typed: exit 130, the other config home unchanged. */
async function cancelled(lab: Lab, home: string): Promise<void> {
  const before = await snapshotHome(home);
  const { code } = await conversation(lab, ["config", "create"], [
    [open("Profile name:"), "half"],
    [open("Tenant ID"), TENANT_ID],
    [open("Client ID"), CONFIDENTIAL_CLIENT_ID],
    [open("Authentication method:"), ENTER],
    [open("Client secret:"), "typed-but-never-saved"],
    [open("Default scopes"), { key: "C-c" }],
  ], { ENTRA_AUTH_CLI_HOME: home });
  assert.equal(code, 130);
  assert.deepEqual(await snapshotHome(home), before);
  assert.deepEqual(await findInFiles(home, "typed-but-never-saved"), []);
}

/** create-profile without --client-id and a credential asks for just those. */
async function createProfileAsks(lab: Lab): Promise<void> {
  const { code, screen } = await conversation(
    lab,
    ["create-profile", "--name", "asked", "--tenant-id", TENANT_ID],
    [
      [open("Client ID"), CONFIDENTIAL_CLIENT_ID],
      [open("Authentication method:"), ENTER],
      [open("Client secret:"), SECRET],
      ...DEFAULTS_TO_THE_END,
    ],
  );
  assert.equal(code, 0, screen);
  assert.doesNotMatch(screen, /Profile name|Tenant ID/, "given flags are not asked again");
  assert.ok(!screen.includes(SECRET));
  assert.equal((await lab.cli(["get-token", "-p", "asked", "--silent"])).code, 0);
}

/** config edit: Enter keeps every answer; a new secret replaces the old one in the store. */
async function editSecret(lab: Lab): Promise<void> {
  const { code, screen } = await conversation(lab, ["config", "edit", "-p", "rotate"], [
    [open("Profile name:"), ENTER],
    [open("Tenant ID"), ENTER],
    [open("Client ID"), ENTER],
    [open("Authentication method:"), ENTER],
    [open("Client secret (Enter keeps the current one):"), SECRET],
    ...DEFAULTS_TO_THE_END,
    [open("Cloud"), ENTER],
  ]);
  assert.equal(code, 0, screen);
  assert.match(screen, /✓ Profile 'rotate' updated: client secret/);
  const r = await lab.cli(["get-token", "-p", "rotate", "--force", "--silent"]);
  assert.equal(r.code, 0, r.stderr);
  const { store } = await labStore(lab);
  assert.equal(await store.get("profile/rotate/client-secret"), SECRET, "the old one is gone");
}

/** --include-secrets on a terminal: a short passphrase and a mismatch are refused. */
async function exportPrompts(lab: Lab, file: string): Promise<void> {
  const args = ["config", "export", "-p", "rotate", "--include-secrets", "-o", file];
  const { code, screen } = await conversation(lab, args, [
    [open("Passphrase to encrypt the secrets:"), "short"],
    [
      all(/> the passphrase must have at least 8/, open("Passphrase to encrypt")),
      "a-long-passphrase",
    ],
    [open("Repeat the passphrase:"), "a-long-typo-here"],
    [all(/> the passphrases do not match/, open("Repeat the passphrase:")), "a-long-passphrase"],
  ]);
  assert.equal(code, 0, screen);
  assert.doesNotMatch(screen, /a-long|short/);
  const home = `${lab.env.HOME}/machine-b`;
  const env = { ENTRA_AUTH_CLI_HOME: home, ENTRA_AUTH_CLI_EXPORT_PASSPHRASE: "a-long-passphrase" };
  const imported = await lab.cli(["config", "import", "-i", file], { env });
  assert.equal(imported.code, 0, imported.stderr);
  assert.equal((await lab.cli(["get-token", "-p", "rotate", "--force"], { env })).code, 0);
}

Deno.test("guided profiles in a real terminal", async () => {
  await using lab = await startLab();
  const other = `${lab.env.HOME}/other-home`;
  const base = ["--tenant-id", TENANT_ID, "--client-id", CONFIDENTIAL_CLIENT_ID];
  const seeded = await lab.cli([
    "create-profile",
    "--name",
    "kept",
    ...base,
    "--client-secret",
    "x",
  ], {
    env: { ENTRA_AUTH_CLI_HOME: other },
  });
  assert.equal(seeded.code, 0, seeded.stderr);
  const wrong = ["create-profile", "--name", "rotate", ...base, "--client-secret", "old-wrong"];
  assert.equal((await lab.cli(wrong)).code, 0);
  assert.equal((await lab.cli(["get-token", "-p", "rotate", "--force"])).code, 3);
  await Promise.all([
    walkthrough(lab),
    cancelled(lab, other),
    createProfileAsks(lab),
    editSecret(lab).then(() => exportPrompts(lab, `${lab.env.HOME}/rotate.json`)),
  ]);
  assert.deepEqual(await findInFiles(lab.home, SECRET), [], "no secret in plain text");
});
