/**
 * config create / config edit / create-profile prompting and the shared save,
 * with scripted answers (FakePrompter) and a temporary config home.
 */
import assert from "node:assert/strict";
import { run } from "../../src/app.ts";
import { userEntriesOf } from "../../src/cache/profile_entries.ts";
import { TokenCache } from "../../src/cache/token_cache.ts";
import { secretKeys } from "../../src/store/secret_store.ts";
import { makeCertFixtures } from "../fixtures/make_certs.ts";
import { fakeDeps } from "../helpers/fake_deps.ts";

const TENANT = "7e57c0de-0000-4000-8000-000000000001";
const CLIENT = "c1e47000-0000-4000-8000-00000000c0de";

async function setup(answers: string[], tty = true) {
  const home = await Deno.makeTempDir({ prefix: "entra-guided-" });
  const deps = fakeDeps({ home, tty, answers, env: { NO_COLOR: "1" } });
  deps.io.isTerminal.stderr = tty;
  const profiles = async () =>
    JSON.parse(await Deno.readTextFile(`${home}/profiles.json`).catch(() => '{"profiles":[]}'))
      .profiles;
  return {
    home,
    deps,
    profiles,
    [Symbol.asyncDispose]: () => Deno.remove(home, { recursive: true }),
  };
}

Deno.test("config create: every question, answers checked as typed, then saved", async () => {
  await using s = await setup([
    "guided",
    "not a tenant!",
    TENANT,
    "not-a-guid",
    CLIENT,
    "secret",
    "",
    "s3cret-value",
    "",
    "y",
    "ClientCredentials",
    "",
  ]);
  assert.equal(await run(["config", "create"], s.deps), 0, s.deps.err());
  assert.deepEqual(s.deps.prompter.asked, [
    "Profile name:",
    "Tenant ID (GUID or verified domain):",
    "Client ID (application ID GUID):",
    "Authentication method:",
    "Client secret:",
    "Default scopes (space-separated):",
    "Set default OAuth2 flow?",
    "Default OAuth2 flow:",
    "Cloud (authority host):",
  ]);
  assert.match(s.deps.prompter.rejected[0], /tenant must be a directory \(tenant\) ID GUID/);
  assert.match(s.deps.prompter.rejected[1], /client ID must be the application \(client\) ID/);
  assert.equal(s.deps.prompter.rejected[2], "the client secret is empty");
  assert.deepEqual(await s.profiles(), [{
    name: "guided",
    tenantId: TENANT,
    clientId: CLIENT,
    authMethod: "secret",
    scopes: ["https://graph.microsoft.com/.default"],
    defaultFlow: "ClientCredentials",
  }]);
  assert.equal(s.deps.store.items.get(secretKeys.clientSecret("guided")), "s3cret-value");
  assert.ok(!s.deps.err().includes("s3cret-value"));
  assert.match(s.deps.err(), /✓ Profile 'guided' created/);
});

Deno.test("config create: 'organizations' with a secret needs a user flow; redirect asked", async () => {
  await using s = await setup([
    "multi",
    "organizations",
    CLIENT,
    "secret",
    "pw",
    "https://graph.microsoft.com/User.Read",
    "ClientCredentials", // not offered: rejected
    "AuthorizationCode",
    "AzureUSGovernment",
    "",
  ]);
  assert.equal(await run(["config", "create"], s.deps), 0, s.deps.err());
  assert.ok(!s.deps.prompter.asked.includes("Set default OAuth2 flow?"));
  assert.deepEqual(s.deps.prompter.rejected, ["not a choice: ClientCredentials"]);
  const [p] = await s.profiles();
  assert.equal(p.defaultFlow, "AuthorizationCode");
  assert.equal(p.redirectUri, "http://localhost:8080");
  assert.equal(p.authorityHost, "https://login.microsoftonline.us");
});

Deno.test("config create: Ctrl-C after the secret writes nothing (exit 130)", async () => {
  await using s = await setup(["x", TENANT, CLIENT, "secret", "typed-secret", "^C"]);
  assert.equal(await run(["config", "create"], s.deps), 130);
  assert.deepEqual(await s.profiles(), []);
  assert.equal(s.deps.store.items.size, 0);
  assert.equal(await Deno.stat(`${s.home}/profiles.json`).catch(() => undefined), undefined);
});

Deno.test("config create without a terminal: exit 2 pointing at create-profile", async () => {
  await using s = await setup([], false);
  assert.equal(await run(["config", "create"], s.deps), 2);
  assert.match(
    s.deps.err(),
    /^✗ config create asks questions and needs a terminal\n.*create-profile/,
  );
});

Deno.test("create-profile on a terminal asks only for what its flags left out", async () => {
  await using s = await setup([CLIENT, "none", "", "n"]);
  const argv = ["create-profile", "--name", "pub", "--tenant-id", TENANT];
  assert.equal(await run(argv, s.deps), 0, s.deps.err());
  assert.deepEqual(s.deps.prompter.asked, [
    "Client ID (application ID GUID):",
    "Authentication method:",
    "Default scopes (space-separated):",
    "Set default OAuth2 flow?",
  ]);
  assert.equal((await s.profiles())[0].authMethod, "none");
  await using noTty = await setup([], false);
  assert.equal(await run(argv, noTty.deps), 2);
  assert.match(noTty.deps.err(), /missing --client-id, --client-secret/);
});

Deno.test("config edit", async (t) => {
  await using s = await setup([]);
  const create = ["create-profile", "--name", "app", "--tenant-id", TENANT, "--client-id", CLIENT];
  assert.equal(await run([...create, "--client-secret", "old-secret"], s.deps), 0);

  await t.step("prompts: Enter everywhere keeps everything, the secret too", async () => {
    s.deps.prompter.answers.push("", "", "", "", "", "", "", "");
    assert.equal(await run(["config", "edit", "-p", "app"], s.deps), 0, s.deps.err());
    assert.match(s.deps.prompter.asked.join("|"), /Client secret \(Enter keeps the current one\):/);
    assert.match(s.deps.err(), /✓ Profile 'app' unchanged/);
    assert.equal(s.deps.store.items.get(secretKeys.clientSecret("app")), "old-secret");
  });

  await t.step("flags: a new secret replaces the stored one", async () => {
    assert.equal(await run(["config", "edit", "-p", "app", "--client-secret", "new"], s.deps), 0);
    assert.equal(s.deps.store.items.get(secretKeys.clientSecret("app")), "new");
    assert.match(s.deps.err(), /updated: client secret/);
  });

  await t.step("--name moves the secret and the signed-in tokens", async () => {
    const opened = await s.deps.secrets.open();
    const id = {
      authorityHost: "https://login.microsoftonline.com",
      tenant: TENANT,
      clientId: CLIENT,
      flow: "DeviceCode" as const,
      scopes: ["User.Read"],
      profile: "app",
    };
    const cache = await TokenCache.open(id, opened.openEncryptedFile, () => {});
    await cache.write({ accessToken: "at", tokenType: "Bearer", expiresAt: 9e12, scopes: ["x"] });
    assert.equal(await run(["config", "edit", "-p", "app", "--name", "app2"], s.deps), 0);
    assert.match(s.deps.err(), /renamed to 'app2'[\s\S]*1 signed-in token moved to 'app2'/);
    assert.deepEqual((await s.profiles()).map((p: { name: string }) => p.name), ["app2"]);
    assert.equal(s.deps.store.items.get(secretKeys.clientSecret("app2")), "new");
    assert.equal(s.deps.store.items.has(secretKeys.clientSecret("app")), false);
    const entries = (name: string) =>
      userEntriesOf(name, s.home, opened.openEncryptedFile, () => {});
    assert.equal((await entries("app")).length, 0);
    const moved = await TokenCache.open(
      { ...id, profile: "app2" },
      opened.openEncryptedFile,
      () => {},
    );
    assert.equal((await moved.read())?.accessToken, "at");
  });

  await t.step(
    "a failure half-way leaves the old profile and its secret as they were",
    async () => {
      await Deno.writeTextFile(`${s.home}/cache/token-0123abcd.enc`, "{}");
      const before = await Deno.readTextFile(`${s.home}/profiles.json`);
      const real = s.deps.secrets.open;
      s.deps.secrets.open = async () => ({
        ...(await real()),
        openEncryptedFile: () => Promise.reject(new Error("disk on fire")),
      });
      const written: string[] = [];
      const set = s.deps.store.set.bind(s.deps.store);
      s.deps.store.set = (key, value) => (written.push(key), set(key, value));
      assert.equal(await run(["config", "edit", "-p", "app2", "--name", "app3"], s.deps), 1);
      s.deps.secrets.open = real;
      assert.match(s.deps.err(), /disk on fire/);
      assert.deepEqual(written, [secretKeys.clientSecret("app3")], "the copy was made first");
      assert.equal(await Deno.readTextFile(`${s.home}/profiles.json`), before);
      assert.equal(s.deps.store.items.has(secretKeys.clientSecret("app3")), false, "undone");
      assert.equal(s.deps.store.items.get(secretKeys.clientSecret("app2")), "new");
    },
  );

  await t.step(
    "renaming onto another profile, or no change without a terminal: exit 2",
    async () => {
      assert.equal(await run([...create, "--name", "other", "--public-client"], s.deps), 0);
      assert.equal(await run(["config", "edit", "-p", "app2", "--name", "other"], s.deps), 2);
      assert.match(s.deps.err(), /profile 'other' already exists/);
      s.deps.io.isTerminal.stdin = false;
      assert.equal(await run(["config", "edit", "-p", "app2"], s.deps), 2);
      assert.match(s.deps.err(), /no change given/);
    },
  );

  await t.step("switching to a public client removes the stored secret", async () => {
    assert.equal(await run(["config", "edit", "-p", "app2", "--public-client"], s.deps), 0);
    assert.equal(s.deps.store.items.has(secretKeys.clientSecret("app2")), false);
  });
});

Deno.test("certificates: asked for a file, the PFX password by the loader; kept on edit", async () => {
  await using s = await setup([]);
  const f = await makeCertFixtures(await Deno.makeTempDir({ dir: s.home }));
  s.deps.clockFake.time = Date.now(); // the fixtures are valid from now on
  s.deps.prompter.answers.push(
    ...["cert", TENANT, CLIENT, "certificate", `${s.home}/nope.pfx`, f.aesPfx, "", "n", ""],
    f.password, // asked by the certificate loader once every question is answered
  );
  assert.equal(await run(["config", "create"], s.deps), 0, s.deps.err());
  assert.match(s.deps.prompter.rejected[0], /^file not found: .*nope\.pfx/);
  assert.ok(s.deps.prompter.asked.includes(`Password for ${f.aesPfx}:`));
  assert.ok(!s.deps.prompter.asked.some((q) => q.startsWith("Private key")), "not for a PFX");
  const [p] = await s.profiles();
  assert.equal(p.authMethod, "certificate");
  assert.equal(p.certificatePath, f.aesPfx);
  assert.equal(s.deps.store.items.get(secretKeys.certificatePassword("cert")), f.password);
  // An edit that leaves the certificate alone neither reloads it nor asks for its password.
  const asked = s.deps.prompter.asked.length;
  assert.equal(
    await run(["config", "edit", "-p", "cert", "--scope", "api://x/.default"], s.deps),
    0,
  );
  assert.equal(s.deps.prompter.asked.length, asked);
  assert.equal(s.deps.store.items.get(secretKeys.certificatePassword("cert")), f.password);
});
