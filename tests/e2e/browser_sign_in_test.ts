/**
 * User sign-in through real headless Chromium (Debian's, driven by playwright-core) acting
 * as the `BROWSER` the CLI launches: the IdP's own login and consent pages, the loopback
 * redirect, and the device-code pages. Needs /usr/bin/chromium; under
 * ENTRA_AUTH_CLI_REQUIRE_ALL=1 a missing Chromium fails the test instead of skipping it.
 */
import assert from "node:assert/strict";
import {
  PUBLIC_CLIENT_ID,
  TENANT_ID,
  WEB_APP_CLIENT_ID,
  WEB_APP_CLIENT_SECRET,
} from "../idp/clients.ts";
import {
  deviceSignInWithChromium,
  requireChromium,
  spawnCli,
  withoutChromium,
  writeBrowserShim,
} from "../helpers/sign_in_lab.ts";
import { claimsOf, startLab } from "./lab.ts";

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

Deno.test({
  name: "user sign-in through real Chromium: login and consent pages, loopback, device pages",
  ignore: withoutChromium,
}, async (t) => {
  requireChromium();
  await using lab = await startLab({ env: { IDP_DEVICE_INTERVAL: "1" } });
  const chromium = await writeBrowserShim(lab.env.HOME, { account: "alice" });
  const created = await lab.createPublicProfile("me");
  assert.equal(created.code, 0, created.stderr);

  await t.step("InteractiveBrowser: signs in as alice, refresh token kept", async () => {
    await lab.idp.reset();
    const r = await lab.cli(["get-token", "-p", "me", "-f", "InteractiveBrowser", "--json"], {
      env: { BROWSER: chromium },
    });
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.flow, "InteractiveBrowser");
    assert.equal(doc.fromCache, false);
    const claims = claimsOf(doc.access_token);
    assert.equal(claims.preferred_username, "alice@contoso.example");
    assert.equal(claims.aud, "https://graph.microsoft.com");
    assert.equal(claims.appid, PUBLIC_CLIENT_ID);
    assert.match(r.stderr, /✓ Authentication successful\n(.*\n)?✓ Token acquired successfully\n/);
    // The refresh token came back (offline_access) and is used instead of a new sign-in.
    const again = await lab.cli(["refresh", "-p", "me"]);
    assert.equal(again.code, 0, again.stderr);
    const stats = await lab.idp.stats();
    assert.equal(stats.authorize, 1);
    assert.deepEqual(stats.token, { authorization_code: 1, refresh_token: 1 });
  });

  await t.step(
    "forged redirects (wrong or no state) are refused; the real one completes",
    async () => {
      const forging = await writeBrowserShim(lab.env.HOME, { forgeState: true });
      const r = await lab.cli(["get-token", "-p", "me", "-f", "browser", "--force"], {
        env: { BROWSER: forging },
      });
      assert.equal(r.code, 0, r.stderr);
      assert.match(
        r.stderr,
        /\[browser-shim\] forged redirect \?code=forged&state=\S+ answered 400/,
      );
      assert.match(r.stderr, /Ignored a request to the sign-in listener: The state parameter does/);
      assert.match(r.stderr, /Ignored a request to the sign-in listener: The request carries no/);
      assert.match(r.stdout, /^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    },
  );

  await t.step("--port-range and --show-url: the redirect port is in the range", async () => {
    const from = freePort();
    const r = await lab.cli(
      ["get-token", "-p", "me", "-f", "interactive", "--force", "--show-url", "--port-range"]
        .concat(
          `${from}-${from + 3}`,
        ),
      { env: { BROWSER: chromium } },
    );
    assert.equal(r.code, 0, r.stderr);
    const url = new URL(r.stderr.match(/Sign-in URL:\n {2}(\S+)/)![1]);
    const port = Number(new URL(url.searchParams.get("redirect_uri")!).port);
    assert.ok(port >= from && port <= from + 3, `port ${port}`);
    assert.equal(url.searchParams.get("code_challenge_method"), "S256");
  });

  await t.step("consent refused in the browser: exit 4 with Entra's access_denied", async () => {
    const cancel = await writeBrowserShim(lab.env.HOME, { cancel: true });
    const r = await lab.cli(["get-token", "-p", "me", "-f", "browser", "--force"], {
      env: { BROWSER: cancel },
    });
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /✗ Entra rejected the request: .*aborted/i);
    assert.equal(r.stdout, "");
  });

  await t.step("AuthorizationCode: web app with a secret on its fixed redirect URI", async () => {
    await lab.idp.reset();
    const redirect = `http://localhost:${freePort()}/callback`;
    const web = await lab.cli([
      "create-profile",
      "--name",
      "webapp",
      "--tenant-id",
      TENANT_ID,
      "--client-id",
      WEB_APP_CLIENT_ID,
      "--client-secret-stdin",
      "--redirect-uri",
      redirect,
    ], { stdin: WEB_APP_CLIENT_SECRET });
    assert.equal(web.code, 0, web.stderr);
    const r = await lab.cli(["get-token", "-p", "webapp", "-f", "AuthorizationCode", "--json"], {
      env: { BROWSER: chromium },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stderr.includes(`Redirect URI: ${redirect}\n`));
    assert.match(r.stderr, /✓ Authorization code received/);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.flow, "AuthorizationCode");
    assert.equal(claimsOf(doc.access_token).appid, WEB_APP_CLIENT_ID);
    assert.equal(claimsOf(doc.access_token).preferred_username, "alice@contoso.example");
    assert.deepEqual((await lab.idp.stats()).token, { authorization_code: 1 });
  });

  await t.step("DeviceCode: the code typed into the device page in Chromium", async () => {
    const cli = spawnCli(["get-token", "-p", "me", "-f", "DeviceCode", "--force", "--json"], {
      ...lab.env,
    });
    const [, uri, code] = await cli.waitForStderr(
      /open the page (\S+) and enter the code (\S+) to authenticate/,
    );
    const person = await deviceSignInWithChromium(uri, code, lab.env);
    assert.equal(person.code, 0, person.stderr);
    assert.match(person.stderr, /Sign-in Success/);
    const r = await cli.result;
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.flow, "DeviceCode");
    assert.equal(claimsOf(doc.access_token).preferred_username, "alice@contoso.example");
  });
});
