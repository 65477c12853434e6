/**
 * Proves the test IdP behaves like Entra ID v2.0 where the CLI depends on it.
 * Run: `scripts/deno.sh test -A tests/idp/`
 */

import assert from "node:assert/strict";
import {
  CONFIDENTIAL_CLIENT_ID,
  CONFIDENTIAL_CLIENT_SECRET,
  PUBLIC_CLIENT_ID,
  TENANT_DOMAIN,
  TENANT_ID,
} from "./clients.ts";
import { startIdp } from "./harness.ts";
import {
  assertEntraError,
  b64urlBytes,
  CC,
  decodeJwt,
  GRAPH_DEFAULT,
  GUID,
  post,
  token,
} from "./test_util.ts";

Deno.test("test IdP answers like Entra ID v2.0 over HTTPS", async (t) => {
  await using idp = await startIdp();

  await t.step("discovery at the Entra path, for the tenant id and its aliases", async () => {
    for (const tenant of [TENANT_ID, TENANT_DOMAIN, "common", "organizations"]) {
      const res = await idp.fetch(`/${tenant}/v2.0/.well-known/openid-configuration`);
      const doc = await res.json();
      assert.equal(res.status, 200);
      assert.equal(doc.issuer, `${idp.origin}/${TENANT_ID}/v2.0`);
      assert.equal(doc.token_endpoint, `${idp.origin}/${tenant}/oauth2/v2.0/token`);
      assert.equal(doc.authorization_endpoint, `${idp.origin}/${tenant}/oauth2/v2.0/authorize`);
      assert.equal(
        doc.device_authorization_endpoint,
        `${idp.origin}/${tenant}/oauth2/v2.0/devicecode`,
      );
      assert.equal(doc.jwks_uri, `${idp.origin}/${tenant}/discovery/v2.0/keys`);
    }
  });

  await t.step("client credentials with a secret returns an Entra-shaped, signed JWT", async () => {
    const a = await token(idp, {
      ...CC,
      client_secret: CONFIDENTIAL_CLIENT_SECRET,
      scope: GRAPH_DEFAULT,
    });
    assert.equal(a.status, 200, JSON.stringify(a.body));
    assert.equal(a.body.token_type, "Bearer");
    assert.equal(a.body.expires_in, 3600);
    assert.equal(a.body.ext_expires_in, 3600);
    assert.equal(a.body.scope, GRAPH_DEFAULT);
    assert.equal(a.body.refresh_token, undefined);
    const jwt = a.body.access_token as string;
    const { header, payload } = decodeJwt(jwt);
    assert.equal(header.alg, "RS256");
    assert.equal(header.typ, "JWT");
    assert.equal(payload.aud, "https://graph.microsoft.com");
    assert.equal(payload.iss, `${idp.origin}/${TENANT_ID}/v2.0`);
    assert.equal(payload.tid, TENANT_ID);
    assert.equal(payload.ver, "2.0");
    assert.equal(payload.appid, CONFIDENTIAL_CLIENT_ID);
    assert.equal(payload.azp, CONFIDENTIAL_CLIENT_ID);
    assert.deepEqual(payload.roles, ["User.Read.All"]);
    assert.match(payload.oid, GUID);
    assert.equal(payload.sub, payload.oid);
    assert.equal(payload.nbf, payload.iat);
    assert.equal(payload.exp - payload.iat, 3600);
    assert.equal(payload.scp, undefined);

    const jwks = await (await idp.fetch(`/${TENANT_ID}/discovery/v2.0/keys`)).json();
    const jwk = jwks.keys.find((k: { kid: string }) => k.kid === header.kid);
    const alg = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
    const key = await crypto.subtle.importKey("jwk", jwk, alg, false, ["verify"]);
    const [h, p, s] = jwt.split(".");
    const signed = new TextEncoder().encode(`${h}.${p}`);
    assert.ok(await crypto.subtle.verify(alg, key, b64urlBytes(s), signed), "signature verifies");
  });

  await t.step("client_secret_basic and the ARM trailing-slash scope work too", async () => {
    const basic = btoa(
      `${CONFIDENTIAL_CLIENT_ID}:${encodeURIComponent(CONFIDENTIAL_CLIENT_SECRET)}`,
    );
    const a = await post(idp, `${idp.origin}/organizations/oauth2/v2.0/token`, {
      grant_type: "client_credentials",
      scope: "https://management.azure.com//.default",
    }, { authorization: `Basic ${basic}` });
    assert.equal(a.status, 200, JSON.stringify(a.body));
    assert.equal(
      decodeJwt(a.body.access_token as string).payload.aud,
      "https://management.azure.com/",
    );
  });

  await t.step(
    "wrong secret: 401 invalid_client AADSTS7000215, correlation id echoed",
    async () => {
      const a = await token(idp, { ...CC, client_secret: "wrong", scope: GRAPH_DEFAULT }, {
        "client-request-id": "5f2b1a52-0000-4000-8000-00000000beef",
      });
      assertEntraError(a, 401, "invalid_client", 7000215);
      assert.equal(a.body.correlation_id, "5f2b1a52-0000-4000-8000-00000000beef");
      assert.equal(a.headers.get("client-request-id"), "5f2b1a52-0000-4000-8000-00000000beef");
    },
  );

  await t.step("unknown client: 400 unauthorized_client AADSTS700016", async () => {
    const a = await token(idp, {
      ...CC,
      client_id: "00000000-dead-4000-8000-000000000000",
      client_secret: "x",
      scope: GRAPH_DEFAULT,
    });
    assertEntraError(a, 400, "unauthorized_client", 700016);
  });

  await t.step("unknown tenant: 400 invalid_request AADSTS90002", async () => {
    const url = `${idp.origin}/11111111-2222-4333-8444-555555555555/oauth2/v2.0/token`;
    const a = await post(idp, url, {
      ...CC,
      client_secret: CONFIDENTIAL_CLIENT_SECRET,
      scope: GRAPH_DEFAULT,
    });
    assertEntraError(a, 400, "invalid_request", 90002);
  });

  await t.step("scope errors: 1002012, 500011, 28000, 900144", async () => {
    const cc = { ...CC, client_secret: CONFIDENTIAL_CLIENT_SECRET };
    assertEntraError(
      await token(idp, { ...cc, scope: "User.Read" }),
      400,
      "invalid_scope",
      1002012,
    );
    const unknown = await token(idp, { ...cc, scope: "api://nobody-registered-this/.default" });
    assertEntraError(unknown, 400, "invalid_scope", 500011);
    const two = await token(idp, {
      ...cc,
      scope: `${GRAPH_DEFAULT} https://management.azure.com//.default`,
    });
    assertEntraError(two, 400, "invalid_scope", 28000);
    assertEntraError(await token(idp, cc), 400, "invalid_request", 900144);
  });

  await t.step("device code endpoint answers like Entra (message, interval)", async () => {
    const url = `${idp.authority}/oauth2/v2.0/devicecode`;
    const a = await post(idp, url, {
      client_id: PUBLIC_CLIENT_ID,
      scope: "User.Read offline_access",
    });
    assert.equal(a.status, 200, JSON.stringify(a.body));
    assert.equal(a.body.interval, 5);
    assert.equal(a.body.verification_uri_complete, undefined);
    assert.match(a.body.message as string, new RegExp(`enter the code ${a.body.user_code} `));
  });

  await t.step("/__lab/fail: 503 with Retry-After, then success; stats count it all", async () => {
    await idp.reset();
    await idp.fail({ status: 503, count: 1, retryAfter: 2 });
    const form = { ...CC, client_secret: CONFIDENTIAL_CLIENT_SECRET, scope: GRAPH_DEFAULT };
    const failed = await token(idp, form);
    assertEntraError(failed, 503, "temporarily_unavailable", 90033);
    assert.equal(failed.headers.get("retry-after"), "2");
    assert.equal((await token(idp, form)).status, 200);
    await post(idp, `${idp.authority}/oauth2/v2.0/devicecode`, {
      client_id: PUBLIC_CLIENT_ID,
      scope: "User.Read",
    });
    await token(idp, {
      grant_type: "urn:ietf:params:oauth:grant-type:device_code",
      client_id: PUBLIC_CLIENT_ID,
      device_code: "nope",
    });
    const stats = await idp.stats();
    assert.deepEqual(stats.token, {
      client_credentials: 2,
      "urn:ietf:params:oauth:grant-type:device_code": 1,
    });
    assert.equal(stats.devicecode, 1);
    assert.equal(stats.injectedFailures, 1);
    await idp.reset();
    assert.deepEqual((await idp.stats()).token, {});
  });
});
