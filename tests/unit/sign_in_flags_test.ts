import assert from "node:assert/strict";
import { parsePort, parsePortRange, parseSignInFlags } from "../../src/cli/sign_in_flags.ts";
import { CliError } from "../../src/errors.ts";
import { candidatePorts, DEFAULT_PORT_RANGE, describePorts } from "../../src/flows/ports.ts";

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof CliError ? err.code : "not a CliError";
  }
  return "no error";
};

Deno.test("--port and --port-range parsing", async (t) => {
  await t.step("ports", () => {
    assert.equal(parsePort("8080"), 8080);
    assert.equal(parsePort(" 1 "), 1);
    assert.equal(parsePort("65535"), 65535);
    for (const bad of ["0", "65536", "-1", "80a", "", "8.5", "123456"]) {
      assert.equal(code(() => parsePort(bad)), "PORT_INVALID", bad);
    }
  });
  await t.step("ranges", () => {
    assert.deepEqual(parsePortRange("8000-8100"), { from: 8000, to: 8100 });
    assert.deepEqual(parsePortRange(" 9000 - 9000 "), { from: 9000, to: 9000 });
    assert.deepEqual(parsePortRange("7000"), { from: 7000, to: 7000 });
    assert.equal(code(() => parsePortRange("8100-8000")), "PORT_RANGE_INVALID");
    assert.equal(code(() => parsePortRange("a-b")), "PORT_RANGE_INVALID");
    assert.equal(code(() => parsePortRange("1-2-3")), "PORT_RANGE_INVALID");
    assert.equal(code(() => parsePortRange("0-10")), "PORT_INVALID");
  });
  await t.step("the flag set", () => {
    assert.deepEqual(parseSignInFlags({}), {});
    assert.deepEqual(
      parseSignInFlags({ port: "8081", showUrl: true, browser: false, timeout: "2s" }),
      { port: 8081, showUrl: true, openBrowser: false, timeoutMs: 2000 },
    );
    assert.deepEqual(parseSignInFlags({ browser: true, redirectUri: " http://localhost:9 " }), {
      redirectUri: "http://localhost:9",
    });
    assert.equal(code(() => parseSignInFlags({ port: "1", portRange: "1-2" })), "PORT_CONFLICT");
    assert.equal(code(() => parseSignInFlags({ timeout: "0s" })), "DURATION_INVALID");
    assert.equal(code(() => parseSignInFlags({ timeout: "soon" })), "DURATION_INVALID");
  });
});

Deno.test("candidate ports", async (t) => {
  const random = (value: number) => ({
    bytes: (n: number) => new Uint8Array(n).map((_, i) => (value >>> (8 * (n - 1 - i))) & 0xff),
    uuid: () => "",
  });
  await t.step("a fixed port is the only candidate", () => {
    assert.deepEqual(candidatePorts({ port: 8080 }, random(0)), [8080]);
    assert.equal(describePorts({ port: 8080 }), "port 8080");
  });
  await t.step("a range is walked from a random start, wrapping", () => {
    assert.deepEqual(candidatePorts({ portRange: { from: 10, to: 14 } }, random(3)), [
      13,
      14,
      10,
      11,
      12,
    ]);
    assert.equal(describePorts({ portRange: { from: 10, to: 14 } }), "ports 10-14");
  });
  await t.step("the default: 64 tries inside 49152-65535", () => {
    for (const seed of [0, 1, 16383, 0xffffffff, 123456789]) {
      const ports = candidatePorts({}, random(seed));
      assert.equal(ports.length, 64);
      assert.equal(new Set(ports).size, 64);
      assert.ok(ports.every((p) => p >= DEFAULT_PORT_RANGE.from && p <= DEFAULT_PORT_RANGE.to));
    }
  });
});
