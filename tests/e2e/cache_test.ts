/** The token cache against the real IdP, proven with the IdP's request counter. */
import assert from "node:assert/strict";
import { cliCommand } from "../helpers/cli.ts";
import { startLab } from "./lab.ts";

function cacheFiles(home: string): string[] {
  try {
    return [...Deno.readDirSync(`${home}/cache`)].filter((e) => e.name.endsWith(".enc")).map((e) =>
      `${home}/cache/${e.name}`
    );
  } catch {
    return [];
  }
}

Deno.test("cache: reuse, --min-validity, --force, clear-cache, delete-profile, -p readers", async (t) => {
  await using lab = await startLab();
  await lab.createSecretProfile("ci");
  await lab.createSecretProfile("other");
  const requests = async () => (await lab.idp.stats()).token.client_credentials ?? 0;

  let first = "";
  await t.step("the second call is served from the cache", async () => {
    await lab.idp.reset();
    const a = await lab.cli(["get-token", "-p", "ci", "--json"]);
    const b = await lab.cli(["get-token", "-p", "ci", "--json"]);
    assert.equal(a.code, 0, a.stderr);
    first = JSON.parse(a.stdout).access_token;
    assert.equal(JSON.parse(a.stdout).fromCache, false);
    assert.equal(JSON.parse(b.stdout).fromCache, true);
    assert.equal(JSON.parse(b.stdout).access_token, first);
    assert.match(b.stderr, /✓ Using cached token/);
    assert.ok(!b.stderr.includes("Authenticating"));
    assert.equal(await requests(), 1);
  });

  await t.step("profiles of the same app share app-only tokens", async () => {
    const r = await lab.cli(["get-token", "-p", "other", "--json"]);
    assert.equal(JSON.parse(r.stdout).fromCache, true);
    assert.equal(await requests(), 1);
  });

  await t.step("a scope override is cached separately", async () => {
    await lab.cli(["get-token", "-p", "ci", "-s", "api://entra-auth-cli-test/.default"]);
    assert.equal(await requests(), 2);
    await lab.cli(["get-token", "-p", "ci", "-s", "api://entra-auth-cli-test/.default"]);
    assert.equal(await requests(), 2);
  });

  await t.step("--min-validity longer than the token's life and --force ask again", async () => {
    const long = await lab.cli(["get-token", "-p", "ci", "--json", "--min-validity", "2h"]);
    assert.equal(JSON.parse(long.stdout).fromCache, false);
    assert.equal(await requests(), 3);
    await lab.cli(["get-token", "-p", "ci", "--force"]);
    assert.equal(await requests(), 4);
  });

  await t.step("inspect -p and discover -p read the cached token", async () => {
    const i = await lab.cli(["inspect", "-p", "ci"]);
    assert.equal(i.code, 0, i.stderr);
    assert.equal(JSON.parse(i.stdout).aud !== undefined, true);
    assert.equal((await lab.cli(["discover", "-p", "ci"])).code, 0);
    assert.equal(await requests(), 4);
  });

  await t.step("refresh on an app profile gets a new token and says why", async () => {
    const r = await lab.cli(["refresh", "-p", "ci"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /no refresh token/);
    assert.equal(await requests(), 5);
  });

  await t.step("clear-cache -p empties that profile's tokens", async () => {
    const c = await lab.cli(["clear-cache", "-p", "ci"]);
    assert.equal(c.code, 0, c.stderr);
    assert.match(c.stderr, /Removed 2 cached tokens/);
    const r = await lab.cli(["get-token", "-p", "ci", "--json"]);
    assert.equal(JSON.parse(r.stdout).fromCache, false);
    assert.equal((await lab.cli(["discover", "-p", "nope"])).code, 2);
  });

  await t.step("clear-cache --all, and usage errors", async () => {
    assert.equal((await lab.cli(["clear-cache", "--all"])).code, 0);
    assert.deepEqual(cacheFiles(lab.home), []);
    assert.equal((await lab.cli(["discover", "-p", "ci"])).code, 6);
    assert.equal((await lab.cli(["clear-cache"])).code, 2);
  });

  await t.step("delete-profile removes the profile's cached tokens", async () => {
    await lab.cli(["get-token", "-p", "ci"]);
    assert.equal((cacheFiles(lab.home)).length, 1);
    const d = await lab.cli(["delete-profile", "--name", "ci"]);
    assert.equal(d.code, 0, d.stderr);
    assert.deepEqual(cacheFiles(lab.home), []);
  });
});

Deno.test("cache: a damaged cache file is discarded with a warning and the call succeeds", async () => {
  await using lab = await startLab();
  await lab.createSecretProfile("ci");
  await lab.cli(["get-token", "-p", "ci"]);
  const [file] = cacheFiles(lab.home);
  for (
    const damage of [
      "{not json",
      JSON.stringify({ version: 1, kdf: { name: "raw" }, iv: "AAAA", data: "AAAA" }),
    ]
  ) {
    await Deno.writeTextFile(file, damage, { mode: 0o600 });
    const r = await lab.cli(["get-token", "-p", "ci", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /⚠ Discarded/);
    assert.equal(JSON.parse(r.stdout).fromCache, false);
  }
  const again = await lab.cli(["get-token", "-p", "ci", "--json"]);
  assert.equal(JSON.parse(again.stdout).fromCache, true);
});

Deno.test("cache: fifty parallel get-token calls make exactly one token request", async () => {
  await using lab = await startLab();
  await lab.createSecretProfile("ci");
  await lab.idp.reset();
  const runs = await Promise.all(
    Array.from(
      { length: 50 },
      () => lab.cli(["get-token", "-p", "ci", "--silent"], { timeoutMs: 120_000 }),
    ),
  );
  for (const r of runs) assert.equal(r.code, 0, r.stderr);
  const tokens = new Set(runs.map((r) => r.stdout.trim()));
  assert.equal(tokens.size, 1);
  assert.equal((await lab.idp.stats()).token.client_credentials, 1);
});

Deno.test("cache: processes killed mid-acquisition leave a readable cache and no stuck lock", async () => {
  await using lab = await startLab();
  await lab.createSecretProfile("ci");
  const [cmd, ...base] = cliCommand();
  for (let round = 0; round < 12; round++) {
    const child = new Deno.Command(cmd, {
      args: [...base, "get-token", "-p", "ci", "--force", "--silent"],
      env: {
        ...lab.env,
        DENO_DIR: Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`,
      },
      stdout: "null",
      stderr: "null",
    }).spawn();
    // Kill at a different moment each round: before, during and after the write.
    await new Promise((r) => setTimeout(r, 40 + round * 12));
    try {
      child.kill("SIGKILL");
    } catch { /* already finished */ }
    await child.status;
    const r = await lab.cli(["get-token", "-p", "ci", "--json"], { timeoutMs: 20_000 });
    assert.equal(r.code, 0, `round ${round}: ${r.stderr}`);
    assert.ok(!r.stderr.includes("Discarded"), `round ${round}: ${r.stderr}`);
    assert.ok(JSON.parse(r.stdout).access_token);
  }
});

Deno.test("cache: a lock left by a dead process is broken at once", async () => {
  await using lab = await startLab();
  await lab.createSecretProfile("ci");
  await lab.cli(["get-token", "-p", "ci"]);
  const [file] = cacheFiles(lab.home);
  // pid 2^22+1 is above Linux's pid_max default, so no live process has it.
  await Deno.writeTextFile(`${file}.acquire.lock`, `${2 ** 22 + 1} ${Date.now()}\n`);
  const started = Date.now();
  const r = await lab.cli(["get-token", "-p", "ci", "--force"]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(Date.now() - started < 10_000);
});
