/**
 * The lab IdP's user-flow additions: prompt rewriting on /authorize, ID token claims,
 * and the device-code rules (slow_down, expired_token, approve/deny).
 * Run: `scripts/deno.sh test -A tests/idp/`
 */
import assert from "node:assert/strict";
import { PUBLIC_CLIENT_ID, TENANT_ID } from "./clients.ts";
import { startIdp } from "./harness.ts";
import { assertEntraError, decodeJwt, post, token } from "./test_util.ts";

const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

Deno.test("test IdP: user sign-in shaped like Entra", async (t) => {
  await using idp = await startIdp({ env: { IDP_DEVICE_TTL: "2", IDP_AUTO_LOGIN: "dave" } });
  const devicecode = () =>
    post(idp, `${idp.authority}/oauth2/v2.0/devicecode`, {
      client_id: PUBLIC_CLIENT_ID,
      scope: "openid profile offline_access User.Read",
    });
  const poll = (deviceCode: string) =>
    token(idp, { grant_type: DEVICE_GRANT, client_id: PUBLIC_CLIENT_ID, device_code: deviceCode });
  const lab = (path: string, body: unknown) =>
    idp.fetch(path, { method: "POST", body: JSON.stringify(body) });

  await t.step("/authorize takes MSAL's select_account and offline_access", async () => {
    const url = new URL(`${idp.authority}/oauth2/v2.0/authorize`);
    url.search = new URLSearchParams({
      client_id: PUBLIC_CLIENT_ID,
      response_type: "code",
      redirect_uri: "http://localhost:50123",
      scope: "openid profile offline_access User.Read",
      prompt: "select_account",
      state: "s",
      code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
      code_challenge_method: "S256",
    }).toString();
    const res = await idp.fetch(url, { redirect: "manual" });
    await res.body?.cancel();
    assert.equal(res.status, 303);
    // To the tenant-prefixed interaction (not back to the client with an error).
    assert.match(res.headers.get("location")!, new RegExp(`^/${TENANT_ID}/interaction/`));
  });

  await t.step(
    "approve: tokens with a refresh token and an ID token naming the tenant",
    async () => {
      const code = await devicecode();
      assert.equal(code.status, 200);
      const approved = await lab("/__lab/device/approve", {
        user_code: code.body.user_code,
        account: "erin",
      });
      assert.equal(approved.status, 200, await approved.text());
      const a = await poll(code.body.device_code as string);
      assert.equal(a.status, 200, JSON.stringify(a.body));
      assert.ok(a.body.refresh_token);
      const id = decodeJwt(a.body.id_token as string).payload;
      assert.equal(id.tid, TENANT_ID);
      assert.equal(id.sub, "erin");
      assert.match(id.oid, /^[0-9a-f-]{36}$/);
      assert.equal(decodeJwt(a.body.access_token as string).payload.scp, "User.Read");
    },
  );

  await t.step("polling sooner than the interval: slow_down", async () => {
    const code = await devicecode(); // interval 5 s; this poll comes at once
    assertEntraError(await poll(code.body.device_code as string), 400, "slow_down", 70016);
    assert.equal((await idp.stats()).device.slowDowns, 1);
  });

  await t.step("deny: authorization_declined", async () => {
    const code = await devicecode();
    const denied = await lab("/__lab/device/deny", { user_code: code.body.user_code });
    assert.equal(denied.status, 200, await denied.text());
    const a = await poll(code.body.device_code as string);
    assert.equal(a.body.error, "authorization_declined");
    assert.equal(a.status, 400);
  });

  await t.step("after the code's life: expired_token", async () => {
    const code = await devicecode();
    await new Promise((r) => setTimeout(r, 2_300));
    assertEntraError(await poll(code.body.device_code as string), 400, "expired_token", 70019);
  });

  await t.step("an unknown user code is a 400 from the lab endpoint", async () => {
    const res = await lab("/__lab/device/approve", { user_code: "NOPE-NOPE" });
    assert.equal(res.status, 400);
    assert.match((await res.json()).error, /no device code/);
  });
});
