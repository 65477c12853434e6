import assert from "node:assert/strict";
import { decodeJwt, extractToken } from "../../src/token/jwt.ts";
import { TokenInvalidError } from "../../src/errors.ts";
import { fakeJwt } from "../helpers/fake_deps.ts";

Deno.test("decodeJwt reads header and claims", () => {
  const d = decodeJwt(fakeJwt({ aud: "x", exp: 1 }, { kid: "k" }));
  assert.equal(d.claims.aud, "x");
  assert.equal(d.header.kid, "k");
});

Deno.test("decodeJwt refuses garbage with exit-6 errors", async (t) => {
  for (const bad of ["", "abc", "a.b", "a.b.c.d.e", "!!.??.x", `${btoa("[1]")}.${btoa("[2]")}.x`]) {
    await t.step(JSON.stringify(bad), () => {
      assert.throws(
        () => decodeJwt(bad),
        (e) => e instanceof TokenInvalidError && e.code === "TOKEN_NOT_JWT",
      );
    });
  }
});

Deno.test("extractToken accepts our own output formats", () => {
  const t = fakeJwt({ a: 1 });
  for (
    const text of [
      `${t}\n`,
      `Bearer ${t}`,
      `Authorization: Bearer ${t}\n`,
      `export ACCESS_TOKEN='${t}'\n`,
      JSON.stringify({ access_token: t }),
      JSON.stringify({ accessToken: t }),
    ]
  ) {
    assert.equal(extractToken(text), t);
  }
});
