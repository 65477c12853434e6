/**
 * Certificate credentials (GitHub issue #3) against the real test IdP: every file
 * form through create-profile and get-token, the AZURE_* variables, what the
 * assertion carries, Entra's rejection, bad input, and the password prompt in a
 * real terminal.
 */
import assert from "node:assert/strict";
import { certificateJwk, makeCertFixtures } from "../fixtures/make_certs.ts";
import { findInFiles } from "../helpers/cli.ts";
import { certificateClientMetadata } from "../idp/clients.ts";
import { CERT_CLIENT_ID, cliFor, openssl, snapshot, terminalRuns } from "./certificate_helpers.ts";
import { claimsOf, hasStack, startLab, TENANT_ID } from "./lab.ts";

Deno.test("certificate credentials end to end", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "entra-cert-e2e-" });
  const f = await makeCertFixtures(dir);
  const jwk = await certificateJwk(f.certPem);
  const certPem = await Deno.readTextFile(f.certPem);
  await using lab = await startLab({
    extraClients: [certificateClientMetadata(CERT_CLIENT_ID, certPem)],
  });
  const c = cliFor(lab);
  try {
    await t.step("every form: create-profile, then get-token signs in with it", async () => {
      await Deno.copyFile(f.aesPfx, `${dir}/client.p12`);
      // deno-fmt-ignore
      const forms: [string, string[], { env?: Record<string, string>; stdin?: string }][] = [
        ["pem", ["--use-certificate", "--certificate-path", "cert.pem", "--private-key-path", "key.pem"], {}],
        ["combined", ["--certificate-path", f.combinedPem], {}],
        ["encrypted-key", ["--certificate-path", f.certPem, "--private-key-path", f.encryptedKeyPem, "--certificate-password-stdin"], { stdin: f.password + "\n" }],
        ["aes", ["--certificate-path", f.aesPfx, "--certificate-password", f.password], {}],
        ["3des", ["--certificate-path", f.tripleDesPfx], { env: { AZURE_CLIENT_CERTIFICATE_PASSWORD: f.password } }],
        ["rc2", ["--certificate-path", f.legacyRc2Pfx, "--certificate-password-stdin"], { stdin: f.password }],
        ["nopass", ["--certificate-path", f.noPassPfx], {}],
        ["p12", ["--certificate-path", `${dir}/client.p12`, "--certificate-password", f.password], {}],
        ["env-path", ["--use-certificate"], { env: { AZURE_CLIENT_CERTIFICATE_PATH: f.combinedPem } }],
      ];
      await Promise.all(forms.map(async ([name, flags, o]) => {
        const created = await c.create(name, flags, { ...o, cwd: dir });
        assert.equal(created.code, 0, `${name}: ${created.stderr}`);
        assert.match(created.stderr, new RegExp(`SHA-1 thumbprint ${f.sha1Thumbprint}`));
        const r = await lab.cli(["get-token", "-p", name, "--force", "--silent"]);
        assert.equal(r.code, 0, `${name}: ${r.stderr}`);
        assert.equal(claimsOf(r.stdout.trim()).appid, CERT_CLIENT_ID);
      }));
      const seen = await c.assertions();
      assert.equal(seen.length, forms.length);
      assert.equal(new Set(seen.map((a) => a.claims.jti)).size, forms.length, "a jti per request");
      for (const { header, claims } of seen) {
        assert.deepEqual(header, { alg: "PS256", typ: "JWT", "x5t#S256": jwk["x5t#S256"] });
        assert.equal(claims.aud, lab.idp.tokenEndpoint);
        assert.equal(claims.iss, CERT_CLIENT_ID);
        assert.equal(claims.sub, CERT_CLIENT_ID);
        assert.ok((claims.exp as number) - (claims.iat as number) <= 600);
      }
      const stored = JSON.parse(await Deno.readTextFile(`${lab.home}/profiles.json`)).profiles;
      const pem = stored.find((p: { name: string }) => p.name === "pem");
      assert.equal(pem.authMethod, "certificate");
      assert.equal(pem.certificatePath, f.certPem, "relative paths are stored absolute");
      assert.equal(pem.privateKeyPath, f.keyPem);
    });

    await t.step("RS256 + x5t by setting or per call; x5c with --send-x5c", async () => {
      const last = async (args: string[]) => {
        await lab.idp.reset();
        const r = await lab.cli(["get-token", "--force", "--silent", ...args]);
        assert.equal(r.code, 0, r.stderr);
        return (await c.assertions())[0].header;
      };
      const rs = await last(["-p", "pem", "--assertion-alg", "RS256"]);
      assert.deepEqual(rs, { alg: "RS256", typ: "JWT", x5t: jwk.x5t });
      // Even with a fresh token cached, a per-call setting is used, not ignored.
      await lab.idp.reset();
      const cachedBefore = await lab.cli(["get-token", "-p", "pem", "--silent", "--send-x5c"]);
      assert.equal(cachedBefore.code, 0, cachedBefore.stderr);
      assert.ok((await c.assertions())[0].header.x5c, "--send-x5c reached the IdP");
      const x5c = await last(["-p", "combined", "--send-x5c"]);
      assert.equal(x5c.alg, "PS256");
      const chain = [jwk, await certificateJwk(f.caPem)].map((k) => (k.x5c as string[])[0]);
      assert.deepEqual(x5c.x5c, chain);
      const created = await c.create("rs-x5c", [
        "--certificate-path",
        f.combinedPem,
        "--assertion-alg",
        "rs256",
        "--send-x5c",
      ]);
      assert.equal(created.code, 0, created.stderr);
      const both = await last(["-p", "rs-x5c"]);
      assert.equal(both.alg, "RS256");
      assert.equal((both.x5c as string[]).length, 2);
      const verbose = await lab.cli(["get-token", "-p", "pem", "--force", "-v"]);
      assert.match(verbose.stderr, /client_assertion=<redacted>/);
      assert.match(verbose.stderr, /assertion PS256 with x5t#S256/);
      assert.doesNotMatch(verbose.stderr, /eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+/, "no JWT on stderr");
    });

    await t.step(
      "AZURE_CLIENT_CERTIFICATE_PATH (+ _PASSWORD) as the implicit profile",
      async () => {
        const env = { AZURE_TENANT_ID: TENANT_ID, AZURE_CLIENT_ID: CERT_CLIENT_ID };
        const pfx = { ...env, AZURE_CLIENT_CERTIFICATE_PATH: f.tripleDesPfx };
        const ok = await lab.cli(["get-token", "--json", "--force"], {
          env: { ...pfx, AZURE_CLIENT_CERTIFICATE_PASSWORD: f.password },
        });
        assert.equal(ok.code, 0, ok.stderr);
        const doc = JSON.parse(ok.stdout);
        assert.equal(doc.profile, null);
        assert.equal(claimsOf(doc.accessToken).appid, CERT_CLIENT_ID);
        const pem = await lab.cli(["get-token", "--force", "--silent"], {
          env: { ...env, AZURE_CLIENT_CERTIFICATE_PATH: f.combinedPem },
        });
        assert.equal(pem.code, 0, pem.stderr);
        const started = Date.now();
        const noPassword = await lab.cli(["get-token", "--force"], { env: pfx });
        assert.equal(noPassword.code, 2, "no terminal: no prompt, exit 2 at once");
        assert.match(
          noPassword.stderr,
          /^✗ .*needs a password\n\s+Set AZURE_CLIENT_CERTIFICATE_PASSWORD/m,
        );
        assert.ok(Date.now() - started < 15_000);
        const wrong = await lab.cli(["get-token", "--force"], {
          env: { ...pfx, AZURE_CLIENT_CERTIFICATE_PASSWORD: "not-it" },
        });
        assert.equal(wrong.code, 2);
        assert.match(wrong.stderr, /^✗ wrong password/m);
      },
    );

    await t.step("a 503 is retried with the same assertion", async () => {
      await lab.idp.reset();
      await lab.idp.fail({ status: 503, count: 1 });
      const r = await lab.cli(["get-token", "-p", "pem", "--force", "--silent"]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal((await lab.idp.stats()).injectedFailures, 1);
    });

    await t.step("a certificate Entra does not know: exit 3, AADSTS700027, a hint", async () => {
      const other = ["-key", "other-key.pem", "-subj", "/CN=other", "-out", "other.pem"];
      await openssl(dir, "req", "-x509", "-days", "30", ...other);
      const unknown: [string, string[]][] = [
        ["other-key", [
          "--certificate-path",
          `${dir}/other.pem`,
          "--private-key-path",
          f.otherKeyPem,
        ]],
        ["soon", ["--certificate-path", f.expiringSoonPem]], // same key, another thumbprint
      ];
      for (const [name, flags] of unknown) {
        const created = await c.create(name, flags);
        assert.equal(created.code, 0, created.stderr);
        const r = await lab.cli(["get-token", "-p", name, "--force"]);
        assert.equal(r.code, 3, r.stderr);
        assert.match(r.stderr, /^✗ .*AADSTS700027/m);
        assert.match(r.stderr, /registered on the app/);
        assert.ok(!hasStack(r.stderr));
      }
      const soon = await lab.cli(["get-token", "-p", "soon", "--force"]);
      assert.match(soon.stderr, /⚠ certificate expires in (9|10) days/);
    });

    await t.step("bad input: exit 2, one reason, nothing written", async () => {
      const before = await snapshot(lab);
      // deno-fmt-ignore
      const bad: [string, string[], RegExp][] = [
        ["missing file", ["--certificate-path", `${dir}/nope.pem`], /file not found/],
        ["unreadable (a directory)", ["--certificate-path", dir], /cannot read/],
        ["not a certificate", ["--certificate-path", f.garbagePem, "--private-key-path", f.keyPem], /invalid certificate/],
        ["no key", ["--certificate-path", f.certPem], /no private key/],
        ["key mismatch", ["--certificate-path", f.certPem, "--private-key-path", f.otherKeyPem], /does not match/],
        ["wrong PFX password", ["--certificate-path", f.aesPfx, "--certificate-password", "nope"], /wrong password/],
        ["missing PFX password", ["--certificate-path", f.aesPfx], /needs a password/],
        ["EC key", ["--certificate-path", f.ecPfx, "--certificate-password", f.password], /non-RSA key/],
        ["expired", ["--certificate-path", f.expiredPem], /expired on/],
        ["not yet valid", ["--certificate-path", f.notYetPem], /not valid before/],
        ["with a secret", ["--use-certificate", "--certificate-path", f.certPem, "--client-secret", "x"], /not both/],
        ["no path", ["--use-certificate"], /missing --certificate-path/],
        ["bad algorithm", ["--certificate-path", f.combinedPem, "--assertion-alg", "HS256"], /assertion-alg/],
      ];
      await Promise.all(bad.map(async ([label, flags, reason]) => {
        const r = await c.create("bad", flags);
        assert.equal(r.code, 2, `${label}: ${r.stderr}`);
        assert.match(r.stderr, /^✗ /, label);
        assert.match(r.stderr.split("\n")[0], reason, label);
        assert.ok(!hasStack(r.stderr), label);
      }));
      assert.deepEqual(await snapshot(lab), before);
    });

    await t.step(
      "a certificate gone after create-profile: get-token exits 2, config show says why",
      async () => {
        await Deno.mkdir(`${dir}/moving`);
        await Deno.copyFile(f.combinedPem, `${dir}/moving/both.pem`);
        assert.equal(
          (await c.create("moving", ["--certificate-path", `${dir}/moving/both.pem`])).code,
          0,
        );
        const shown = JSON.parse(
          (await lab.cli(["config", "show", "-p", "moving", "--json"])).stdout,
        );
        assert.equal(shown.certificate.sha256Thumbprint, f.sha256Thumbprint);
        await Deno.remove(`${dir}/moving`, { recursive: true });
        const r = await lab.cli(["get-token", "-p", "moving", "--force"]);
        assert.equal(r.code, 2);
        assert.match(r.stderr, /^✗ file not found/m);
        const show = await lab.cli(["config", "show", "-p", "moving"]);
        assert.equal(show.code, 0);
        assert.match(show.stdout, /Problem: +✗ file not found/);
      },
    );

    await t.step(
      "config show: thumbprints, dates, password stored; never key or password",
      async () => {
        const r = await lab.cli(["config", "show", "-p", "aes", "--json"]);
        const doc = JSON.parse(r.stdout);
        assert.equal(doc.certificatePasswordStored, true);
        assert.equal(doc.certificate.sha1Thumbprint, f.sha1Thumbprint);
        assert.match(doc.certificate.subject, /CN=entra-auth-cli test app/);
        assert.match(doc.certificate.notAfter, /^\d{4}-\d\d-\d\dT/);
        const text = await lab.cli(["config", "show", "-p", "aes"]);
        assert.match(text.stdout, new RegExp(`Thumbprint: +${f.sha1Thumbprint} \\(SHA-1\\)`));
        assert.match(text.stdout, /Cert password: +stored/);
        for (const out of [r.stdout, text.stdout]) {
          assert.ok(!out.includes(f.password) && !out.includes("PRIVATE KEY"));
        }
      },
    );

    await t.step(
      "the certificate password is in no file under the config home or HOME",
      async () => {
        assert.deepEqual(await findInFiles(lab.home, f.password), []);
        assert.deepEqual(await findInFiles(lab.env.HOME, f.password), []);
      },
    );

    await t.step("the seed examples work as written", async () => {
      const bare = await lab.cli(["create-profile", "--use-certificate"]);
      assert.equal(bare.code, 2);
      assert.match(bare.stderr, /^✗ missing --name, --tenant-id, --client-id, --certificate-path/m);
      // A hand-written profile in the docs' shape: "useCertificate": true, no authMethod.
      const home = `${dir}/seed-home`;
      await Deno.mkdir(home, { mode: 0o700 });
      const seed = { name: "cert-profile", clientId: CERT_CLIENT_ID, tenantId: TENANT_ID };
      const profiles = [{ ...seed, certificatePath: f.noPassPfx, useCertificate: true }];
      await Deno.writeTextFile(`${home}/profiles.json`, JSON.stringify({ profiles }), {
        mode: 0o600,
      });
      const r = await lab.cli(["get-token", "-p", "cert-profile", "-f", "ClientCredentials"], {
        env: { ENTRA_AUTH_CLI_HOME: home },
      });
      assert.equal(r.code, 0, r.stderr);
    });

    await t.step(
      "in a terminal: a masked prompt, 3 tries, Ctrl-C, a working password",
      () => terminalRuns(lab, f),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
