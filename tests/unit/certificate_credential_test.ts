import assert from "node:assert/strict";
import { buildAuthority } from "../../src/entra/authority.ts";
import { CancelledError, UsageError } from "../../src/errors.ts";
import { createReporter } from "../../src/output/reporter.ts";
import type { Profile } from "../../src/profile/profile.ts";
import type { ResolvedProfile } from "../../src/profile/resolve.ts";
import { secretKeys } from "../../src/store/secret_store.ts";
import { certificateClientCredential } from "../../src/token/certificate_credential.ts";
import { type Fixtures, makeCertFixtures } from "../fixtures/make_certs.ts";
import { fakeDeps } from "../helpers/fake_deps.ts";

const TENANT = "7e57c0de-0000-4000-8000-000000000001";
const CLIENT = "ce27a990-0000-4000-8000-0000000000c4";

function resolved(fields: Partial<Profile>, o: { env?: string; host?: string } = {}) {
  const profile: Profile = {
    name: "p",
    tenantId: TENANT,
    clientId: CLIENT,
    authMethod: "certificate",
    scopes: [],
    ...fields,
  };
  const authority = buildAuthority(o.host ?? "https://login.microsoftonline.com", TENANT);
  const r: ResolvedProfile = o.env === undefined
    ? { profile, name: "p", authority }
    : { profile, name: null, authority, envCertificatePassword: o.env };
  return r;
}

/** Runs the credential's loader and signs one assertion; returns it decoded. */
async function sign(r: ResolvedProfile, deps: ReturnType<typeof fakeDeps>) {
  let n = 0;
  deps.random.uuid = () => `jti-${++n}`;
  deps.clockFake.time = Date.now(); // the fixtures are valid from now on
  const cred = await certificateClientCredential(r, deps, createReporter(deps.io, deps.env));
  assert.equal(cred.kind, "assertion");
  const jwts = cred.kind === "assertion" ? [await cred.assertion(), await cred.assertion()] : [];
  const [header, claims] = jwts[0].split(".").slice(0, 2).map((part) =>
    JSON.parse(new TextDecoder().decode(Uint8Array.fromBase64(part, { alphabet: "base64url" })))
  );
  return { header, claims, jtis: jwts.map((j) => j.split(".")[1]) };
}

function rejectsWith(code: string) {
  return (err: unknown) => err instanceof UsageError && err.code === code;
}

Deno.test("certificateClientCredential", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "entra-cert-cred-" });
  try {
    const f: Fixtures = await makeCertFixtures(dir);
    const pfx = { certificatePath: f.aesPfx };

    await t.step("PS256 + x5t#S256; aud is the token endpoint of the profile's cloud", async () => {
      const host = "https://login.microsoftonline.us";
      const a = await sign(resolved({ certificatePath: f.combinedPem }, { host }), fakeDeps());
      assert.equal(a.header.alg, "PS256");
      assert.ok(a.header["x5t#S256"] && !a.header.x5t && !a.header.x5c);
      assert.equal(a.claims.aud, `${host}/${TENANT}/oauth2/v2.0/token`);
      assert.equal(a.claims.iss, CLIENT);
      assert.equal(a.jtis[0], a.jtis[1], "one assertion is reused within a run");
    });

    await t.step("RS256 + x5t and x5c from the profile settings", async () => {
      const fields = { certificatePath: f.combinedPem, assertionAlg: "RS256" as const };
      const a = await sign(resolved({ ...fields, sendX5c: true }), fakeDeps());
      assert.equal(a.header.alg, "RS256");
      assert.ok(a.header.x5t && !a.header["x5t#S256"]);
      assert.equal(a.header.x5c.length, 2);
    });

    await t.step("password from the store, or AZURE_CLIENT_CERTIFICATE_PASSWORD", async () => {
      const deps = fakeDeps({ tty: true });
      await deps.store.set(secretKeys.certificatePassword("p"), f.password);
      await sign(resolved(pfx), deps);
      await sign(resolved(pfx, { env: f.password }), fakeDeps({ tty: true }));
    });

    await t.step("no password and no terminal: exit-2 error at once, no prompt", async () => {
      const deps = fakeDeps();
      await assert.rejects(sign(resolved(pfx), deps), (err: UsageError) => {
        assert.equal(err.code, "CERT_PASSWORD_REQUIRED");
        assert.match(err.hints.join(" "), /--certificate-password-stdin/);
        return true;
      });
      assert.deepEqual(deps.prompter.asked, []);
    });

    await t.step("a wrong stored password fails without asking", async () => {
      const deps = fakeDeps({ tty: true });
      await deps.store.set(secretKeys.certificatePassword("p"), "stale");
      await assert.rejects(sign(resolved(pfx), deps), rejectsWith("CERT_PASSWORD_WRONG"));
      assert.deepEqual(deps.prompter.asked, []);
    });

    await t.step("on a terminal: asks until right, at most 3 times", async () => {
      const ok = fakeDeps({ tty: true, answers: ["nope", f.password] });
      await sign(resolved(pfx), ok);
      assert.equal(ok.prompter.asked.length, 2);
      assert.match(ok.err(), /Wrong password, try again \(2 tries left\)/);
      const bad = fakeDeps({ tty: true, answers: ["a", "", "c", "never asked"] });
      await assert.rejects(sign(resolved(pfx), bad), rejectsWith("CERT_PASSWORD_WRONG"));
      assert.equal(bad.prompter.asked.length, 3);
    });

    await t.step("Ctrl-C at the prompt is a cancellation", async () => {
      const deps = fakeDeps({ tty: true, answers: ["^C"] });
      await assert.rejects(sign(resolved(pfx), deps), CancelledError);
    });

    await t.step("a certificate close to expiry warns on stderr", async () => {
      const deps = fakeDeps();
      await sign(resolved({ certificatePath: f.expiringSoonPem }), deps);
      assert.match(deps.err(), /⚠ certificate expires in (9|10) days/);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
