/**
 * The lab's resource servers (APIs) and Entra's scope rules.
 *
 * Entra v2 has no `resource` parameter: the resource is the prefix of each scope value
 * (`https://graph.microsoft.com/User.Read`, `https://management.azure.com//.default`), and
 * a bare permission (`User.Read`) means Microsoft Graph. These helpers turn a scope string
 * into that resource and raise Entra's AADSTS errors when the request breaks a rule.
 * @module
 */

/** OIDC scopes that name no resource. */
export const OIDC_SCOPES = new Set(["openid", "profile", "email", "offline_access"]);

/** Microsoft Graph's resource URI; the default resource of bare permissions. */
export const GRAPH = "https://graph.microsoft.com";
/** Azure Resource Manager; the trailing slash is part of the URI (scope `…//.default`). */
export const ARM = "https://management.azure.com/";
/** A custom API registered in the lab tenant. */
export const LAB_API = "api://entra-auth-cli-test";

/** What the IdP knows about one resource server. */
export interface Resource {
  /** `aud` of access tokens for this resource. */
  audience: string;
  /** Application permissions granted to apps: the `roles` claim of app-only tokens. */
  appRoles: string[];
  /** Delegated permissions: what `.default` expands to in the `scp` claim. */
  delegated: string[];
}

/** Resource URI (exactly as it prefixes scopes) → resource server. */
export const RESOURCES: Readonly<Record<string, Resource>> = {
  [GRAPH]: {
    audience: GRAPH,
    appRoles: ["User.Read.All"],
    delegated: ["User.Read", "Mail.Read", "profile", "openid", "email"],
  },
  // Real ARM app-only tokens carry no `roles` (access is Azure RBAC), so none here.
  [ARM]: { audience: ARM, appRoles: [], delegated: ["user_impersonation"] },
  [LAB_API]: { audience: LAB_API, appRoles: ["Tokens.Read.All"], delegated: ["access_as_user"] },
};

/** An Entra rule violation: the caller turns it into an oidc-provider error. */
export class ScopeRuleError extends Error {
  constructor(
    readonly oauthError: "invalid_scope" | "invalid_request",
    readonly aadsts: number,
    text: string,
  ) {
    super(`AADSTS${aadsts}: ${text}`);
  }
}

/** Splits a scope value the way the token endpoint does (space separated, empties dropped). */
export function splitScopes(scope: string | undefined): string[] {
  return (scope ?? "").split(" ").filter((s) => s.length > 0);
}

/**
 * The resource a scope names: everything before its last `/`, or Graph for a bare
 * permission. `https://management.azure.com//.default` → `https://management.azure.com/`.
 */
export function resourceOfScope(scope: string): string {
  const cut = scope.lastIndexOf("/");
  if (cut < 0) return GRAPH;
  // A bare URI ("api://x") has no permission part: the whole value is the resource.
  if (scope.slice(0, cut).endsWith(":/")) return scope;
  return scope.slice(0, cut);
}

/** The one resource a request targets, or undefined when it only asks for OIDC scopes. */
export function resourceFromScopes(scope: string | undefined): string | undefined {
  const scopes = splitScopes(scope).filter((s) => !OIDC_SCOPES.has(s));
  const resources = new Set(scopes.map(resourceOfScope));
  if (resources.size > 1) {
    throw new ScopeRuleError(
      "invalid_scope",
      28000,
      `Provided value for the input parameter scope '${scope}' is not valid because it ` +
        "contains more than one resource. The scope is not valid.",
    );
  }
  if (scopes.some((s) => s.endsWith("/.default")) && scopes.length > 1) {
    throw new ScopeRuleError(
      "invalid_scope",
      70011,
      `The provided value for the input parameter 'scope' is not valid. The scope ${scope} ` +
        "is not valid. .default scope can't be combined with resource-specific scopes.",
    );
  }
  return resources.values().next().value;
}

/** Entra's extra rules for client credentials: a scope is required and must be `/.default`. */
export function checkClientCredentialsScope(scope: string | undefined): void {
  const scopes = splitScopes(scope);
  if (scopes.length === 0) {
    throw new ScopeRuleError(
      "invalid_request",
      900144,
      "The request body must contain the following parameter: 'scope'.",
    );
  }
  const bad = scopes.find((s) => !s.endsWith("/.default"));
  if (bad !== undefined) {
    throw new ScopeRuleError(
      "invalid_scope",
      1002012,
      `The provided value for scope ${bad} is not valid. Client credential flows must have ` +
        "a scope value with /.default suffixed to the resource identifier (application ID URI).",
    );
  }
}

/** Looks a resource up, tolerating a missing/extra trailing slash in an explicit `resource`. */
export function findResource(indicator: string): [string, Resource] | undefined {
  for (const uri of [indicator, indicator.replace(/\/+$/, ""), `${indicator}/`]) {
    const rs = RESOURCES[uri];
    if (rs) return [uri, rs];
  }
  return undefined;
}

/** The resource server whose tokens carry this audience. */
export function resourceByAudience(aud: unknown): Resource | undefined {
  return Object.values(RESOURCES).find((rs) => rs.audience === aud);
}
