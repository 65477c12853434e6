/** Failure paths against the real IdP: exit codes, hints, retries, nothing leaked. */
import assert from "node:assert/strict";
import {
  CONFIDENTIAL_CLIENT_ID,
  CONFIDENTIAL_CLIENT_SECRET,
  hasStack,
  startLab,
  TENANT_ID,
} from "./lab.ts";

Deno.test("Entra rejections exit 3 with the AADSTS code, a hint and the ids", async (t) => {
  await using lab = await startLab();
  const env = (secret: string, client = CONFIDENTIAL_CLIENT_ID, tenant = TENANT_ID) => ({
    AZURE_TENANT_ID: tenant,
    AZURE_CLIENT_ID: client,
    AZURE_CLIENT_SECRET: secret,
  });

  await t.step("wrong secret → 3, AADSTS7000215, trace and correlation ids", async () => {
    const wrong = "definitely-wrong-secret-value";
    const r = await lab.cli(["get-token"], { env: env(wrong) });
    assert.equal(r.code, 3, r.stderr);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /^✗ .*AADSTS7000215/m);
    assert.match(r.stderr, /Trace ID: [0-9a-f-]{36}/);
    assert.match(r.stderr, /Correlation ID: [0-9a-f-]{36}/);
    assert.match(r.stderr, /secret/i);
    assert.ok(!r.stderr.includes(wrong));
    assert.ok(!hasStack(r.stderr));
  });

  await t.step("a wrong secret is not retried", async () => {
    await lab.idp.reset();
    await lab.cli(["get-token"], { env: env("nope") });
    assert.equal((await lab.idp.stats()).token.client_credentials, 1);
  });

  await t.step("unknown application → 3, AADSTS700016", async () => {
    const r = await lab.cli(["get-token"], {
      env: env("x", "00000000-0000-4000-8000-0000000000ff"),
    });
    assert.equal(r.code, 3);
    assert.match(r.stderr, /AADSTS700016/);
  });

  await t.step("unknown tenant → 3, AADSTS90002", async () => {
    const r = await lab.cli(["get-token"], {
      env: env("x", CONFIDENTIAL_CLIENT_ID, "nosuchtenant.example"),
    });
    assert.equal(r.code, 3);
    assert.match(r.stderr, /AADSTS90002/);
    assert.match(r.stderr, /tenant/i);
  });

  await t.step("unknown resource → 3, AADSTS500011", async () => {
    const r = await lab.cli(["get-token", "--scope", "api://nothing-here/.default"], {
      env: env(CONFIDENTIAL_CLIENT_SECRET),
    });
    assert.equal(r.code, 3);
    assert.match(r.stderr, /AADSTS500011/);
  });
});

Deno.test("retries: 503/429 that clear succeed; an IdP that stays down exits 5", async (t) => {
  await using lab = await startLab();
  await lab.createSecretProfile("ci");

  await t.step("two 503s then success", async () => {
    await lab.idp.reset();
    await lab.idp.fail({ status: 503, count: 2 });
    const r = await lab.cli(["get-token", "-p", "ci", "--silent"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await lab.idp.stats()).token.client_credentials, 3);
  });

  await t.step("429 with Retry-After is honoured", async () => {
    await lab.idp.reset();
    await lab.idp.fail({ status: 429, count: 1, retryAfter: 1 });
    const r = await lab.cli(["get-token", "-p", "ci", "-v", "--force"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /retrying after HTTP 429 in 1\.0 s/);
  });

  await t.step("connection refused → 5 with a network hint", async () => {
    const r = await lab.cli([
      "get-token",
      "-p",
      "ci",
      "--force",
      "--authority-host",
      "https://127.0.0.1:9",
    ]);
    assert.equal(r.code, 5);
    assert.match(r.stderr, /cannot reach https:\/\/127\.0\.0\.1:9/);
    assert.ok(!hasStack(r.stderr));
  });

  await t.step("an untrusted TLS certificate → 5 naming DENO_CERT", async () => {
    const r = await lab.cli(["get-token", "-p", "ci", "--force"], { env: { DENO_CERT: "" } });
    assert.equal(r.code, 5);
    assert.match(r.stderr, /DENO_CERT/);
  });
  // Last: the failure plan outlives this step.
  await t.step("503 that never clears → 5 after a bounded number of tries", async () => {
    await lab.idp.reset();
    await lab.idp.fail({ status: 503, count: 100 });
    const r = await lab.cli(["get-token", "-p", "ci", "--force"]);
    assert.equal(r.code, 5, r.stderr);
    assert.match(r.stderr, /^✗ /m);
    const tries = (await lab.idp.stats()).token.client_credentials;
    assert.ok(tries >= 2 && tries <= 5, `tries: ${tries}`);
  });
});

Deno.test("usage errors exit 2 with one line and a suggestion", async (t) => {
  await using lab = await startLab();
  for (
    const [args, pattern] of [
      [["get-tokn"], /Did you mean get-token\?/],
      [["get-token", "--jsn"], /Did you mean --json\?/],
      [["get-token", "-p", "missing"], /profile 'missing' not found/],
      [["get-token"], /no profile given/],
      [["get-token", "-f", "Telepathy"], /unknown flow/],
      [["config", "show", "-p", "nope"], /not found/],
    ] as [string[], RegExp][]
  ) {
    await t.step(args.join(" "), async () => {
      const r = await lab.cli(args);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, pattern);
      assert.match(r.stderr, /^✗ /);
      assert.equal(r.stdout, "");
      assert.ok(!hasStack(r.stderr));
    });
  }
});

Deno.test("a damaged profiles.json stops every command with exit 2 and stays unchanged", async () => {
  await using lab = await startLab();
  await lab.createSecretProfile("ci");
  const path = `${lab.home}/profiles.json`;
  const damaged = (await Deno.readTextFile(path)).slice(0, 40);
  await Deno.writeTextFile(path, damaged);
  for (
    const args of [
      ["get-token", "-p", "ci"],
      ["config", "list"],
      ["config", "show", "-p", "ci"],
      ["delete-profile", "--name", "ci"],
    ]
  ) {
    const r = await lab.cli(args);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, /profiles\.json is invalid/);
  }
  const created = await lab.createSecretProfile("other");
  assert.equal(created.code, 2);
  assert.equal(await Deno.readTextFile(path), damaged);
});
