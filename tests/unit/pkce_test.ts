import assert from "node:assert/strict";
import { base64url, createSignInSecrets } from "../../src/flows/pkce.ts";

Deno.test("PKCE S256 and state come from the injected randomness", async () => {
  let calls = 0;
  const random = {
    bytes: (n: number) => new Uint8Array(n).fill(++calls),
    uuid: () => "",
  };
  const s = await createSignInSecrets(random);
  assert.equal(s.codeVerifier, base64url(new Uint8Array(32).fill(1)));
  assert.equal(s.codeVerifier.length, 43); // RFC 7636: 43..128 characters
  assert.match(s.codeVerifier, /^[A-Za-z0-9_-]+$/);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(s.codeVerifier));
  assert.equal(s.codeChallenge, base64url(new Uint8Array(digest)));
  assert.equal(s.state, base64url(new Uint8Array(16).fill(2)));
  assert.notEqual(s.state, s.codeVerifier);
});

Deno.test("base64url has no padding and uses the URL alphabet", () => {
  assert.equal(base64url(new Uint8Array([0xfb, 0xff])), "-_8");
  assert.equal(base64url(new Uint8Array([])), "");
});
