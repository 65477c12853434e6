/** Scope parsing and the Entra rules around `.default` (SPEC §1.1, notes §6.6). */
import { UsageError } from "../errors.ts";

const OIDC_SCOPES = new Set(["openid", "profile", "email", "offline_access"]);

/** The resource part of `https://graph.microsoft.com/User.Read` (or undefined for a bare scope). */
export function resourceOf(scope: string): string | undefined {
  const cut = scope.lastIndexOf("/");
  if (!scope.includes(":")) return cut > 0 ? scope.slice(0, cut) : undefined; // `<app-id-guid>/.default`
  return cut > scope.indexOf(":") + 2 ? scope.slice(0, cut) : undefined;
}

/**
 * Splits `--scope` values on spaces and commas. A bare permission that follows a
 * resource-qualified one takes that resource's prefix, so
 * `https://graph.microsoft.com/User.Read Mail.Read` asks Graph for both.
 */
export function parseScopes(values: string | string[]): string[] {
  const parts = (Array.isArray(values) ? values : [values])
    .flatMap((v) => v.split(/[\s,]+/))
    .filter((s) => s.length > 0);
  const out: string[] = [];
  let resource: string | undefined;
  for (const part of parts) {
    const own = resourceOf(part);
    if (own !== undefined) resource = own;
    const scope = own === undefined && resource !== undefined && !OIDC_SCOPES.has(part)
      ? `${resource}/${part}`
      : part;
    if (!out.includes(scope)) out.push(scope);
  }
  return out;
}

/** The default when neither flag nor profile names scopes. */
export const DEFAULT_SCOPES = ["https://graph.microsoft.com/.default"];

/**
 * Client credentials take exactly one `<resource>/.default`. A specific permission
 * such as `https://graph.microsoft.com/User.Read.All` is turned into its resource's
 * `.default` (app tokens carry every granted role anyway); returns the note to show.
 */
export function clientCredentialsScope(scopes: string[]): { scope: string; note?: string } {
  const resources = new Set<string>();
  for (const s of scopes) {
    if (OIDC_SCOPES.has(s)) continue;
    const r = resourceOf(s);
    if (r === undefined) {
      throw new UsageError("SCOPE_INVALID", `scope '${s}' names no resource`, {
        hints: [
          "Client credentials need '<resource>/.default', e.g. https://graph.microsoft.com/.default",
        ],
      });
    }
    resources.add(r);
  }
  if (resources.size !== 1) {
    throw new UsageError(
      "SCOPE_INVALID",
      resources.size === 0
        ? "client credentials need a scope such as https://graph.microsoft.com/.default"
        : `client credentials can ask for one resource at a time, not ${resources.size}`,
    );
  }
  const scope = `${[...resources][0]}/.default`;
  const asked = scopes.filter((s) => !OIDC_SCOPES.has(s));
  const note = asked.length === 1 && asked[0] === scope
    ? undefined
    : `client credentials use '${scope}': the token carries every application permission granted to the app`;
  return { scope, note };
}
