/** create-profile / config / delete-profile against the real IdP and the file store. */
import assert from "node:assert/strict";
import { findInFiles } from "../helpers/cli.ts";
import { CONFIDENTIAL_CLIENT_ID, CONFIDENTIAL_CLIENT_SECRET, startLab, TENANT_ID } from "./lab.ts";

const base = ["--tenant-id", TENANT_ID, "--client-id", CONFIDENTIAL_CLIENT_ID];

Deno.test("the client secret never lands in plaintext, whichever way it comes in", async (t) => {
  await using lab = await startLab();
  const cases: [string, string[], Record<string, string>, string | undefined][] = [
    ["flag", ["--client-secret", CONFIDENTIAL_CLIENT_SECRET], {}, undefined],
    ["stdin", ["--client-secret-stdin"], {}, CONFIDENTIAL_CLIENT_SECRET + "\n"],
    ["environment", [], { AZURE_CLIENT_SECRET: CONFIDENTIAL_CLIENT_SECRET }, undefined],
  ];
  for (const [label, flags, env, stdin] of cases) {
    await t.step(label, async () => {
      const name = `p-${label}`;
      const r = await lab.cli(["create-profile", "--name", name, ...base, ...flags], {
        env,
        stdin,
      });
      assert.equal(r.code, 0, r.stderr);
      assert.ok(!r.stderr.includes(CONFIDENTIAL_CLIENT_SECRET));
      const token = await lab.cli(["get-token", "-p", name, "--silent", "--force"]);
      assert.equal(token.code, 0, token.stderr);
    });
  }
  await t.step("no file under the config home or HOME holds the secret", async () => {
    assert.deepEqual(await findInFiles(lab.home, CONFIDENTIAL_CLIENT_SECRET), []);
    assert.deepEqual(await findInFiles(lab.env.HOME, CONFIDENTIAL_CLIENT_SECRET), []);
  });
  await t.step("modes: directories 0700, files 0600", async () => {
    const check = async (dir: string) => {
      assert.equal((await Deno.stat(dir)).mode! & 0o777, 0o700, dir);
      for await (const e of Deno.readDir(dir)) {
        const path = `${dir}/${e.name}`;
        if (e.isDirectory) await check(path);
        else assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600, path);
      }
    };
    await check(lab.home);
  });
});

Deno.test("the key-file fallback warns once per command; an explicit choice or passphrase is quiet", async () => {
  await using lab = await startLab();
  const noisy = await lab.createSecretProfile("a", []);
  assert.equal(noisy.code, 0);
  // startLab forces the file store; without that choice the warning appears.
  const warned = await lab.cli(["get-token", "-p", "a"], {
    env: { ENTRA_AUTH_CLI_SECRET_STORE: "" },
  });
  assert.equal(warned.code, 0, warned.stderr);
  assert.match(warned.stderr, /⚠ .*secret\.key.*ENTRA_AUTH_CLI_PASSPHRASE/);
  assert.equal(warned.stderr.split("\n").filter((l) => l.startsWith("⚠")).length, 1);
  const silent = await lab.cli(["get-token", "-p", "a", "--silent"], {
    env: { ENTRA_AUTH_CLI_SECRET_STORE: "" },
  });
  assert.equal(silent.stderr, "");
  const quiet = await lab.cli(["get-token", "-p", "a"]);
  assert.ok(!quiet.stderr.includes("⚠"));
});

Deno.test("ENTRA_AUTH_CLI_PASSPHRASE protects the secrets file; a wrong one exits 2", async () => {
  await using lab = await startLab();
  const env = {
    ENTRA_AUTH_CLI_PASSPHRASE: "correct horse battery staple",
    ENTRA_AUTH_CLI_SECRET_STORE: "",
  };
  const created = await lab.cli([
    "create-profile",
    "--name",
    "pp",
    ...base,
    "--client-secret-stdin",
  ], {
    env,
    stdin: CONFIDENTIAL_CLIENT_SECRET,
  });
  assert.equal(created.code, 0, created.stderr);
  assert.ok(!created.stderr.includes("⚠"));
  assert.equal(await Deno.stat(`${lab.home}/secret.key`).then(() => true, () => false), false);
  assert.equal((await lab.cli(["get-token", "-p", "pp", "--silent"], { env })).code, 0);
  const before = await Deno.readFile(`${lab.home}/secrets.enc`);
  const wrong = await lab.cli(["get-token", "-p", "pp"], {
    env: { ...env, ENTRA_AUTH_CLI_PASSPHRASE: "nope" },
  });
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /cannot decrypt/);
  assert.deepEqual(await Deno.readFile(`${lab.home}/secrets.enc`), before);
});

Deno.test("create-profile validation", async (t) => {
  await using lab = await startLab();
  await t.step("missing flags are all listed, exit 2", async () => {
    const r = await lab.cli(["create-profile", "--name", "x"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--tenant-id/);
    assert.match(r.stderr, /--client-id/);
    assert.match(r.stderr, /--client-secret/);
  });
  await t.step("bad client id, bad name, bad flow", async () => {
    for (
      const args of [
        [
          "--name",
          "x",
          "--tenant-id",
          TENANT_ID,
          "--client-id",
          "not-a-guid",
          "--client-secret",
          "s",
        ],
        ["--name", "../x", ...base, "--client-secret", "s"],
        ["--name", "x", ...base, "--client-secret", "s", "--flow", "Nope"],
        ["--name", "x", ...base, "--client-secret-stdin"],
      ]
    ) {
      const r = await lab.cli(["create-profile", ...args], { stdin: "" });
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    }
  });
  await t.step("an existing profile needs --force", async () => {
    assert.equal((await lab.createSecretProfile("dup")).code, 0);
    const again = await lab.createSecretProfile("dup");
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already exists/);
    assert.equal((await lab.createSecretProfile("dup", ["--force"])).code, 0);
  });
  await t.step("--public-client stores no secret and is listed as auth none", async () => {
    const r = await lab.cli(["create-profile", "--name", "pub", ...base, "--public-client"]);
    assert.equal(r.code, 0, r.stderr);
  });
});

Deno.test("config list/show (--json) and delete", async () => {
  await using lab = await startLab();
  await lab.createSecretProfile("ci", [
    "--scope",
    "https://management.azure.com//.default",
    "--flow",
    "client-credentials",
  ]);
  const list = await lab.cli(["config", "list", "--json"]);
  assert.equal(list.code, 0);
  const profiles = JSON.parse(list.stdout);
  assert.equal(profiles[0].name, "ci");
  assert.deepEqual(profiles[0].scopes, ["https://management.azure.com//.default"]);
  assert.equal(profiles[0].defaultFlow, "ClientCredentials");
  assert.ok(!list.stdout.includes(CONFIDENTIAL_CLIENT_SECRET));
  const table = await lab.cli(["config", "list"]);
  assert.match(table.stdout, /^NAME\s+AUTH/);
  const show = await lab.cli(["config", "show", "-p", "ci", "--json"]);
  const doc = JSON.parse(show.stdout);
  assert.equal(doc.clientSecretStored, true);
  assert.match(doc.secretStore, /encrypted file/);
  assert.ok(!show.stdout.includes(CONFIDENTIAL_CLIENT_SECRET));
  const text = await lab.cli(["config", "show", "-p", "ci"]);
  assert.match(text.stdout, /Secret store:\s+encrypted file/);

  assert.equal((await lab.cli(["config", "delete", "-p", "ci"])).code, 0);
  assert.equal((await lab.cli(["get-token", "-p", "ci"])).code, 2);
  await lab.createSecretProfile("ci2");
  assert.equal((await lab.cli(["delete-profile", "--name", "ci2"])).code, 0);
  assert.deepEqual(JSON.parse((await lab.cli(["config", "list", "--json"])).stdout), []);
  // Re-creating without a secret would find none: the secret went with the profile.
  await lab.cli(["create-profile", "--name", "ci2", ...base, "--public-client"]);
  const r = await lab.cli(["get-token", "-p", "ci2", "-f", "ClientCredentials"]);
  assert.equal(r.code, 2);
});
