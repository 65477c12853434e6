/**
 * Tokens with the cache in front (SPEC §6): a fresh cached token is returned at
 * once; otherwise one process per cache key takes a lock, looks again (another
 * process may have just fetched it), then refreshes or acquires and saves.
 */
import type { Deps } from "../deps.ts";
import { CliError, InteractionError } from "../errors.ts";
import { clientCredentialsScope } from "../entra/scopes.ts";
import type { TokenSet } from "../flows/token_response.ts";
import type { Reporter } from "../output/reporter.ts";
import { type FlowName, isUserFlow } from "../profile/flows.ts";
import type { ResolvedProfile } from "../profile/resolve.ts";
import { withFileLock } from "../platform/lock.ts";
import { type CacheEntry, entryToken, isFresh, TokenCache } from "../cache/token_cache.ts";
import { loadClientCredential } from "./credential.ts";
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
  const usable = (e: CacheEntry | undefined) =>
    req.mode === "get" && !req.force && isFresh(e, deps.clock.now(), req.minValidityMs);

  const first = req.force ? undefined : await cache.read();
  if (usable(first)) return { token: entryToken(first!), fromCache: true, refreshed: false };

  // A browser sign-in may hold the lock for minutes; others wait for its result.
  const timeoutMs = isUserFlow(req.flow) ? 15 * 60_000 : 60_000;
  await cache.prepare();
  return await withFileLock(`${cache.path}.acquire`, async () => {
    const entry = req.force ? undefined : await cache.read();
    if (usable(entry)) return { token: entryToken(entry!), fromCache: true, refreshed: false };
    req.beforeNetwork?.();
    const refreshed = await tryRefresh(req, scopes, entry, deps, reporter);
    // Loaded here, not at the top: the cached path must not pay for the protocol code.
    const { acquireToken } = await lazy<typeof import("./acquire.ts")>("token/acquire.ts");
    const token = refreshed ?? await acquireToken({ ...req, scopes }, deps, reporter);
    await cache.write(token, entry);
    return { token, fromCache: false, refreshed: refreshed !== undefined };
  }, { timeoutMs });
}

/** Uses the refresh token when there is one; a rejected one means signing in again. */
async function tryRefresh(
  req: TokenRequest,
  scopes: string[],
  entry: CacheEntry | undefined,
  deps: Deps,
  reporter: Reporter,
): Promise<TokenSet | undefined> {
  if (!isUserFlow(req.flow)) {
    if (req.mode === "refresh") {
      reporter.info("ClientCredentials has no refresh token: requesting a new token instead");
    }
    return undefined;
  }
  if (req.force) return undefined;
  if (!entry?.refreshToken) {
    if (req.mode === "refresh") {
      throw new InteractionError(
        "REFRESH_TOKEN_MISSING",
        "no refresh token is cached for this profile",
        {
          hints: [`Sign in first: entra-auth-cli get-token -p ${req.resolved.name ?? "<profile>"}`],
        },
      );
    }
    return undefined;
  }
  reporter.info("⟳ Refreshing expired token...");
  const { refreshTokenGrant } = await lazy<typeof import("../flows/refresh.ts")>(
    "flows/refresh.ts",
  );
  const { flowFetch } = await lazy<typeof import("./acquire.ts")>("token/acquire.ts");
  const { resolved } = req;
  const credential = resolved.profile.authMethod === "none"
    ? undefined
    : await loadClientCredential(resolved, deps, reporter);
  try {
    return await refreshTokenGrant({
      authority: resolved.authority,
      clientId: resolved.profile.clientId,
      credential,
      refreshToken: entry.refreshToken,
      scopes,
    }, { fetch: flowFetch(deps, reporter), clock: deps.clock });
  } catch (err) {
    // Expired, revoked or otherwise refused: the way on is a new sign-in (which the
    // interaction policy may still refuse with exit 4 when nobody can be asked).
    const refused = err instanceof InteractionError ||
      (err instanceof CliError && err.code === "ENTRA_INVALID_GRANT");
    if (req.mode === "refresh" || !refused) throw err;
    reporter.warn(`The refresh token was not accepted (${err.message}): signing in again`);
    return undefined;
  }
}
