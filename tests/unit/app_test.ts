import assert from "node:assert/strict";
import { run } from "../../src/app.ts";
import { fakeDeps, fakeJwt } from "../helpers/fake_deps.ts";

Deno.test("usage errors exit 2 with one ✗ line and a suggestion", async (t) => {
  for (
    const [argv, pattern] of [
      [["get-tokn"], /Did you mean get-token/],
      [["get-token", "--frce"], /Did you mean --force/],
      [["get-token", "-f", "nope"], /unknown flow 'nope'/],
      [["get-token", "--min-validity", "soon"], /invalid duration/],
      [["config", "show"], /required option/],
    ] as [string[], RegExp][]
  ) {
    await t.step(argv.join(" "), async () => {
      const deps = fakeDeps();
      assert.equal(await run(argv, deps), 2);
      assert.match(deps.err(), pattern);
      assert.match(deps.err(), /^✗ /);
      assert.equal(deps.out(), "");
    });
  }
});

Deno.test("--help and --version print on stdout and exit 0", async () => {
  for (
    const argv of [["--help"], ["get-token", "--help"], ["--version"], ["config", "--help"], [
      "get-token",
      "--version",
    ], ["config", "list", "-V"]]
  ) {
    const deps = fakeDeps();
    assert.equal(await run(argv, deps), 0, argv.join(" "));
    assert.ok(deps.out().length > 0);
  }
  const deps = fakeDeps();
  await run(["get-token", "--help"], deps);
  assert.match(deps.out(), /Examples:/);
});

Deno.test("help lists only commands that work", async () => {
  const deps = fakeDeps();
  await run(["--help"], deps);
  for (
    const cmd of ["get-token", "inspect", "discover", "create-profile", "delete-profile", "config"]
  ) {
    assert.match(deps.out(), new RegExp(`\\b${cmd}\\b`));
  }
});

Deno.test("inspect prints claims on stdout and a summary on stderr", async () => {
  const deps = fakeDeps();
  const now = deps.clock.now() / 1000;
  const token = fakeJwt({ aud: "https://graph.microsoft.com", exp: now + 3600, roles: ["A"] });
  assert.equal(await run(["inspect", token], deps), 0);
  assert.equal(JSON.parse(deps.out()).aud, "https://graph.microsoft.com");
  assert.match(deps.err(), /Audience:\s+https:\/\/graph/);
});

Deno.test("inspect reads stdin and exits 6 for expired or garbage tokens", async () => {
  const expired = fakeDeps({ stdin: fakeJwt({ exp: 1 }) + "\n" });
  assert.equal(await run(["inspect"], expired), 6);
  assert.match(expired.err(), /expired/);
  const garbage = fakeDeps({ stdin: "hello" });
  assert.equal(await run(["inspect", "-"], garbage), 6);
  assert.equal(garbage.out(), "");
});

Deno.test("discover: exit 0 valid, 6 expired or too short, 2 missing file", async () => {
  const deps = fakeDeps();
  const now = deps.clock.now() / 1000;
  assert.equal(await run(["discover", "-t", fakeJwt({ exp: now + 600 })], deps), 0);
  assert.equal(await run(["discover", "-t", fakeJwt({ exp: now - 1 })], fakeDeps()), 6);
  const short = fakeDeps();
  assert.equal(
    await run([
      "discover",
      "-t",
      fakeJwt({ exp: short.clock.now() / 1000 + 60 }),
      "--min-validity",
      "5m",
    ], short),
    6,
  );
  assert.equal(await run(["discover", "-f", "/nonexistent/token.txt"], fakeDeps()), 2);
});

Deno.test("discover --json reports validity on stdout", async () => {
  const deps = fakeDeps();
  await run(
    ["discover", "--json", "-t", fakeJwt({ exp: deps.clock.now() / 1000 + 600, aud: "a" })],
    deps,
  );
  const doc = JSON.parse(deps.out());
  assert.equal(doc.valid, true);
  assert.equal(doc.expiresInSeconds, 600);
});

Deno.test("unexpected errors exit 1 without a stack unless --verbose", async () => {
  const quiet = fakeDeps();
  quiet.paths.configHome = () => {
    throw new RangeError("kaput");
  };
  assert.equal(await run(["config", "list"], quiet), 1);
  assert.match(quiet.err(), /^✗ unexpected error: kaput/);
  assert.ok(!quiet.err().includes("    at "));
  const loud = fakeDeps();
  loud.paths.configHome = quiet.paths.configHome;
  assert.equal(await run(["get-token", "-p", "x", "--verbose"], loud), 1);
  assert.ok(loud.err().includes("    at "));
});
