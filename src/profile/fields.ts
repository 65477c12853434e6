/**
 * Checks for the profile fields a person types, shared by create-profile's
 * flags, the `config create`/`config edit` prompts and `config import`, so each
 * value is judged by one rule wherever it comes from. Each check throws a
 * UsageError whose message reads well both after `✗` and under a prompt.
 */
import type { Validate } from "../deps.ts";
import { UsageError } from "../errors.ts";
import { type FlowName, isUserFlow } from "./flows.ts";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{4,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

/** Authority aliases that pick the tenant at sign-in; app-only tokens need a real tenant. */
export const MULTI_TENANT_ALIASES = ["organizations", "common", "consumers"];

/** The application (client) ID: a GUID. */
export function checkClientId(value: string): string {
  const id = value.trim();
  if (!GUID.test(id)) {
    throw new UsageError(
      "CLIENT_ID_INVALID",
      `the client ID must be the application (client) ID GUID, not '${id}'`,
      { hints: ["Find it on the app's Overview page: Application (client) ID"] },
    );
  }
  return id;
}

/** A tenant: directory ID GUID, verified domain, or one of the multi-tenant aliases. */
export function checkTenantId(value: string): string {
  const tenant = value.trim();
  const alias = MULTI_TENANT_ALIASES.includes(tenant.toLowerCase());
  if (!GUID.test(tenant) && !DOMAIN.test(tenant) && !alias) {
    throw new UsageError(
      "TENANT_INVALID",
      `the tenant must be a directory (tenant) ID GUID or a verified domain, not '${tenant}'`,
      { hints: ["e.g. contoso.onmicrosoft.com; 'organizations' or 'common' for user sign-in"] },
    );
  }
  return alias ? tenant.toLowerCase() : tenant;
}

/** Whether the tenant is an alias such as `common` (user sign-in only). */
export function isMultiTenant(tenant: string | undefined): boolean {
  return tenant !== undefined && MULTI_TENANT_ALIASES.includes(tenant.trim().toLowerCase());
}

/**
 * `common` and friends cannot issue app-only tokens (Entra needs to know whose
 * directory the app acts in), so they go with a user flow only.
 */
export function checkTenantForFlow(tenant: string, flow: FlowName): void {
  if (isMultiTenant(tenant) && !isUserFlow(flow)) {
    throw new UsageError(
      "TENANT_USER_FLOWS_ONLY",
      `tenant '${tenant}' works for user sign-in flows only, not ${flow}`,
      {
        hints: [
          "Give the directory (tenant) ID or a verified domain, or choose a default flow " +
          "such as AuthorizationCode, DeviceCode or InteractiveBrowser (--flow)",
        ],
      },
    );
  }
}

/** A redirect URI: an absolute http(s) URL. */
export function checkRedirectUri(value: string): string {
  const uri = value.trim();
  try {
    const url = new URL(uri);
    if (url.protocol === "https:" || url.protocol === "http:") return uri;
  } catch { /* reported below */ }
  throw new UsageError(
    "REDIRECT_URI_INVALID",
    `the redirect URI must be an http(s) URL such as http://localhost:8080, not '${uri}'`,
  );
}

/** Turns a throwing check into an inquirer `validate`: true, or the reason to show. */
export function validateWith(check: (value: string) => unknown): Validate {
  return (value) => {
    try {
      check(value);
      return true;
    } catch (err) {
      if (err instanceof UsageError) return err.message;
      throw err;
    }
  };
}
