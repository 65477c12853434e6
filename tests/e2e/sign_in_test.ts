/**
 * User sign-in end to end, fast lane: the IdP finishes login and consent by itself
 * (IDP_AUTO_LOGIN) and the `BROWSER` just follows redirects, or the device code is
 * approved through /__lab/device/*. Real Chromium runs in browser_sign_in_test.ts.
 */
import assert from "node:assert/strict";
import {
  PUBLIC_CLIENT_ID,
  TENANT_ID,
  WEB_APP_CLIENT_ID,
  WEB_APP_CLIENT_SECRET,
} from "../idp/clients.ts";
import { spawnCli, writeBrowserShim } from "../helpers/sign_in_lab.ts";
import { TerminalRun } from "../helpers/tmux.ts";
import { claimsOf, type Lab, sh, startLab } from "./lab.ts";

const CODE = /enter the code (\S+) to authenticate/;

async function post(lab: Lab, path: string, body: unknown): Promise<void> {
  const res = await lab.idp.fetch(path, { method: "POST", body: JSON.stringify(body) });
  assert.equal(res.status, 200, await res.text());
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

async function refused(port: number): Promise<boolean> {
  try {
    (await Deno.connect({ hostname: "127.0.0.1", port })).close();
    return false;
  } catch {
    return true;
  }
}

Deno.test("user sign-in (fast lane): browser redirects, device approval, policy", async (t) => {
  await using lab = await startLab({ env: { IDP_AUTO_LOGIN: "bob", IDP_DEVICE_INTERVAL: "1" } });
  const follow = await writeBrowserShim(lab.env.HOME, { driver: "fetch" });
  const idle = await writeBrowserShim(lab.env.HOME, { driver: "idle" });
  const profile = await lab.createPublicProfile("me");
  assert.equal(profile.code, 0, profile.stderr);

  await t.step("InteractiveBrowser: token, refresh token cached, JSON flow", async () => {
    await lab.idp.reset();
    const r = await lab.cli(["get-token", "-p", "me", "-f", "browser", "--json"], {
      env: { BROWSER: follow },
    });
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.flow, "InteractiveBrowser");
    assert.equal(claimsOf(doc.access_token).preferred_username, "bob@contoso.example");
    assert.match(r.stderr, /Opening browser for authentication\.\.\.\n/);
    const refresh = await lab.cli(["refresh", "-p", "me", "--json"]);
    assert.equal(refresh.code, 0, refresh.stderr);
    const stats = await lab.idp.stats();
    assert.equal(stats.authorize, 1);
    assert.deepEqual(stats.token, { authorization_code: 1, refresh_token: 1 });
  });

  await t.step("nobody at a terminal and the flow only inferred: exit 4, no request", async () => {
    await lab.idp.reset();
    const started = performance.now();
    const r = await lab.cli(["get-token", "-p", "me", "--force"], { env: { BROWSER: follow } });
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /^✗ signing in \(InteractiveBrowser\) needs a person/m);
    assert.match(r.stderr, /--flow InteractiveBrowser/);
    assert.ok(performance.now() - started < 10_000);
    const stats = await lab.idp.stats();
    assert.deepEqual([stats.authorize, stats.devicecode, stats.token], [0, 0, {}]);
  });

  await t.step("the same inferred flow at a terminal goes ahead", async () => {
    await using term = await TerminalRun.start(["get-token", "-p", "me", "--force"], {
      ...lab.env,
      BROWSER: follow,
    });
    assert.equal(await term.exitCode(), 0, await term.screen());
    assert.match(await term.screen(), /✓ Authentication successful/);
    assert.match(await Deno.readTextFile(term.stdoutFile()), /^[\w-]+\.[\w-]+\.[\w-]+\n$/);
  });

  await t.step("--timeout 2s with a browser nobody uses: exit 4", async () => {
    const started = performance.now();
    const args = ["get-token", "-p", "me", "-f", "interactive", "--force", "--timeout", "2s"];
    const r = await lab.cli(args, {
      env: { BROWSER: idle },
    });
    const took = performance.now() - started;
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /✗ nobody signed in within 2 s/);
    assert.ok(took >= 2_000 && took < 15_000, `took ${took} ms`);
  });

  await t.step("a fixed --port that is taken: exit 2 naming it", async () => {
    const busy = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (busy.addr as Deno.NetAddr).port;
    try {
      const args = ["get-token", "-p", "me", "-f", "interactive", "--force", "--port", `${port}`];
      const r = await lab.cli(args, { env: { BROWSER: follow } });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`✗ cannot listen on 127\\.0\\.0\\.1: port ${port} in use`));
    } finally {
      busy.close();
    }
  });

  await t.step("DeviceCode approved through /__lab/device/approve", async () => {
    await lab.idp.reset();
    const args = ["get-token", "-p", "me", "-f", "device-code", "--force", "--json"];
    const cli = spawnCli(args, lab.env);
    const [, userCode] = await cli.waitForStderr(CODE);
    await post(lab, "/__lab/device/approve", { user_code: userCode, account: "carol" });
    const r = await cli.result;
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /^Authenticating with profile 'me'\.\.\.\nTo sign in, use a web browser/,
    );
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.flow, "DeviceCode");
    assert.equal(claimsOf(doc.access_token).preferred_username, "carol@contoso.example");
    const stats = await lab.idp.stats();
    assert.equal(stats.devicecode, 1);
    assert.ok((stats.token["urn:ietf:params:oauth:grant-type:device_code"] ?? 0) >= 1);
  });

  await t.step("DeviceCode declined: exit 4, Entra's authorization_declined", async () => {
    const cli = spawnCli(["get-token", "-p", "me", "-f", "device", "--force", "--silent"], lab.env);
    const [, userCode] = await cli.waitForStderr(CODE);
    await post(lab, "/__lab/device/deny", { user_code: userCode });
    const r = await cli.result;
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /✗ Entra rejected the request: AADSTS\d+: The end user declined/);
    assert.equal(r.stdout, "");
  });

  await t.step("no display and no BROWSER: device code instead, said once", async () => {
    const cli = spawnCli(["get-token", "-p", "me", "-f", "interactive", "--force", "--json"], {
      ...lab.env,
      DISPLAY: "",
    });
    const [, userCode] = await cli.waitForStderr(CODE);
    await post(lab, "/__lab/device/approve", { user_code: userCode });
    const r = await cli.result;
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr.match(/No display detected/g)?.length, 1);
    assert.equal(JSON.parse(r.stdout).flow, "DeviceCode");
  });

  await t.step("Ctrl-C while waiting: exit 130 and the listener is gone", async () => {
    const port = freePort();
    const cli = spawnCli(
      [
        "get-token",
        "-p",
        "me",
        "-f",
        "interactive",
        "--force",
        "--no-browser",
        "--port",
        `${port}`,
      ],
      lab.env,
    );
    await cli.waitForStderr(/Open this URL in a browser to sign in:\n {2}https:\S+\n/);
    assert.equal(await refused(port), false);
    cli.kill("SIGINT");
    const r = await cli.result;
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, /✗ interrupted/);
    assert.equal(await refused(port), true);
  });

  await t.step("documented examples, as written", async () => {
    const r = await sh(
      lab,
      `set -euo pipefail
      TOKEN=$(entratool get-token --flow interactive \\
        --scope https://graph.microsoft.com/User.Read \\
        --output json | jq -r .access_token)
      test -n "$TOKEN"
      entratool get-token --flow interactive --port-range 8000-8100 --force > /dev/null
      entra-auth-cli get-token -p me -f InteractiveBrowser --force > /dev/null
      printf '%s' "$TOKEN"`,
      { BROWSER: follow, AZURE_TENANT_ID: TENANT_ID, AZURE_CLIENT_ID: PUBLIC_CLIENT_ID },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(claimsOf(r.stdout).scp as string, /\bUser\.Read\b/);
  });

  await t.step(
    "documented: get-token -p webapp -f AuthorizationCode (http://localhost:8080)",
    async () => {
      const web = await lab.cli([
        "create-profile",
        "--name",
        "webapp",
        "--tenant-id",
        TENANT_ID,
        "--client-id",
        WEB_APP_CLIENT_ID,
        "--client-secret-stdin",
      ], { stdin: WEB_APP_CLIENT_SECRET });
      assert.equal(web.code, 0, web.stderr);
      const free = await refused(8080);
      const r = await sh(lab, "entra-auth-cli get-token -p webapp -f AuthorizationCode", {
        BROWSER: follow,
      });
      if (free) {
        assert.equal(r.code, 0, r.stderr);
        // As the documentation shows it (the shim's own lines may come in between).
        assert.match(
          r.stderr,
          /Opening browser for authentication\.\.\.\nRedirect URI: http:\/\/localhost:8080\n/,
        );
        assert.match(
          r.stderr,
          /✓ Authorization code received\n(.*\n)?✓ Token acquired successfully/,
        );
        assert.equal(claimsOf(r.stdout.trim()).appid, WEB_APP_CLIENT_ID);
      } else { // something else holds 8080 on this machine: then the documented error
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, /✗ cannot listen on 127\.0\.0\.1: port 8080 in use/);
      }
    },
  );
});
