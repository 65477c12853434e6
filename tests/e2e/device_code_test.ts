/**
 * Device-code polling against the lab IdP's rules: it answers `slow_down` to a poll that
 * comes sooner than it wants (here: it announces 1 s but wants 3 s), and `expired_token`
 * once the code's life is over. Two IdPs, started and used side by side.
 */
import assert from "node:assert/strict";
import { spawnCli } from "../helpers/sign_in_lab.ts";
import { type Lab, startLab } from "./lab.ts";

const CODE = /enter the code (\S+) to authenticate/;

async function publicProfile(lab: Lab): Promise<void> {
  const r = await lab.createPublicProfile("device", ["--flow", "DeviceCode"]);
  assert.equal(r.code, 0, r.stderr);
}

/** slow_down: the CLI waits 5 s more, once, and the IdP sees it. */
async function slowDown(lab: Lab): Promise<void> {
  await publicProfile(lab);
  // The profile's default flow counts as chosen: no terminal is needed to wait.
  const cli = spawnCli(["get-token", "-p", "device", "--json"], lab.env);
  const [, userCode] = await cli.waitForStderr(CODE);
  // Approve only after the early poll was told to slow down.
  for (let i = 0; i < 100 && (await lab.idp.stats()).device.slowDowns === 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const approve = await lab.idp.fetch("/__lab/device/approve", {
    method: "POST",
    body: JSON.stringify({ user_code: userCode }),
  });
  assert.equal(approve.status, 200, await approve.text());
  const r = await cli.result;
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).flow, "DeviceCode");
  const { device, token } = await lab.idp.stats();
  assert.equal(device.slowDowns, 1);
  assert.equal(token["urn:ietf:params:oauth:grant-type:device_code"], 2);
  const [first, second] = device.pollGapsMs;
  assert.ok(first >= 900 && first < 2_900, `first poll after ${first} ms (interval 1 s)`);
  assert.ok(second >= 5_900 && second < 8_000, `second poll after ${second} ms (1 s + 5 s)`);
}

/** Nobody signs in: the CLI stops when the code expires, exit 4. */
async function expires(lab: Lab): Promise<void> {
  await publicProfile(lab);
  const started = performance.now();
  const r = await lab.cli(["get-token", "-p", "device"]);
  const took = performance.now() - started;
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, CODE);
  assert.match(r.stderr, /✗ .*(expired|Verification code expired)/);
  assert.match(r.stderr, /Request a new code: run the command again/);
  assert.ok(took >= 3_000 && took < 15_000, `took ${took} ms`);
  const polls = (await lab.idp.stats()).token["urn:ietf:params:oauth:grant-type:device_code"];
  assert.ok(polls >= 2 && polls <= 4, `${polls} polls in 3 s at 1 s`);
}

Deno.test("device code: slow_down adds 5 s; an expired code is exit 4", async () => {
  const [slow, short] = await Promise.all([
    startLab({ env: { IDP_DEVICE_INTERVAL: "1", IDP_DEVICE_ENFORCED_INTERVAL: "3" } }),
    startLab({ env: { IDP_DEVICE_INTERVAL: "1", IDP_DEVICE_TTL: "3" } }),
  ]);
  try {
    await Promise.all([slowDown(slow), expires(short)]);
  } finally {
    await Promise.all([slow.close(), short.close()]);
  }
});
