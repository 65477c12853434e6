// deno-lint-ignore-file no-console -- a standalone program: stdout = ready line, stderr = log
/**
 * The Entra-shaped test IdP: `deno run -A tests/idp/server.ts`.
 *
 * An HTTPS server on 127.0.0.1 whose front handler routes Entra's tenant-prefixed URLs to
 * oidc-provider (mounted per request at `/{tenant}`), answers unknown tenants with
 * AADSTS90002, serves the `/__lab/*` test-control endpoints and injects failures.
 * Prints one JSON line on stdout when ready:
 * `{"ready":true,"origin":"https://127.0.0.1:PORT","tenantId":"…","port":PORT}`.
 *
 * Env: IDP_PORT (0 = free port), IDP_AT_TTL (s, default 3600), IDP_CERT_DIR (server.pem and
 * server.key; generated into a temp dir when unset), IDP_EXTRA_CLIENTS (JSON array of
 * client metadata), IDP_DEVICE_INTERVAL (s, default 5), IDP_DEVICE_ENFORCED_INTERVAL (s, the
 * spacing answered with `slow_down`; default the interval), IDP_DEVICE_TTL (s, default 900),
 * IDP_AUTO_LOGIN (an account name: login and consent finish without a browser).
 * @module
 */

import { randomUUID } from "node:crypto";
import { createServer } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { type ClientMetadata, TENANT_ALIASES, TENANT_DOMAIN, TENANT_ID } from "./clients.ts";
import { generateTlsCerts } from "./certs.ts";
import { type EntraError, entraErrorBody } from "./entra_errors.ts";
import {
  type CountedEndpoint,
  type FailurePlan,
  LabControl,
  readBody,
  sendJson,
} from "./lab_control.ts";
import { createLabProvider, ROUTES } from "./provider.ts";

/** Path segments (after the tenant) that only exist under a tenant: a miss there is 90002. */
const ENTRA_AREAS = new Set(["oauth2", "v2.0", "discovery", ".well-known"]);
const KNOWN_TENANTS = new Set([TENANT_ID, TENANT_DOMAIN, ...TENANT_ALIASES]);
const ENTRA_DISCOVERY = "/v2.0/.well-known/openid-configuration";

type Endpoint = CountedEndpoint | "token";

function endpointOf(path: string): Endpoint {
  switch (path) {
    case ROUTES.token:
      return "token";
    case ROUTES.device_authorization:
      return "devicecode";
    case ROUTES.authorization:
      return "authorize";
    case ROUTES.jwks:
      return "jwks";
    case ENTRA_DISCOVERY:
    case "/.well-known/openid-configuration":
      return "discovery";
    default:
      return "other";
  }
}

function intEnv(name: string, fallback: number): number {
  const raw = Deno.env.get(name);
  const n = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer`);
  return n;
}

function extraClientsEnv(): ClientMetadata[] {
  const raw = Deno.env.get("IDP_EXTRA_CLIENTS");
  if (!raw) return [];
  const parsed = JSON.parse(raw);
  if (!Array.isArray(parsed)) throw new Error("IDP_EXTRA_CLIENTS must be a JSON array");
  return parsed;
}

/** Reads IDP_CERT_DIR, or makes a throwaway CA + server cert when it is unset. */
async function certDir(): Promise<{ dir: string; owned: boolean }> {
  const given = Deno.env.get("IDP_CERT_DIR");
  if (given) return { dir: given, owned: false };
  const dir = await Deno.makeTempDir({ prefix: "entra-idp-certs-" });
  const { caFile } = await generateTlsCerts(dir);
  console.error(`[idp] IDP_CERT_DIR unset: generated certificates; trust ${caFile}`);
  return { dir, owned: true };
}

const port = intEnv("IDP_PORT", 0);
const accessTokenTtl = intEnv("IDP_AT_TTL", 3600);
const deviceInterval = intEnv("IDP_DEVICE_INTERVAL", 5);
const deviceEnforcedInterval = intEnv("IDP_DEVICE_ENFORCED_INTERVAL", deviceInterval);
const deviceTtl = intEnv("IDP_DEVICE_TTL", 900);
const autoLogin = Deno.env.get("IDP_AUTO_LOGIN") || undefined;
const extraClients = extraClientsEnv();
const certs = await certDir();
const control = new LabControl();
let origin = "";
let callback: (req: IncomingMessage, res: ServerResponse) => void;

const server = createServer({
  cert: await Deno.readTextFile(join(certs.dir, "server.pem")),
  key: await Deno.readTextFile(join(certs.dir, "server.key")),
}, (req, res) => {
  route(req, res).catch((err) => {
    console.error("[idp] request failed:", err);
    if (!res.headersSent) sendJson(res, 500, { error: "server_error" });
    else res.destroy();
  });
});

async function route(
  req: IncomingMessage & { labTenant?: string; originalUrl?: string },
  res: ServerResponse,
) {
  const url = new URL(req.url ?? "/", origin);
  if (url.pathname.startsWith("/__lab/")) return await control.handle(req, res, url.pathname);

  const [, tenant = "", ...rest] = url.pathname.split("/");
  const sub = `/${rest.join("/")}`;
  const endpoint = endpointOf(sub);
  if (!KNOWN_TENANTS.has(tenant.toLowerCase())) {
    if (!ENTRA_AREAS.has(rest[0])) return sendJson(res, 404, { error: "not_found" });
    await count(req, endpoint, true);
    return entraError(req, res, {
      status: 400,
      error: "invalid_request",
      code: 90002,
      text: `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and ` +
        "are signing into the correct cloud. Check with your subscription administrator, this " +
        "may happen if there are no active subscriptions for the tenant.",
    });
  }
  if (endpoint === "token" || endpoint === "devicecode") {
    const plan = control.takeFailure(endpoint);
    if (plan) {
      await count(req, endpoint, true);
      return injectFailure(req, res, plan);
    }
  }
  await count(req, endpoint, false);

  // Mount oidc-provider at /{tenant}: it derives its mount path from originalUrl minus url.
  req.labTenant = tenant;
  req.originalUrl = req.url;
  req.url = `${sub}${url.search}`;
  if (sub === ENTRA_DISCOVERY) { // Entra's discovery path is not "issuer + /.well-known"
    req.originalUrl = `/${tenant}/.well-known/openid-configuration${url.search}`;
    req.url = `/.well-known/openid-configuration${url.search}`;
  }
  callback(req, res);
}

/**
 * Counts a request. Token requests the provider handles are counted per grant type by its
 * middleware; requests answered here read the body themselves to learn the grant type.
 */
async function count(req: IncomingMessage, endpoint: Endpoint, answeredHere: boolean) {
  if (endpoint !== "token") return control.countRequest(endpoint);
  if (!answeredHere) return;
  const body = req.method === "POST" ? await readBody(req) : "";
  control.countGrant(new URLSearchParams(body).get("grant_type"));
}

function injectFailure(req: IncomingMessage, res: ServerResponse, plan: FailurePlan): void {
  const headers: Record<string, string> = plan.retryAfter === undefined
    ? {}
    : { "retry-after": String(plan.retryAfter) };
  entraError(req, res, {
    status: plan.status,
    error: "temporarily_unavailable",
    code: plan.status === 429 ? 90055 : 90033,
    text: plan.status === 429
      ? "TenantThrottlingError: There are too many incoming requests. Please try again later."
      : "A transient error has occurred. Please try again.",
  }, headers);
}

function entraError(
  req: IncomingMessage,
  res: ServerResponse,
  e: EntraError,
  headers: Record<string, string> = {},
): void {
  const traceId = randomUUID();
  const header = req.headers["client-request-id"];
  const correlationId = typeof header === "string" && header ? header : randomUUID();
  const body = entraErrorBody(e, { traceId, correlationId, origin });
  sendJson(res, e.status, body, {
    ...headers,
    "x-ms-request-id": traceId,
    "client-request-id": correlationId,
  });
}

function shutdown(): void {
  server.close();
  if (certs.owned) Deno.removeSync(certs.dir, { recursive: true });
  Deno.exit(0);
}
Deno.addSignalListener("SIGINT", shutdown);
Deno.addSignalListener("SIGTERM", shutdown);

// Node closes idle keep-alive connections after 5 s, exactly a device-code interval: a poll
// could race the close ("peer closed connection"). Entra's front ends keep them far longer.
server.keepAliveTimeout = 120_000;

server.listen(port, "127.0.0.1", () => {
  const actualPort = (server.address() as AddressInfo).port;
  origin = `https://127.0.0.1:${actualPort}`;
  const provider = createLabProvider({
    origin,
    accessTokenTtl,
    deviceInterval,
    deviceEnforcedInterval,
    deviceTtl,
    autoLogin,
    extraClients,
    control,
  });
  provider.on(
    "server_error",
    (_ctx: unknown, err: unknown) => console.error("[idp] server_error:", err),
  );
  callback = provider.callback();
  console.log(JSON.stringify({ ready: true, origin, tenantId: TENANT_ID, port: actualPort }));
});
