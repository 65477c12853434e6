import assert from "node:assert/strict";
import { aadstsCode, entraError } from "../../src/entra/errors.ts";
import { exitCodeFor } from "../../src/errors.ts";

const body = (error: string, code: number) => ({
  error,
  error_description: `AADSTS${code}: Something.\r\nTrace ID: t-1\r\nCorrelation ID: c-1`,
  error_codes: [code],
  trace_id: "t-1",
  correlation_id: "c-1",
});

Deno.test("exit classes follow error and error_codes", async (t) => {
  const cases: [string, number, number, number][] = [
    ["invalid_client", 7000215, 401, 3],
    ["unauthorized_client", 700016, 400, 3],
    ["invalid_request", 90002, 400, 3],
    ["invalid_scope", 70011, 400, 3],
    ["invalid_grant", 50076, 400, 4],
    ["invalid_grant", 700082, 400, 4],
    ["interaction_required", 53003, 400, 4],
    ["authorization_declined", 70019, 400, 4],
    ["temporarily_unavailable", 90055, 503, 5],
  ];
  for (const [error, code, status, exit] of cases) {
    await t.step(`${error} ${code}`, () => {
      assert.equal(exitCodeFor(entraError(body(error, code), status)), exit);
    });
  }
});

Deno.test("message carries the AADSTS code, hints the ids and a plain hint", () => {
  const err = entraError(body("invalid_client", 7000215), 401);
  assert.equal(err.code, "ENTRA_INVALID_CLIENT");
  assert.match(err.message, /AADSTS7000215/);
  assert.ok(!err.message.includes("\n"));
  assert.ok(err.hints.some((h) => h.includes("t-1") && h.includes("c-1")));
  assert.ok(err.hints.some((h) => /secret/i.test(h)));
});

Deno.test("aadstsCode falls back to the description prefix", () => {
  assert.equal(aadstsCode({ error: "x", error_description: "AADSTS50011: redirect" }), 50011);
  assert.equal(aadstsCode({ error: "x" }), undefined);
});
