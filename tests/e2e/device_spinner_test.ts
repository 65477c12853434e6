/**
 * DeviceCode in a real terminal: the code is shown, a spinner counts the time left
 * down on one line, and it is gone once the person has signed in.
 */
import assert from "node:assert/strict";
import { TerminalRun } from "../helpers/tmux.ts";
import { startLab } from "./lab.ts";

const CODE = /enter the code (\S+) to authenticate/;

Deno.test("device code on a terminal: a countdown spinner, then the token", async () => {
  await using lab = await startLab({ env: { IDP_DEVICE_INTERVAL: "1" } });
  const created = await lab.createPublicProfile("tty", ["--flow", "DeviceCode"]);
  assert.equal(created.code, 0, created.stderr);
  // NO_COLOR set but empty means colour (and spinners) stay on, as no-color.org says.
  await using term = await TerminalRun.start(["get-token", "-p", "tty"], {
    ...lab.env,
    NO_COLOR: "",
  });
  const shown = await term.waitFor(/left \(Ctrl-C to cancel\)/);
  assert.match(shown, /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Waiting for authentication\.\.\. \d+:\d\d left/);
  const first = /(\d+):(\d\d) left/.exec(shown)!;
  // The terminal wraps long lines wherever the width ends, even inside a word.
  const [, userCode] = CODE.exec(shown.replaceAll("\n", ""))!;
  // The countdown moves.
  await term.waitFor((s) => {
    const now = /(\d+):(\d\d) left/.exec(s);
    return now !== null &&
      Number(now[1]) * 60 + Number(now[2]) < Number(first[1]) * 60 + Number(first[2]);
  });
  const res = await lab.idp.fetch("/__lab/device/approve", {
    method: "POST",
    body: JSON.stringify({ user_code: userCode }),
  });
  assert.equal(res.status, 200, await res.text());
  assert.equal(await term.exitCode(), 0, await term.screen());
  const screen = await term.screen();
  assert.ok(!/left \(Ctrl-C to cancel\)/.test(screen), `the spinner line is cleared:\n${screen}`);
  assert.match(await Deno.readTextFile(term.stdoutFile()), /^[\w-]+\.[\w-]+\.[\w-]+\n$/);
});
