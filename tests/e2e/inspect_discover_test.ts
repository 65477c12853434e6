/** inspect and discover on real IdP tokens, through every input route. */
import assert from "node:assert/strict";
import { startLab } from "./lab.ts";

Deno.test("inspect and discover on a real token", async (t) => {
  await using lab = await startLab({ accessTokenTtl: 120 });
  await lab.createSecretProfile("ci");
  const token = (await lab.cli(["get-token", "-p", "ci", "--silent"])).stdout.trim();
  const dir = lab.env.HOME;

  await t.step("inspect: argument, -t, stdin and -", async () => {
    for (
      const [args, stdin] of [
        [["inspect", token], undefined],
        [["inspect", "-t", token], undefined],
        [["inspect"], token + "\n"],
        [["inspect", "-"], token],
      ] as [string[], string | undefined][]
    ) {
      const r = await lab.cli(args, { stdin });
      assert.equal(r.code, 0, r.stderr);
      const claims = JSON.parse(r.stdout);
      assert.equal(claims.aud, "https://graph.microsoft.com");
      assert.match(r.stderr, /Audience:/);
      assert.match(r.stderr, /Expires:.*in \d+m/);
    }
  });

  await t.step("inspect --full shows the header", async () => {
    const r = await lab.cli(["inspect", "--full", token]);
    assert.equal(JSON.parse(r.stdout).header.alg, "RS256");
  });

  await t.step("inspect garbage → 6 and nothing on stdout", async () => {
    const r = await lab.cli(["inspect", "not-a-token"]);
    assert.equal(r.code, 6);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /^✗ the token is not a JWT/m);
  });

  await t.step("discover -f on files written by -o (token and json)", async () => {
    assert.equal((await lab.cli(["get-token", "-p", "ci", "-o", `${dir}/t.txt`])).code, 0);
    const ok = await lab.cli(["discover", "-f", `${dir}/t.txt`]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stderr, /✓ Token is valid for/);
    assert.equal(
      (await lab.cli(["get-token", "-p", "ci", "--json", "-o", `${dir}/t.json`])).code,
      0,
    );
    assert.equal((await lab.cli(["discover", "-f", `${dir}/t.json`])).code, 0);
  });

  await t.step("discover: -t, stdin, --min-validity beyond the lifetime → 6", async () => {
    assert.equal((await lab.cli(["discover", "-t", token])).code, 0);
    assert.equal((await lab.cli(["discover"], { stdin: token })).code, 0);
    const long = await lab.cli(["discover", "-t", token, "--min-validity", "10m"]);
    assert.equal(long.code, 6);
    assert.match(long.stderr, /--min-validity/);
  });

  await t.step("discover garbage and empty files → 6, missing file → 2", async () => {
    await Deno.writeTextFile(`${dir}/empty.txt`, "");
    assert.equal((await lab.cli(["discover", "-f", `${dir}/empty.txt`])).code, 6);
    assert.equal((await lab.cli(["discover", "-t", "a.b.c"])).code, 6);
    assert.equal((await lab.cli(["discover", "-f", `${dir}/absent.txt`])).code, 2);
  });
});

Deno.test("an expired token: inspect still prints claims but exits 6; discover exits 6", async () => {
  await using lab = await startLab({ accessTokenTtl: 1 });
  await lab.createSecretProfile("ci");
  const token = (await lab.cli(["get-token", "-p", "ci", "--silent"])).stdout.trim();
  await new Promise((r) => setTimeout(r, 1500));
  const i = await lab.cli(["inspect", token]);
  assert.equal(i.code, 6);
  assert.equal(JSON.parse(i.stdout).aud, "https://graph.microsoft.com");
  assert.match(i.stderr, /expired/);
  const d = await lab.cli(["discover", "-t", token]);
  assert.equal(d.code, 6);
  assert.match(d.stderr, /^✗ the token expired/m);
});
