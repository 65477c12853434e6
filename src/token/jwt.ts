/** Decoding (never verifying) JWTs, and finding a token inside what users paste. */
import { TokenInvalidError } from "../errors.ts";

/** A decoded JWT. */
export interface DecodedJwt {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

/** Decodes header and claims; throws TokenInvalidError (exit 6) for anything else. */
export function decodeJwt(token: string): DecodedJwt {
  const parts = token.split(".");
  if (parts.length !== 3 || parts.some((p, i) => i < 2 && p.length === 0)) {
    throw notJwt(parts.length === 5 ? "it is an encrypted JWE, not a JWT" : undefined);
  }
  const header = decodePart(parts[0]);
  const claims = decodePart(parts[1]);
  if (!header || !claims) throw notJwt();
  return { header, claims };
}

function notJwt(why?: string): TokenInvalidError {
  return new TokenInvalidError("TOKEN_NOT_JWT", `the token is not a JWT${why ? `: ${why}` : ""}`, {
    hints: ["Pass the access token itself (three base64url parts separated by dots)"],
  });
}

function decodePart(part: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(part)) return undefined;
  try {
    const b64 = part.replaceAll("-", "+").replaceAll("_", "/");
    const bin = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    const value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Accepts what our own outputs produce: a bare token, `Bearer x`, the header line,
 * the `env` line, or the JSON document, so `-o json token.json` files work too.
 */
export function extractToken(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) {
    try {
      const doc = JSON.parse(trimmed);
      const t = doc?.accessToken ?? doc?.access_token;
      if (typeof t === "string") return t;
    } catch { /* not our JSON; fall through and fail as "not a JWT" */ }
  }
  const env = /^export\s+\w+='([^']*)'$/.exec(trimmed);
  if (env) return env[1];
  return trimmed.replace(/^(authorization:\s*)?bearer\s+/i, "");
}

/** Timing facts about a token, relative to `now` (ms). */
export interface TokenTimes {
  expiresAt?: number;
  notBefore?: number;
  issuedAt?: number;
}

/** Reads exp/nbf/iat (seconds) into milliseconds. */
export function tokenTimes(claims: Record<string, unknown>): TokenTimes {
  const ms = (v: unknown) => typeof v === "number" && Number.isFinite(v) ? v * 1000 : undefined;
  return { expiresAt: ms(claims.exp), notBefore: ms(claims.nbf), issuedAt: ms(claims.iat) };
}
