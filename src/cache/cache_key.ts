/**
 * What a cached token is filed under (SPEC §6): authority host, tenant, client,
 * flow family and sorted scopes, plus the profile for user flows, because each
 * profile is its own signed-in account.
 */
import { type FlowName, isUserFlow } from "../profile/flows.ts";

/** Where a token came from, as much as the cache needs to tell tokens apart. */
export interface CacheIdentity {
  authorityHost: string;
  tenant: string;
  clientId: string;
  flow: FlowName;
  scopes: string[];
  /** Profile name, or null for the AZURE_* implicit profile. */
  profile: string | null;
}

/** App tokens are shared by every profile of the app; user tokens are not. */
export function flowFamily(flow: FlowName): "app" | "user" {
  return isUserFlow(flow) ? "user" : "app";
}

/** A stable text key for an identity. */
export function cacheKey(id: CacheIdentity): string {
  const family = flowFamily(id.flow);
  return JSON.stringify([
    id.authorityHost.toLowerCase(),
    id.tenant.toLowerCase(),
    id.clientId.toLowerCase(),
    family,
    [...new Set(id.scopes)].sort(),
    family === "user" ? id.profile : null,
  ]);
}

/** The file a key's entry lives in: a hash, so names say nothing about the account. */
export async function cacheFileName(id: CacheIdentity): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(cacheKey(id)));
  const hex = [...new Uint8Array(digest)].slice(0, 16).map((b) => b.toString(16).padStart(2, "0"))
    .join("");
  return `cache/token-${hex}.enc`;
}
