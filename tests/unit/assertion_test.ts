import assert from "node:assert/strict";
import { constants, verify, X509Certificate } from "node:crypto";
import {
  AssertionCache,
  createClientAssertion,
  MAX_ASSERTION_LIFETIME_SECONDS,
} from "../../src/entra/assertion.ts";
import {
  type CertificateCredential,
  loadCertificateCredential,
} from "../../src/entra/certificate.ts";
import { UsageError } from "../../src/errors.ts";
import { certificateJwk, makeCertFixtures } from "../fixtures/make_certs.ts";

const CLIENT_ID = "00000000-0000-4000-8000-00000000c1d0";
const TOKEN_ENDPOINT = "https://login.microsoftonline.com/tenant/oauth2/v2.0/token";
const NOW = 1_800_000_000_123; // ms; the fractional second must be dropped

interface Decoded {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  input: Uint8Array<ArrayBuffer>;
  signature: Uint8Array<ArrayBuffer>;
}

function decode(jwt: string): Decoded {
  const parts = jwt.split(".");
  assert.equal(parts.length, 3);
  const json = (s: string) =>
    JSON.parse(new TextDecoder().decode(Uint8Array.fromBase64(s, { alphabet: "base64url" })));
  return {
    header: json(parts[0]),
    claims: json(parts[1]),
    input: new TextEncoder().encode(`${parts[0]}.${parts[1]}`),
    signature: Uint8Array.fromBase64(parts[2], { alphabet: "base64url" }),
  };
}

/** Verifies with node:crypto and the certificate's public key: an independent implementation. */
function verifies(cred: CertificateCredential, d: Decoded, alg: "PS256" | "RS256"): boolean {
  const key = new X509Certificate(cred.certDer).publicKey;
  const options = alg === "PS256"
    ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
    : { key, padding: constants.RSA_PKCS1_PADDING };
  return verify("sha256", d.input, options, d.signature);
}

Deno.test("client assertion", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "entra-assertion-test-" });
  try {
    const f = await makeCertFixtures(dir);
    // combined.pem carries the CA too, so x5c has two entries.
    const cred = await loadCertificateCredential({
      certificatePath: f.combinedPem,
      now: Date.now(),
    });
    const base = { clientId: CLIENT_ID, tokenEndpoint: TOKEN_ENDPOINT, now: NOW, jti: "jti-1" };
    const iat = Math.floor(NOW / 1000);

    await t.step("PS256 by default, with x5t#S256 and the Entra claims", async () => {
      const { jwt, expiresAt } = await createClientAssertion(cred, base);
      const d = decode(jwt);
      assert.deepEqual(d.header, { alg: "PS256", typ: "JWT", "x5t#S256": cred.x5tS256 });
      assert.deepEqual(d.claims, {
        aud: TOKEN_ENDPOINT,
        iss: CLIENT_ID,
        sub: CLIENT_ID,
        jti: "jti-1",
        nbf: iat,
        iat,
        exp: iat + 600,
      });
      assert.equal(expiresAt, (iat + 600) * 1000);
      assert.ok(verifies(cred, d, "PS256"));
      assert.ok(!verifies(cred, d, "RS256"));
    });

    await t.step("RS256 with x5t on request", async () => {
      const d = decode((await createClientAssertion(cred, { ...base, alg: "RS256" })).jwt);
      assert.deepEqual(d.header, { alg: "RS256", typ: "JWT", x5t: cred.x5t });
      assert.ok(verifies(cred, d, "RS256"));
    });

    await t.step("verifies with the JWK the e2e tests register (Web Crypto)", async () => {
      const jwk = await certificateJwk(f.certPem);
      assert.equal(jwk["x5t#S256"], cred.x5tS256);
      assert.equal(jwk.x5t, cred.x5t);
      assert.deepEqual(jwk.x5c, [cred.certDer.toBase64()]);
      const key = await crypto.subtle.importKey(
        "jwk",
        { kty: jwk.kty, n: jwk.n, e: jwk.e },
        { name: "RSA-PSS", hash: "SHA-256" },
        false,
        ["verify"],
      );
      const d = decode((await createClientAssertion(cred, base)).jwt);
      const params = { name: "RSA-PSS", saltLength: 32 };
      assert.ok(await crypto.subtle.verify(params, key, d.signature, d.input));
    });

    await t.step("a tampered assertion does not verify", async () => {
      const d = decode((await createClientAssertion(cred, base)).jwt);
      d.input[d.input.length - 2] ^= 1;
      assert.ok(!verifies(cred, d, "PS256"));
    });

    await t.step("x5c only when asked, leaf first, standard base64", async () => {
      for (const alg of ["PS256", "RS256"] as const) {
        const plain = decode((await createClientAssertion(cred, { ...base, alg })).jwt);
        assert.equal(plain.header.x5c, undefined);
        const d = decode((await createClientAssertion(cred, { ...base, alg, sendX5c: true })).jwt);
        assert.deepEqual(d.header.x5c, cred.chainDer.map((der) => der.toBase64()));
        assert.equal((d.header.x5c as string[]).length, 2);
        assert.ok(verifies(cred, d, alg));
      }
    });

    await t.step("lifetime is at most 600 seconds", async () => {
      const short = decode(
        (await createClientAssertion(cred, { ...base, lifetimeSeconds: 120 })).jwt,
      );
      assert.equal(Number(short.claims.exp) - Number(short.claims.nbf), 120);
      for (const lifetimeSeconds of [0, -1, 1.5, MAX_ASSERTION_LIFETIME_SECONDS + 1]) {
        await assert.rejects(
          createClientAssertion(cred, { ...base, lifetimeSeconds }),
          (err) => err instanceof UsageError && err.code === "ASSERTION_LIFETIME_INVALID",
        );
      }
    });

    await t.step("AssertionCache", async (t) => {
      let now = NOW;
      let count = 0;
      const cache = new AssertionCache({ now: () => now, jti: () => `jti-${++count}` });
      const req = { clientId: CLIENT_ID, tokenEndpoint: TOKEN_ENDPOINT };
      const first = await cache.get(cred, req);

      await t.step("reuses the assertion until a minute before it expires", async () => {
        now = first.expiresAt - 60_001;
        assert.equal((await cache.get(cred, req)).jwt, first.jwt);
        assert.equal(count, 1);
      });

      await t.step("renews it from then on", async () => {
        now = first.expiresAt - 60_000;
        const renewed = await cache.get(cred, req);
        assert.notEqual(renewed.jwt, first.jwt);
        assert.equal(decode(renewed.jwt).claims.jti, "jti-2");
        assert.equal(renewed.expiresAt, Math.floor(now / 1000) * 1000 + 600_000);
      });

      await t.step("keeps separate assertions per endpoint, alg and x5c", async () => {
        const before = count;
        const variants = [
          { ...req, tokenEndpoint: `${TOKEN_ENDPOINT}?other` },
          { ...req, alg: "RS256" as const },
          { ...req, sendX5c: true },
          { ...req, clientId: "another-client" },
        ];
        for (const v of variants) await cache.get(cred, v);
        assert.equal(count, before + variants.length);
        for (const v of variants) await cache.get(cred, v);
        assert.equal(count, before + variants.length);
      });

      await t.step("concurrent callers share one signature", async () => {
        const fresh = new AssertionCache({ now: () => NOW, jti: () => `jti-${++count}` });
        const before = count;
        const results = await Promise.all([1, 2, 3].map(() => fresh.get(cred, req)));
        assert.equal(count, before + 1);
        assert.equal(new Set(results.map((r) => r.jwt)).size, 1);
      });
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
