/**
 * A cache miss (SPEC §6): one process per cache key takes a lock, looks again
 * (another process may have just fetched the token), then refreshes or acquires
 * and saves. Loaded lazily: a cached get-token never needs any of this.
 */
import type { Deps } from "../deps.ts";
import { CliError, InteractionError } from "../errors.ts";
import type { TokenSet } from "../flows/token_response.ts";
import type { Reporter } from "../output/reporter.ts";
import { isUserFlow } from "../profile/flows.ts";
import { withFileLock } from "../platform/lock.ts";
import { type CacheEntry, entryToken, type TokenCache } from "../cache/token_cache.ts";
import { loadClientCredential } from "./credential.ts";
import { acquireToken, flowFetch } from "./acquire.ts";
import { refreshTokenGrant } from "../flows/refresh.ts";
import { type TokenOutcome, type TokenRequest, usable } from "./service.ts";

/** Gets a new token under the cache key's lock and stores it. */
export async function renewToken(
  req: TokenRequest,
  scopes: string[],
  cache: TokenCache,
  deps: Deps,
  reporter: Reporter,
): Promise<TokenOutcome> {
  // A browser sign-in may hold the lock for minutes; others wait for its result.
  const timeoutMs = isUserFlow(req.flow) ? 15 * 60_000 : 60_000;
  await cache.prepare();
  return await withFileLock(`${cache.path}.acquire`, async () => {
    const entry = req.force ? undefined : await cache.read();
    if (usable(req, entry, deps)) {
      return { token: entryToken(entry!), fromCache: true, refreshed: false };
    }
    req.beforeNetwork?.();
    const refreshed = await tryRefresh(req, scopes, entry, deps, reporter);
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
