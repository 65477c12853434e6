/**
 * Tokens with the cache in front (SPEC §6): a fresh cached token is returned at
 * once; otherwise one process per cache key takes a lock, looks again (another
 * process may have just fetched it), then refreshes or acquires and saves.
 */
import type { Deps } from "../deps.ts";
import { clientCredentialsScope } from "../entra/scopes.ts";
import type { TokenSet } from "../flows/token_response.ts";
import type { Reporter } from "../output/reporter.ts";
import { type FlowName, isUserFlow } from "../profile/flows.ts";
import type { ResolvedProfile } from "../profile/resolve.ts";
import { type CacheEntry, entryToken, isFresh, TokenCache } from "../cache/token_cache.ts";
import { lazy } from "../lazy.ts";
import type { SignInOptions } from "../flows/sign_in_options.ts";

export interface TokenRequest {
  resolved: ResolvedProfile;
  flow: FlowName;
  /** Whether the flow was chosen (flag or profile) rather than inferred. */
  explicitFlow: boolean;
  scopes: string[];
  /** Skip the cache and the refresh token: a brand-new token. */
  force: boolean;
  minValidityMs: number;
  /** `refresh`: use the refresh token now, whatever the cached token's age. */
  mode: "get" | "refresh";
  /** Called once before the first request to Entra (the progress line). */
  beforeNetwork?: () => void;
  /** User flows: ports, redirect, browser and timeout settings (passed to acquireToken). */
  signIn?: SignInOptions;
}

export interface TokenOutcome {
  token: TokenSet;
  fromCache: boolean;
  refreshed: boolean;
}

/** Client credentials always file their token under the one `.default` scope they ask for. */
export function effectiveScopes(flow: FlowName, scopes: string[], reporter: Reporter): string[] {
  if (isUserFlow(flow)) return scopes;
  const { scope, note } = clientCredentialsScope(scopes);
  if (note) reporter.warn(note);
  return [scope];
}

/** Returns a token for the request, from the cache when it may. */
export async function getToken(
  req: TokenRequest,
  deps: Deps,
  reporter: Reporter,
): Promise<TokenOutcome> {
  const scopes = effectiveScopes(req.flow, req.scopes, reporter);
  const { resolved } = req;
  const opened = await deps.secrets.open();
  if (opened.warning) reporter.warn(opened.warning);
  const cache = await TokenCache.open(
    {
      authorityHost: resolved.authority.host,
      tenant: resolved.authority.tenant,
      clientId: resolved.profile.clientId,
      flow: req.flow,
      scopes,
      profile: resolved.name,
    },
    opened.openEncryptedFile,
    (l) => reporter.warn(l),
  );
  const first = req.force ? undefined : await cache.read();
  if (usable(req, first, deps)) {
    return { token: entryToken(first!), fromCache: true, refreshed: false };
  }

  // Everything past a cache miss loads only now: locking, refresh, the flows.
  const { renewToken } = await lazy<typeof import("./renew.ts")>("token/renew.ts");
  return await renewToken(req, scopes, cache, deps, reporter);
}

/** Whether a cached entry may be handed out for this request as it is. */
export function usable(req: TokenRequest, entry: CacheEntry | undefined, deps: Deps): boolean {
  return req.mode === "get" && !req.force && isFresh(entry, deps.clock.now(), req.minValidityMs);
}
