/**
 * The harness options and a certificate (private_key_jwt) client registered through
 * `IDP_EXTRA_CLIENTS`, with Entra's thumbprint rule for client assertions.
 */

import assert from "node:assert/strict";
import { generateClientCert } from "./certs.ts";
import { certificateClientMetadata } from "./clients.ts";
import { startIdp } from "./harness.ts";
import { assertEntraError, b64url, decodeJwt, token } from "./test_util.ts";

Deno.test("harness options: short token TTL and a certificate client via IDP_EXTRA_CLIENTS", async () => {
  const certDir = await Deno.makeTempDir({ prefix: "entra-idp-client-" });
  try {
    const { certFile, keyFile } = await generateClientCert(certDir, "cert-app");
    const clientId = "ce27a990-0000-4000-8000-0000000000c3";
    const certPem = await Deno.readTextFile(certFile);
    await using idp = await startIdp({
      accessTokenTtl: 120,
      extraClients: [certificateClientMetadata(clientId, certPem)],
    });
    const assertion = await clientAssertion(
      idp.tokenEndpoint,
      clientId,
      certPem,
      await Deno.readTextFile(keyFile),
    );
    const form = {
      grant_type: "client_credentials",
      client_id: clientId,
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      scope: "api://entra-auth-cli-test/.default",
    };
    const ok = await token(idp, { ...form, client_assertion: assertion.withThumbprint });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.expires_in, 120);
    assert.equal(
      decodeJwt(ok.body.access_token as string).payload.aud,
      "api://entra-auth-cli-test",
    );
    const noThumb = await token(idp, { ...form, client_assertion: assertion.withoutThumbprint });
    assertEntraError(noThumb, 401, "invalid_client", 700027);
  } finally {
    await Deno.remove(certDir, { recursive: true });
  }
});

function pemBody(pem: string): Uint8Array<ArrayBuffer> {
  const b64 = pem.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, "");
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

/** Two RS256 client assertions (with and without `x5t#S256`), as Entra expects them. */
async function clientAssertion(aud: string, clientId: string, certPem: string, keyPem: string) {
  const alg = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
  const key = await crypto.subtle.importKey("pkcs8", pemBody(keyPem), alg, false, ["sign"]);
  const thumb = b64url(await crypto.subtle.digest("SHA-256", pemBody(certPem)));
  const now = Math.floor(Date.now() / 1000);
  const sign = async (header: Record<string, string>) => {
    const enc = (o: unknown) => b64url(new TextEncoder().encode(JSON.stringify(o)));
    const payload = {
      aud,
      iss: clientId,
      sub: clientId,
      jti: crypto.randomUUID(),
      nbf: now,
      iat: now,
      exp: now + 600,
    };
    const input = `${enc(header)}.${enc(payload)}`;
    return `${input}.${
      b64url(await crypto.subtle.sign(alg, key, new TextEncoder().encode(input)))
    }`;
  };
  return {
    withThumbprint: await sign({ alg: "RS256", typ: "JWT", "x5t#S256": thumb }),
    withoutThumbprint: await sign({ alg: "RS256", typ: "JWT" }),
  };
}

Deno.test("startIdp reports the IdP's stderr when it cannot start", async () => {
  await assert.rejects(
    () => startIdp({ env: { IDP_EXTRA_CLIENTS: "not json" } }),
    (err: Error) => {
      assert.match(err.message, /exited with code \d+ before it was ready/);
      assert.match(err.message, /SyntaxError/); // the IdP's own error text, from its stderr
      return true;
    },
  );
});
