import assert from "node:assert/strict";
import {
  browserFromEnv,
  browserLaunchers,
  createBrowserOpener,
  hasDisplay,
  type LaunchContext,
} from "../../src/platform/browser.ts";
import { FakeCommandRunner } from "../helpers/fake_runner.ts";

const URL_ = "https://login.example/t/oauth2/v2.0/authorize?client_id=a&scope=openid+x&state=s";
const ctx = (
  o: Partial<LaunchContext> & { vars?: Record<string, string> } = {},
): LaunchContext => ({
  os: o.os ?? "linux",
  wsl: o.wsl ?? false,
  env: { get: (name) => o.vars?.[name] },
});

Deno.test("browser launchers per OS (argv only)", async (t) => {
  await t.step("Linux: xdg-open", () => {
    assert.deepEqual(browserLaunchers(URL_, ctx()), [{ cmd: "xdg-open", args: [URL_] }]);
  });
  await t.step("macOS: open", () => {
    assert.deepEqual(browserLaunchers(URL_, ctx({ os: "darwin" })), [
      { cmd: "open", args: [URL_] },
    ]);
  });
  await t.step("Windows: cmd /c start with & escaped and an empty title", () => {
    const [l] = browserLaunchers(URL_, ctx({ os: "windows" }));
    assert.equal(l.cmd, "cmd");
    assert.deepEqual(l.args.slice(0, 3), ["/c", "start", ""]);
    assert.equal(l.args[3], URL_.replaceAll("&", "^&"));
  });
  await t.step("WSL: wslview, then cmd.exe, then powershell.exe", () => {
    const ls = browserLaunchers("https://x/?a=1&b='2'", ctx({ wsl: true }));
    assert.deepEqual(ls.map((l) => l.cmd), ["wslview", "cmd.exe", "powershell.exe"]);
    assert.deepEqual(ls[0].args, ["https://x/?a=1&b='2'"]);
    assert.deepEqual(ls[1].args, ["/c", "start", "", "https://x/?a=1^&b='2'"]);
    assert.equal(ls[2].args.at(-1), "Start-Process 'https://x/?a=1&b=''2'''");
  });
  await t.step("BROWSER wins everywhere; its arguments are kept, the URL appended", () => {
    for (const os of ["linux", "darwin", "windows"] as const) {
      assert.deepEqual(
        browserLaunchers(URL_, ctx({ os, wsl: os === "linux", vars: { BROWSER: "firefox -P x" } })),
        [{ cmd: "firefox", args: ["-P", "x", URL_] }],
      );
    }
  });
  await t.step("BROWSER: quotes and %s", () => {
    assert.deepEqual(browserFromEnv(`"/Applications/My Browser.app/x" --new`, "U"), {
      cmd: "/Applications/My Browser.app/x",
      args: ["--new", "U"],
    });
    assert.deepEqual(browserFromEnv("open -a Safari %s --bg", "U"), {
      cmd: "open",
      args: ["-a", "Safari", "U", "--bg"],
    });
  });
});

Deno.test("display detection for the headless fallback", () => {
  assert.equal(hasDisplay(ctx()), false);
  assert.equal(hasDisplay(ctx({ vars: { DISPLAY: ":0" } })), true);
  assert.equal(hasDisplay(ctx({ vars: { WAYLAND_DISPLAY: "wayland-0" } })), true);
  assert.equal(hasDisplay(ctx({ vars: { BROWSER: "w3m" } })), true);
  assert.equal(hasDisplay(ctx({ vars: { DISPLAY: " " } })), false);
  assert.equal(hasDisplay(ctx({ wsl: true })), true);
  assert.equal(hasDisplay(ctx({ os: "darwin" })), true);
  assert.equal(hasDisplay(ctx({ os: "windows" })), true);
  assert.equal(hasDisplay(ctx({ os: "freebsd" })), false);
});

Deno.test("the opener runs launchers through the runner", async (t) => {
  const make = (
    runner: FakeCommandRunner,
    o: Partial<LaunchContext> & { vars?: Record<string, string> } = {},
  ) => {
    let stderr = "";
    const c = ctx(o);
    return {
      opener: createBrowserOpener({
        runner,
        env: c.env,
        os: c.os,
        wsl: () => Promise.resolve(c.wsl),
        stderr: { write: (s) => void (stderr += s) },
      }),
      stderr: () => stderr,
    };
  };
  await t.step("WSL without wslview falls through to cmd.exe", async () => {
    const runner = new FakeCommandRunner().respond({ notFound: true }, {});
    const { opener } = make(runner, { wsl: true });
    await opener.open(URL_);
    assert.deepEqual(runner.calls.map((c) => c.cmd), ["wslview", "cmd.exe"]);
  });
  await t.step("a failing launcher rejects; its output went to stderr", async () => {
    const runner = new FakeCommandRunner().respond({
      code: 3,
      stdout: "xdg-open: no method available\n",
      stderr: "warning\n",
    });
    const { opener, stderr } = make(runner);
    await assert.rejects(opener.open(URL_), /xdg-open exited with code 3/);
    assert.equal(stderr(), "xdg-open: no method available\nwarning\n");
  });
  await t.step("nothing installed at all", async () => {
    const runner = new FakeCommandRunner().respond({ notFound: true });
    const { opener } = make(runner);
    await assert.rejects(opener.open(URL_), /xdg-open is not installed/);
  });
  await t.step("canOpen follows the display rules", async () => {
    assert.equal(await make(new FakeCommandRunner()).opener.canOpen(), false);
    const withDisplay = make(new FakeCommandRunner(), { vars: { DISPLAY: ":1" } }).opener;
    assert.equal(await withDisplay.canOpen(), true);
  });
});
