import assert from "node:assert/strict";
import {
  parseOutputTarget,
  renderToken,
  tokenDocument,
  type TokenOutput,
} from "../../src/output/format.ts";
import { parseDuration } from "../../src/cli/durations.ts";
import { UsageError } from "../../src/errors.ts";

const out: TokenOutput = {
  token: {
    accessToken: "a.b.c",
    tokenType: "Bearer",
    expiresAt: Date.UTC(2026, 0, 1, 12),
    scopes: ["s/.default"],
  },
  tenant: "t",
  profile: "p",
  flow: "ClientCredentials",
  fromCache: false,
};

Deno.test("the JSON document has both spellings and every key", () => {
  const doc = tokenDocument(out);
  assert.deepEqual(doc, {
    accessToken: "a.b.c",
    access_token: "a.b.c",
    tokenType: "Bearer",
    token_type: "Bearer",
    expiresOn: "2026-01-01T12:00:00Z",
    expires_on: Date.UTC(2026, 0, 1, 12) / 1000,
    scopes: ["s/.default"],
    tenant: "t",
    profile: "p",
    flow: "ClientCredentials",
    fromCache: false,
  });
});

Deno.test("renderToken formats", () => {
  assert.equal(renderToken(out, "token"), "a.b.c\n");
  assert.equal(renderToken(out, "env"), "export ACCESS_TOKEN='a.b.c'\n");
  assert.equal(renderToken(out, "header"), "Authorization: Bearer a.b.c\n");
  assert.equal(JSON.parse(renderToken(out, "json")).access_token, "a.b.c");
});

Deno.test("parseOutputTarget: names are formats, anything else a file", () => {
  assert.deepEqual(parseOutputTarget(undefined, false), { format: "token" });
  assert.deepEqual(parseOutputTarget(undefined, true), { format: "json" });
  assert.deepEqual(parseOutputTarget("header", false), { format: "header" });
  assert.deepEqual(parseOutputTarget("./json", false), { file: "./json", format: "token" });
  assert.deepEqual(parseOutputTarget("t.json", true), { file: "t.json", format: "json" });
});

Deno.test("parseDuration", () => {
  assert.equal(parseDuration("5m", "x"), 300_000);
  assert.equal(parseDuration("1h30m", "x"), 5_400_000);
  assert.equal(parseDuration("90", "x"), 90_000);
  assert.equal(parseDuration("250ms", "x"), 250);
  for (const bad of ["", "5 minutes", "m5", "-1s", "5mx"]) {
    assert.throws(() => parseDuration(bad, "x"), UsageError, bad);
  }
});
