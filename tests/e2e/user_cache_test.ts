/**
 * The cache for signed-in users (issue #6): silent refresh with rotation, a refused
 * refresh token leading to a new sign-in (or exit 4 when nobody can be asked), and
 * one account per profile even for profiles of the same app.
 */
import assert from "node:assert/strict";
import { spawnCli, writeBrowserShim } from "../helpers/sign_in_lab.ts";
import { claimsOf, type Lab, startLab } from "./lab.ts";

const CODE = /enter the code (\S+) to authenticate/;

async function publicProfile(lab: Lab, name: string, flow?: string): Promise<void> {
  const r = await lab.createPublicProfile(name, flow ? ["--flow", flow] : []);
  assert.equal(r.code, 0, r.stderr);
}

function cacheFiles(home: string): string[] {
  return [...Deno.readDirSync(`${home}/cache`)].filter((e) => e.name.endsWith(".enc"))
    .map((e) => `${home}/cache/${e.name}`);
}

Deno.test("user tokens: refresh, rotation, refused refresh token, interaction policy", async (t) => {
  await using lab = await startLab({ env: { IDP_AUTO_LOGIN: "carol" } });
  const follow = await writeBrowserShim(lab.env.HOME, { driver: "fetch" });
  const env = { BROWSER: follow };
  await publicProfile(lab, "me", "InteractiveBrowser");
  const grants = async () => (await lab.idp.stats()).token;

  await t.step("the first call signs in; the next one is served from the cache", async () => {
    await lab.idp.reset();
    const a = await lab.cli(["get-token", "-p", "me", "--json"], { env });
    assert.equal(a.code, 0, a.stderr);
    const b = await lab.cli(["get-token", "-p", "me", "--json"], { env });
    assert.equal(JSON.parse(b.stdout).fromCache, true);
    assert.equal(JSON.parse(b.stdout).flow, "InteractiveBrowser");
    assert.deepEqual(await grants(), { authorization_code: 1 });
  });

  let beforeRotation = new Uint8Array();
  await t.step(
    "a token that will not last --min-validity is refreshed silently, twice",
    async () => {
      beforeRotation = Deno.readFileSync(cacheFiles(lab.home)[0]);
      for (let i = 1; i <= 2; i++) {
        const r = await lab.cli(["get-token", "-p", "me", "--min-validity", "2h", "--json"], {
          env,
        });
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stderr, /⟳ Refreshing expired token\.\.\./);
        assert.match(r.stderr, /✓ Token refreshed/);
        assert.equal(JSON.parse(r.stdout).fromCache, false);
      }
      // The IdP rotates refresh tokens and revokes a grant whose old one comes back:
      // the second refresh working proves the rotated token replaced the first.
      assert.deepEqual(await grants(), { authorization_code: 1, refresh_token: 2 });
    },
  );

  await t.step(
    "a refused refresh token: a new sign-in when the flow is the profile's choice",
    async () => {
      // Put back the cache from before the rotations: its refresh token is spent, so
      // the IdP refuses it (and revokes the grant, as reuse detection does).
      Deno.writeFileSync(cacheFiles(lab.home)[0], beforeRotation);
      await lab.idp.reset();
      const r = await lab.cli(["get-token", "-p", "me", "--min-validity", "2h", "--json"], { env });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /refresh token was not accepted.*signing in again/);
      assert.deepEqual(await grants(), { refresh_token: 1, authorization_code: 1 });
    },
  );

  await t.step(
    "the same with the flow only inferred and nobody at a terminal: exit 4",
    async () => {
      await publicProfile(lab, "cron");
      assert.equal((await lab.cli(["get-token", "-p", "cron", "-f", "browser"], { env })).code, 0);
      // Spend cron's refresh token behind the cache's back, then ask as a cron job would.
      const files = cacheFiles(lab.home);
      const snapshot = files.map((f) => Deno.readFileSync(f));
      assert.equal((await lab.cli(["refresh", "-p", "cron"], { env })).code, 0);
      files.forEach((f, i) => Deno.writeFileSync(f, snapshot[i]));
      await lab.idp.reset();
      const r = await lab.cli(["get-token", "-p", "cron", "--min-validity", "2h"], { env });
      assert.equal(r.code, 4, r.stderr);
      assert.match(r.stderr, /^✗ .*needs a person/m);
      assert.equal((await grants()).authorization_code ?? 0, 0, "no sign-in was attempted");
    },
  );

  await t.step("refresh -p without a cached refresh token exits 4 with a hint", async () => {
    await publicProfile(lab, "fresh");
    const r = await lab.cli(["refresh", "-p", "fresh"], { env });
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /no refresh token is cached/);
  });
});

Deno.test("two profiles of one app are two accounts", async () => {
  await using lab = await startLab({ env: { IDP_DEVICE_INTERVAL: "1" } });
  await publicProfile(lab, "work", "DeviceCode");
  await publicProfile(lab, "personal", "DeviceCode");
  const signIn = async (profile: string, account: string) => {
    const cli = spawnCli(["get-token", "-p", profile, "--json"], lab.env);
    const [, userCode] = await cli.waitForStderr(CODE);
    const res = await lab.idp.fetch("/__lab/device/approve", {
      method: "POST",
      body: JSON.stringify({ user_code: userCode, account }),
    });
    assert.equal(res.status, 200, await res.text());
    const r = await cli.result;
    assert.equal(r.code, 0, r.stderr);
    return String(claimsOf(JSON.parse(r.stdout).access_token).sub);
  };
  const work = await signIn("work", "alice");
  const personal = await signIn("personal", "bob");
  assert.notEqual(work, personal);
  for (const [profile, sub] of [["work", work], ["personal", personal]]) {
    const r = await lab.cli(["get-token", "-p", profile, "--json"]);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.fromCache, true, profile);
    assert.equal(claimsOf(doc.access_token).sub, sub, profile);
  }
});
