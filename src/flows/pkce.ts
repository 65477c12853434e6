/**
 * PKCE (S256, always) and the `state` value of one browser sign-in, drawn from
 * the injected randomness so tests can predict them.
 * @see https://www.rfc-editor.org/rfc/rfc7636
 */
import * as oauth from "oauth4webapi";
import type { Random } from "../deps.ts";

/** The secrets of one authorization request. */
export interface SignInSecrets {
  /** Sent only to the token endpoint, proving we started the sign-in. */
  codeVerifier: string;
  /** `BASE64URL(SHA256(codeVerifier))`, sent in the browser URL. */
  codeChallenge: string;
  /** Echoed back on the redirect; anything else reaching the listener is ignored. */
  state: string;
}

/** Base64url without padding (RFC 7636 appendix A). */
export function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** 32 random bytes give a 43-character verifier, the minimum length and 256 bits. */
export async function createSignInSecrets(random: Random): Promise<SignInSecrets> {
  const codeVerifier = base64url(random.bytes(32));
  return {
    codeVerifier,
    codeChallenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    state: base64url(random.bytes(16)),
  };
}
