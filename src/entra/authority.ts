/**
 * Entra authority URLs: cloud hosts, tenant paths and v2.0 endpoints, in one place
 * (SPEC §4). Nothing here talks to the network.
 */
import { UsageError } from "../errors.ts";

/** The national clouds `--cloud` knows. */
export const CLOUDS: Record<string, string> = {
  AzurePublic: "https://login.microsoftonline.com",
  AzureUSGovernment: "https://login.microsoftonline.us",
  AzureChina: "https://login.chinacloudapi.cn",
};

export const DEFAULT_AUTHORITY_HOST = CLOUDS.AzurePublic;

/** Endpoints of one tenant on one host. */
export interface Authority {
  host: string;
  tenant: string;
  /** `<host>/<tenant>` */
  url: string;
  /** Used only for oauth4webapi's metadata object; Entra's v2 issuer shape. */
  issuer: string;
  authorizeEndpoint: string;
  tokenEndpoint: string;
  deviceCodeEndpoint: string;
  /** Plain HTTP is only allowed for loopback test hosts. */
  insecure: boolean;
}

/** Maps `--cloud` (case-insensitive) to its host. */
export function cloudHost(cloud: string): string {
  const match = Object.keys(CLOUDS).find((c) => c.toLowerCase() === cloud.trim().toLowerCase());
  if (!match) {
    throw new UsageError("CLOUD_UNKNOWN", `unknown cloud '${cloud}'`, {
      hints: [`Use one of: ${Object.keys(CLOUDS).join(", ")}, or --authority-host <url>`],
    });
  }
  return CLOUDS[match];
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Validates and normalizes an authority host URL (no path, no trailing slash). */
export function normalizeAuthorityHost(value: string): string {
  let url: URL;
  try {
    url = new URL(value.includes("://") ? value : `https://${value}`);
  } catch {
    throw new UsageError("AUTHORITY_INVALID", `invalid authority host '${value}'`);
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.has(url.hostname))) {
    throw new UsageError("AUTHORITY_INSECURE", `authority host must use https: '${value}'`, {
      hints: ["Plain http is accepted only for loopback test servers"],
    });
  }
  if (url.search || url.hash || url.username || url.password) {
    throw new UsageError("AUTHORITY_INVALID", `invalid authority host '${value}'`);
  }
  const path = url.pathname.replace(/\/+$/, "");
  return `${url.protocol}//${url.host}${path}`;
}

/** Tenant ids are GUIDs, verified domains or the well-known aliases. */
export function checkTenant(tenant: string): string {
  const t = tenant.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(t) || t.length > 256) {
    throw new UsageError("TENANT_INVALID", `invalid tenant '${tenant}'`, {
      hints: ["Use the directory (tenant) ID GUID or a verified domain such as contoso.com"],
    });
  }
  return t;
}

/** Builds the endpoints for `<host>/<tenant>`. */
export function buildAuthority(host: string, tenant: string): Authority {
  const h = normalizeAuthorityHost(host);
  const t = checkTenant(tenant);
  const url = `${h}/${encodeURIComponent(t)}`;
  return {
    host: h,
    tenant: t,
    url,
    issuer: `${url}/v2.0`,
    authorizeEndpoint: `${url}/oauth2/v2.0/authorize`,
    tokenEndpoint: `${url}/oauth2/v2.0/token`,
    deviceCodeEndpoint: `${url}/oauth2/v2.0/devicecode`,
    insecure: h.startsWith("http:"),
  };
}
