/** get-token with a client secret against the real test IdP: every output form. */
import assert from "node:assert/strict";
import { findInFiles } from "../helpers/cli.ts";
import {
  claimsOf,
  CONFIDENTIAL_CLIENT_ID,
  CONFIDENTIAL_CLIENT_SECRET,
  startLab,
  TENANT_ID,
} from "./lab.ts";

Deno.test("get-token (client secret) end to end", async (t) => {
  await using lab = await startLab();
  assert.equal((await lab.createSecretProfile("ci")).code, 0);

  await t.step("default: token on stdout, progress on stderr", async () => {
    const r = await lab.cli(["get-token", "-p", "ci"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    assert.match(r.stderr, /Authenticating with profile 'ci'\.\.\./);
    assert.match(r.stderr, /✓ Token acquired successfully/);
    assert.match(r.stderr, /Token expires: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
    const claims = claimsOf(r.stdout.trim());
    assert.equal(claims.aud, "https://graph.microsoft.com");
    assert.equal(claims.tid, TENANT_ID);
    assert.equal(claims.appid, CONFIDENTIAL_CLIENT_ID);
    assert.ok(Array.isArray(claims.roles));
  });

  await t.step("--silent: the token only, nothing on stderr", async () => {
    const r = await lab.cli(["get-token", "-p", "ci", "--silent"]);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, "");
    assert.equal(r.stdout.split("\n").length, 2);
  });

  await t.step("--json: both spellings, every key", async () => {
    const r = await lab.cli(["get-token", "-p", "ci", "--json", "--force"]);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.accessToken, doc.access_token);
    assert.equal(doc.tokenType, "Bearer");
    assert.equal(doc.token_type, "Bearer");
    assert.match(doc.expiresOn, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(doc.expires_on, Math.floor(Date.parse(doc.expiresOn) / 1000));
    assert.ok(doc.expires_on > Date.now() / 1000 + 3000);
    assert.deepEqual(doc.scopes, ["https://graph.microsoft.com/.default"]);
    assert.equal(doc.tenant, TENANT_ID);
    assert.equal(doc.profile, "ci");
    assert.equal(doc.flow, "ClientCredentials");
    assert.equal(doc.fromCache, false);
  });

  await t.step("-o env / header / json / token formats", async () => {
    const env = await lab.cli(["get-token", "-p", "ci", "-o", "env"]);
    assert.match(env.stdout, /^export ACCESS_TOKEN='[\w.-]+'\n$/);
    const header = await lab.cli(["get-token", "-p", "ci", "--output", "header"]);
    assert.match(header.stdout, /^Authorization: Bearer [\w.-]+\n$/);
    const json = await lab.cli(["get-token", "-p", "ci", "--output", "json"]);
    assert.ok(JSON.parse(json.stdout).access_token);
    const token = await lab.cli(["get-token", "-p", "ci", "-o", "token"]);
    assert.match(token.stdout, /^[\w.-]+\n$/);
  });

  await t.step("-o FILE writes the token with mode 0600; ./json is a file", async () => {
    const dir = lab.env.HOME;
    const r = await lab.cli(["get-token", "-p", "ci", "-o", "token.txt"], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /✓ Token saved to token\.txt/);
    const saved = await Deno.readTextFile(`${dir}/token.txt`);
    assert.match(saved, /^[\w.-]+\n$/);
    assert.equal((await Deno.stat(`${dir}/token.txt`)).mode! & 0o777, 0o600);
    const j = await lab.cli(["get-token", "-p", "ci", "-o", "./json"], { cwd: dir });
    assert.equal(j.code, 0);
    assert.match(await Deno.readTextFile(`${dir}/json`), /^[\w.-]+\n$/);
    const bad = await lab.cli(["get-token", "-p", "ci", "-o", "/nonexistent-dir/t.txt"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^✗ cannot write the token/m);
  });

  await t.step("scopes: space, comma, specific permission, trailing-slash resource", async () => {
    const space = await lab.cli([
      "get-token",
      "-p",
      "ci",
      "--json",
      "-s",
      "api://entra-auth-cli-test/.default",
    ]);
    assert.equal(claimsOf(JSON.parse(space.stdout).access_token).aud !== undefined, true);
    const arm = await lab.cli([
      "get-token",
      "-p",
      "ci",
      "--json",
      "--scope",
      "https://management.azure.com//.default",
    ]);
    assert.equal(arm.code, 0, arm.stderr);
    const specific = await lab.cli([
      "get-token",
      "-p",
      "ci",
      "--scope",
      "https://graph.microsoft.com/User.Read.All",
    ]);
    assert.equal(specific.code, 0, specific.stderr);
    assert.match(specific.stderr, /\.default/);
    const two = await lab.cli([
      "get-token",
      "-p",
      "ci",
      "--scope",
      "https://graph.microsoft.com/.default,api://entra-auth-cli-test/.default",
    ]);
    assert.equal(two.code, 2);
  });

  await t.step(
    "--tenant takes a verified domain; --authority-host and --cloud pick the host",
    async () => {
      const domain = await lab.cli([
        "get-token",
        "-p",
        "ci",
        "--json",
        "--tenant",
        "contoso.example",
      ]);
      assert.equal(domain.code, 0, domain.stderr);
      assert.equal(JSON.parse(domain.stdout).tenant, "contoso.example");
      const host = await lab.cli(["get-token", "-p", "ci", "--authority-host", lab.idp.origin], {
        env: { AZURE_AUTHORITY_HOST: "" },
      });
      assert.equal(host.code, 0, host.stderr);
      const cloud = await lab.cli(["get-token", "-p", "ci", "--cloud", "AzureUSGovernment", "-v"]);
      assert.equal(cloud.code, 5);
      assert.match(cloud.stderr, /login\.microsoftonline\.us/);
      const badCloud = await lab.cli(["get-token", "-p", "ci", "--cloud", "Mars"]);
      assert.equal(badCloud.code, 2);
    },
  );

  await t.step("-v shows the protocol without secrets or tokens", async () => {
    const r = await lab.cli(["get-token", "-p", "ci", "-v", "--force"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /→ POST https:\/\/127\.0\.0\.1:\d+\/.*\/oauth2\/v2\.0\/token/);
    assert.match(r.stderr, /client_secret=<redacted>/);
    assert.match(r.stderr, /← HTTP 200/);
    assert.ok(!r.stderr.includes(CONFIDENTIAL_CLIENT_SECRET));
    assert.ok(!r.stderr.includes(r.stdout.trim()));
  });

  await t.step("--force makes exactly one token request; a cached call makes none", async () => {
    await lab.idp.reset();
    await lab.cli(["get-token", "-p", "ci", "--force", "--silent"]);
    await lab.cli(["get-token", "-p", "ci", "--force", "--silent"]);
    assert.equal((await lab.idp.stats()).token.client_credentials, 2);
    const cached = await lab.cli(["get-token", "-p", "ci", "--json"]);
    assert.equal(JSON.parse(cached.stdout).fromCache, true);
    assert.match(cached.stderr, /✓ Using cached token/);
    assert.equal((await lab.idp.stats()).token.client_credentials, 2);
  });
});

Deno.test("AZURE_* variables form an implicit profile", async () => {
  await using lab = await startLab();
  const r = await lab.cli(["get-token", "--json"], {
    env: {
      AZURE_TENANT_ID: TENANT_ID,
      AZURE_CLIENT_ID: CONFIDENTIAL_CLIENT_ID,
      AZURE_CLIENT_SECRET: CONFIDENTIAL_CLIENT_SECRET,
    },
  });
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.equal(doc.profile, null);
  assert.match(r.stderr, /AZURE_\* environment/);
  // The token may be cached, but the secret from the environment is never written.
  assert.deepEqual(await findInFiles(lab.home, CONFIDENTIAL_CLIENT_SECRET), []);
});

Deno.test("a 'default' profile wins over AZURE_* variables", async () => {
  await using lab = await startLab();
  await lab.createSecretProfile("default");
  const r = await lab.cli(["get-token", "--json"], {
    env: { AZURE_TENANT_ID: "x", AZURE_CLIENT_ID: "y", AZURE_CLIENT_SECRET: "z" },
  });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).profile, "default");
});
