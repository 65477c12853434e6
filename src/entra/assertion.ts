/**
 * The client assertion JWT for certificate credentials (`private_key_jwt`).
 *
 * @see https://learn.microsoft.com/entra/identity-platform/certificate-credentials
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-3
 */
import { UsageError } from "../errors.ts";
import type { CertificateCredential } from "./certificate.ts";

/** PS256 is what current Entra docs show; RS256 + `x5t` is the older, still accepted form. */
export type AssertionAlg = "PS256" | "RS256";

/** Inputs for one assertion; `now` is epoch milliseconds. */
export interface AssertionOptions {
  clientId: string;
  /** The tenant's v2.0 token endpoint; it is the `aud` claim. */
  tokenEndpoint: string;
  alg?: AssertionAlg;
  /** Adds `x5c` (leaf first), which subject name + issuer (SN+I) apps need. */
  sendX5c?: boolean;
  now: number;
  jti: string;
  lifetimeSeconds?: number;
}

/** A signed assertion and when it stops being valid (epoch ms). */
export interface ClientAssertion {
  jwt: string;
  expiresAt: number;
}

/** Entra docs: keep `exp` at most 10 minutes after `nbf`; MSAL uses exactly that. */
export const MAX_ASSERTION_LIFETIME_SECONDS = 600;

const B64URL = { alphabet: "base64url", omitPadding: true } as const;

/** Builds and signs a client assertion with Web Crypto. */
export async function createClientAssertion(
  cred: CertificateCredential,
  o: AssertionOptions,
): Promise<ClientAssertion> {
  const alg = o.alg ?? "PS256";
  const lifetime = o.lifetimeSeconds ?? MAX_ASSERTION_LIFETIME_SECONDS;
  if (!Number.isInteger(lifetime) || lifetime <= 0 || lifetime > MAX_ASSERTION_LIFETIME_SECONDS) {
    throw new UsageError(
      "ASSERTION_LIFETIME_INVALID",
      `assertion lifetime must be 1 to ${MAX_ASSERTION_LIFETIME_SECONDS} seconds`,
    );
  }
  const header: Record<string, unknown> = alg === "PS256"
    ? { alg, typ: "JWT", "x5t#S256": cred.x5tS256 }
    : { alg, typ: "JWT", x5t: cred.x5t };
  if (o.sendX5c) header.x5c = cred.chainDer.map((der) => der.toBase64());
  const iat = Math.floor(o.now / 1000);
  const claims = {
    aud: o.tokenEndpoint,
    iss: o.clientId,
    sub: o.clientId,
    jti: o.jti,
    nbf: iat,
    iat,
    exp: iat + lifetime,
  };
  const input = `${encodeJson(header)}.${encodeJson(claims)}`;
  const signature = await sign(cred, alg, new TextEncoder().encode(input));
  return { jwt: `${input}.${signature.toBase64(B64URL)}`, expiresAt: claims.exp * 1000 };
}

async function sign(
  cred: CertificateCredential,
  alg: AssertionAlg,
  data: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  // RFC 7518 §3.5: PS256 uses a salt as long as the hash (32 bytes).
  const params = alg === "PS256"
    ? { name: "RSA-PSS", saltLength: 32 }
    : { name: "RSASSA-PKCS1-v1_5" };
  // A Web Crypto key is bound to one algorithm; the loader imports it for
  // RSA-PSS, so RS256 imports the PKCS#8 again.
  const key = alg === "PS256" && cred.privateKey
    ? cred.privateKey
    : await importKey(cred.pkcs8, params.name);
  return new Uint8Array(await crypto.subtle.sign(params, key, data));
}

function importKey(pkcs8: Uint8Array<ArrayBuffer>, name: string): Promise<CryptoKey> {
  return crypto.subtle.importKey("pkcs8", pkcs8, { name, hash: "SHA-256" }, false, ["sign"]);
}

function encodeJson(value: unknown): string {
  return new TextEncoder().encode(JSON.stringify(value)).toBase64(B64URL);
}

/** How close to expiry a cached assertion is replaced, so it never expires in flight. */
const RENEW_BEFORE_MS = 60_000;

/** What picks one cached assertion; the certificate is part of it, so a rotated cert gets a new one. */
export type AssertionRequest = Omit<AssertionOptions, "now" | "jti">;

/**
 * Reuses one assertion per (client, endpoint, alg, x5c, certificate) until a
 * minute before it expires, so a burst of token requests signs once.
 */
export class AssertionCache {
  readonly #entries = new Map<string, Promise<ClientAssertion>>();
  readonly #now: () => number;
  readonly #jti: () => string;

  constructor(opts: { now: () => number; jti: () => string }) {
    this.#now = opts.now;
    this.#jti = opts.jti;
  }

  /** Returns a cached assertion that is still fresh, or signs a new one. */
  async get(cred: CertificateCredential, req: AssertionRequest): Promise<ClientAssertion> {
    const key = JSON.stringify([
      req.clientId,
      req.tokenEndpoint,
      req.alg ?? "PS256",
      !!req.sendX5c,
      req.lifetimeSeconds ?? MAX_ASSERTION_LIFETIME_SECONDS,
      cred.x5tS256,
    ]);
    const cached = this.#entries.get(key);
    if (cached) {
      const hit = await cached.catch(() => undefined);
      if (hit && this.#now() < hit.expiresAt - RENEW_BEFORE_MS) return hit;
    }
    // The promise is stored before it settles so concurrent callers share it.
    const next = createClientAssertion(cred, { ...req, now: this.#now(), jti: this.#jti() });
    this.#entries.set(key, next);
    next.catch(() => {
      if (this.#entries.get(key) === next) this.#entries.delete(key);
    });
    return await next;
  }
}
