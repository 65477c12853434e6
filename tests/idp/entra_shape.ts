/**
 * Koa middleware that makes the token and devicecode endpoints answer like Entra:
 * AADSTS error bodies, `ext_expires_in`, the device-code `message`/`interval`, and the
 * `client-request-id` echo. It also counts token requests per grant type.
 * @module
 */

import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import {
  entraErrorBody,
  entraErrorFor,
  type ErrorContext,
  type ProviderError,
} from "./entra_errors.ts";
import type { LabControl } from "./lab_control.ts";

/** The slice of a Koa + oidc-provider context this lab reads (oidc-provider ships no types). */
export interface KoaContext {
  method: string;
  path: string;
  status: number;
  body: unknown;
  req: IncomingMessage & { labTenant?: string };
  state: Record<string, unknown>;
  get(header: string): string;
  set(header: string, value: string): void;
  oidc: {
    route?: string;
    issuer: string;
    params: Record<string, string | undefined>;
    body?: Record<string, unknown>;
    client?: { clientId: string; clientAuthMethod: string };
    urlFor(route: string): string;
  };
}

/** The tenant path segment of the current request, set by the HTTP front. */
export function tenantOf(ctx: KoaContext): string {
  return ctx.req.labTenant ?? "";
}

const SHAPED_PATHS: Record<string, "token" | "devicecode"> = {
  "/oauth2/v2.0/token": "token",
  "/oauth2/v2.0/devicecode": "devicecode",
};

/** Error objects caught by oidc-provider, keyed by context (see the event hooks below). */
const caught = new WeakMap<object, ProviderError>();

/** Builds the middleware; registers the error-event hooks it needs on `provider`. */
export function entraShaping(
  provider: { on(event: string, fn: (ctx: KoaContext, err: ProviderError) => void): void },
  lab: { origin: string; control: LabControl },
  deviceInterval: number,
) {
  // oidc-provider renders errors inside the route and only tells listeners the reason
  // (`error_detail`, e.g. "client not found" vs "invalid secret provided"); keep it.
  for (const event of ["grant.error", "device_authorization.error", "server_error"]) {
    provider.on(event, (ctx, err) => caught.set(ctx, err));
  }
  return async function entraShape(ctx: KoaContext, next: () => Promise<void>): Promise<void> {
    const endpoint = SHAPED_PATHS[ctx.path];
    if (!endpoint) return await next();
    const traceId = randomUUID();
    const correlationId = ctx.get("client-request-id") || randomUUID();
    if (ctx.method === "POST" || ctx.method === "OPTIONS") {
      await next();
    } else {
      ctx.status = 400; // Entra answers AADSTS900561 here; oidc-provider would 404
      ctx.body = {
        error: "invalid_request",
        error_description: `AADSTS900561: The endpoint only accepts POST, OPTIONS requests. ` +
          `Received a ${ctx.method} request.`,
      };
    }
    if (endpoint === "token") lab.control.countGrant(formValue(ctx, "grant_type"));
    ctx.set("x-ms-request-id", traceId);
    ctx.set("client-request-id", correlationId);
    const body = ctx.body as Record<string, unknown> | undefined;
    if (typeof body !== "object" || body === null) return;
    if (ctx.status >= 400 && typeof body.error === "string") {
      const e = entraErrorFor(
        ctx.status,
        body as { error: string; error_description?: string },
        caught.get(ctx),
        errorContext(ctx),
      );
      ctx.body = entraErrorBody(e, { traceId, correlationId, origin: lab.origin });
      ctx.status = e.status;
    } else if (ctx.status === 200 && endpoint === "token") {
      body.ext_expires_in = body.expires_in; // seen in every real Entra token response
    } else if (ctx.status === 200 && endpoint === "devicecode") {
      // Entra sends `message` and `interval` and no `verification_uri_complete`.
      delete body.verification_uri_complete;
      body.interval = deviceInterval;
      body.message = `To sign in, use a web browser to open the page ${body.verification_uri} ` +
        `and enter the code ${body.user_code} to authenticate.`;
    }
  };
}

/** A form field of the request body, when oidc-provider got as far as parsing it. */
function formValue(ctx: KoaContext, name: string): string | undefined {
  const v = ctx.oidc?.body?.[name] ?? ctx.oidc?.params?.[name];
  return typeof v === "string" ? v : undefined;
}

function errorContext(ctx: KoaContext): ErrorContext {
  const basic = basicCredentials(ctx.get("authorization"));
  const assertion = formValue(ctx, "client_assertion");
  const presented = assertion
    ? "assertion"
    : basic || formValue(ctx, "client_secret")
    ? "secret"
    : "none";
  return {
    clientId: formValue(ctx, "client_id") ?? basic?.id ?? assertionSubject(assertion),
    tenant: tenantOf(ctx),
    clientAuthMethod: ctx.oidc?.client?.clientAuthMethod,
    presented,
    grantType: formValue(ctx, "grant_type"),
  };
}

function basicCredentials(header: string): { id: string } | undefined {
  const m = /^Basic (.+)$/i.exec(header);
  if (!m) return undefined;
  try {
    const decoded = atob(m[1]);
    const colon = decoded.indexOf(":");
    return colon < 0 ? undefined : { id: decodeURIComponent(decoded.slice(0, colon)) };
  } catch {
    return undefined; // malformed header: oidc-provider already answered invalid_request
  }
}

function assertionSubject(jwt: string | undefined): string | undefined {
  try {
    const payload = JSON.parse(atob(jwt!.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    return typeof payload.sub === "string" ? payload.sub : undefined;
  } catch {
    return undefined;
  }
}
