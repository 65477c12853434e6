/**
 * What the user flows share: the scopes they ask for, request options with
 * Ctrl-C, and turning a token response into a TokenSet with Entra's issuer rule.
 */
import type * as oauth from "oauth4webapi";
import type { Authority } from "../entra/authority.ts";
import { authorizationServer, type FlowDeps, requestOptions } from "./client_credentials.ts";
import { processTokenResponse, type TokenSet, toTokenSet } from "./token_response.ts";

/** A refresh token needs `offline_access`; `openid profile` name the account (SPEC §5). */
const SIGN_IN_SCOPES = ["openid", "profile", "offline_access"];

/** The scope values a user flow requests. */
export function userScopes(scopes: string[]): string[] {
  return [...new Set([...SIGN_IN_SCOPES, ...scopes])];
}

/** Per-request timeout while a person waits: a stuck connection must not hang the sign-in. */
const REQUEST_TIMEOUT_MS = 30_000;

/** oauth4webapi options with our fetch, and Ctrl-C able to stop a request in flight. */
export function signInRequestOptions(authority: Authority, deps: FlowDeps, signal: AbortSignal) {
  return {
    ...requestOptions(authority, deps),
    signal: () => AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
  };
}

/**
 * Runs `request`; when Ctrl-C aborted it, the cancellation (exit 130) is what
 * counts, not the network error the retrying fetch made of the abort.
 */
export async function unlessInterrupted<T>(signal: AbortSignal, request: () => Promise<T>) {
  try {
    return await request();
  } catch (err) {
    if (signal.aborted) throw signal.reason;
    throw err;
  }
}

/**
 * Entra's ID token names the tenant GUID as issuer (`…/{tid}/v2.0`) even when the
 * authority was `common`, `organizations` or a domain, and on some clouds another
 * host. oauth4webapi leaves this to the caller (panva/oauth4webapi#131): accept
 * the issuer when it is the authority's, or when its path is the token's own `tid`.
 * The ID token comes straight from the token endpoint over TLS and is not used
 * to decide anything, so this only keeps a harmless mismatch from failing.
 */
async function expectedIssuer(response: Response, authority: Authority): Promise<string> {
  try {
    const body = await response.clone().json();
    const payload = JSON.parse(
      atob(String(body.id_token).split(".")[1].replaceAll("-", "+").replaceAll("_", "/")),
    );
    const { iss, tid } = payload as { iss?: unknown; tid?: unknown };
    if (typeof iss === "string" && typeof tid === "string" && tid) {
      if (new URL(iss).pathname === `/${tid}/v2.0`) return iss;
    }
  } catch { /* no ID token, or not one we can read: oauth4webapi reports what it finds */ }
  return authority.issuer;
}

type Process = (
  as: oauth.AuthorizationServer,
  client: oauth.Client,
  response: Response,
) => Promise<oauth.TokenEndpointResponse>;

/** Checks and converts a user flow's token response. */
export async function userTokenSet(
  response: Response,
  o: { authority: Authority; clientId: string; started: number; scopes: string[] },
  process: Process,
): Promise<TokenSet> {
  const client: oauth.Client = { client_id: o.clientId };
  const result = await processTokenResponse(response, async (r) => {
    const as = {
      ...authorizationServer(o.authority),
      issuer: await expectedIssuer(r, o.authority),
    };
    return await process(as, client, r);
  });
  return toTokenSet(result, o.started, o.scopes);
}

/** A wait as people say it: "2 s", "90 s", "5 min". */
export function formatWait(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 1000)} s`;
}
