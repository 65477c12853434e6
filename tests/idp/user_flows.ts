/**
 * The lab IdP's user sign-in behaviour, shaped like Entra where oidc-provider differs:
 *
 * - `offline_access` on /authorize adds `prompt=consent` (oidc-provider's OIDC rule would
 *   otherwise drop it and issue no refresh token), and MSAL's `prompt=select_account`,
 *   which oidc-provider rejects, becomes `login`;
 * - `IDP_AUTO_LOGIN=<user>` finishes login and consent without a browser (fast lane);
 * - device code: polling faster than the interval answers `slow_down` (+5 s per RFC 8628),
 *   an expired code answers `expired_token`, and `/__lab/device/approve` / `deny` stand in
 *   for a person on the device pages.
 * @module
 */

import type { ServerResponse } from "node:http";
import type Provider from "oidc-provider";
import type { KoaContext } from "./entra_shape.ts";
import type { LabControl } from "./lab_control.ts";
import { OIDC_SCOPES, resourceFromScopes, splitScopes } from "./resources.ts";
import { ROUTES } from "./provider.ts";

/** Device settings, in seconds. */
export interface DeviceSettings {
  /** Announced `interval`. */
  interval: number;
  /** Spacing the lab enforces (a stricter server than it announces, to provoke slow_down). */
  enforcedInterval: number;
}

/** A poll this early is still "on time" (timers and the network jitter a little). */
const POLL_TOLERANCE_MS = 250;

/** What the lab remembers about one device code. */
interface DeviceRecord {
  expiresAt: number;
  lastPoll: number;
  /** The client's interval as it should be now: announced, plus 5 s per slow_down sent. */
  clientMs: number;
}

type Next = () => Promise<void>;

/** Rewrites /authorize prompts the way Entra would accept them (see module doc). */
export async function authorizePrompts(ctx: KoaContext & LabKoa, next: Next): Promise<void> {
  if (ctx.path !== ROUTES.authorization || ctx.method !== "GET") return await next();
  const query = new URLSearchParams(ctx.querystring);
  const prompts = new Set(splitScopes(query.get("prompt") ?? undefined));
  if (prompts.delete("select_account")) prompts.add("login");
  if (splitScopes(query.get("scope") ?? undefined).includes("offline_access")) {
    prompts.add("consent");
  }
  if (prompts.size) query.set("prompt", [...prompts].join(" "));
  ctx.querystring = query.toString();
  // oidc-provider derives its mount path from originalUrl minus url: keep them in step,
  // or interaction URLs lose the /{tenant} prefix (test-lab notes §1.2).
  ctx.req.originalUrl = `/${ctx.req.labTenant}${ctx.url}`;
  await next();
}

/** The bits of Koa these middlewares touch beyond KoaContext. */
interface LabKoa {
  querystring: string;
  url: string;
  req: KoaContext["req"] & { originalUrl?: string };
}

/** Finishes every login and consent interaction at once as `user` (IDP_AUTO_LOGIN). */
export function autoLogin(provider: Provider, user: string) {
  return async function autoLoginMiddleware(
    ctx: KoaContext & { res: ServerResponse },
    next: Next,
  ): Promise<void> {
    if (ctx.method !== "GET" || !/^\/interaction\/[^/]+$/.test(ctx.path)) return await next();
    const details = await provider.interactionDetails(ctx.req, ctx.res);
    const { prompt, params, session, grantId } = details;
    if (prompt.name === "login") {
      await provider.interactionFinished(ctx.req, ctx.res, { login: { accountId: user } }, {
        mergeWithLastSubmission: false,
      });
      return;
    }
    const grant = grantId
      ? await provider.Grant.find(grantId)
      : new provider.Grant({ accountId: session?.accountId, clientId: params.client_id as string });
    const missing = prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    if (missing.missingOIDCScope) grant!.addOIDCScope(missing.missingOIDCScope.join(" "));
    if (missing.missingOIDCClaims) grant!.addOIDCClaims(missing.missingOIDCClaims);
    for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
      grant!.addResourceScope(resource, scopes.join(" "));
    }
    await provider.interactionFinished(ctx.req, ctx.res, {
      consent: { grantId: await grant!.save() },
    }, { mergeWithLastSubmission: true });
  };
}

/** Device-code polling rules and the approve/deny endpoints. */
export class DeviceLab {
  #codes = new Map<string, DeviceRecord>();

  constructor(
    private readonly provider: Provider,
    private readonly control: LabControl,
    private readonly settings: DeviceSettings,
  ) {
    control.route("POST /__lab/device/approve", (body) => this.approve(body));
    control.route("POST /__lab/device/deny", (body) => this.deny(body));
  }

  /** Koa middleware; registered inside `entraShaping` so its errors get Entra's shape. */
  middleware = async (ctx: KoaContext, next: Next): Promise<void> => {
    await next();
    if (ctx.method !== "POST") return;
    const body = ctx.body as Record<string, unknown> | undefined;
    if (ctx.path === ROUTES.device_authorization && ctx.status === 200 && body) {
      const now = Date.now();
      this.#codes.set(String(body.device_code), {
        expiresAt: now + Number(body.expires_in) * 1000,
        lastPoll: now,
        clientMs: this.settings.interval * 1000,
      });
    } else if (ctx.path === ROUTES.token && ctx.oidc?.params?.grant_type === DEVICE_GRANT) {
      this.#poll(ctx, body);
    }
  };

  /** Applies the rules to a poll oidc-provider has answered; may replace the answer. */
  #poll(ctx: KoaContext, body: Record<string, unknown> | undefined): void {
    const record = this.#codes.get(String(ctx.oidc.params.device_code));
    if (!record) return;
    const now = Date.now();
    const gap = now - record.lastPoll;
    record.lastPoll = now;
    this.control.recordDevicePoll(gap);
    if (now > record.expiresAt && ctx.status !== 200) {
      // oidc-provider forgets expired codes ("not found"); Entra says expired_token.
      ctx.status = 400;
      ctx.body = { error: "expired_token", error_description: "device code is expired" };
    } else if (body?.error === "authorization_pending" && gap < this.#requiredMs(record)) {
      record.clientMs += 5_000;
      this.control.countSlowDown();
      ctx.body = { error: "slow_down", error_description: "polled faster than the interval" };
    }
  }

  /** The spacing a poll must keep (tolerating a little timer and network jitter). */
  #requiredMs(record: DeviceRecord): number {
    return Math.max(this.settings.enforcedInterval * 1000, record.clientMs) - POLL_TOLERANCE_MS;
  }

  async approve(body: Record<string, unknown>): Promise<unknown> {
    const code = await this.#find(body.user_code);
    const accountId = typeof body.account === "string" && body.account ? body.account : "alice";
    const requested = splitScopes(String(code.params?.scope ?? ""));
    const grant = new this.provider.Grant({ accountId, clientId: code.clientId });
    grant.addOIDCScope(requested.filter((s) => OIDC_SCOPES.has(s)).join(" "));
    const resource = resourceFromScopes(requested.join(" "));
    const resourceScopes = requested.filter((s) => !OIDC_SCOPES.has(s));
    if (resource) grant.addResourceScope(resource, resourceScopes.join(" "));
    Object.assign(code, {
      accountId,
      grantId: await grant.save(),
      authTime: Math.floor(Date.now() / 1000),
      scope: requested.join(" "),
      ...(resource ? { resource } : {}),
    });
    await code.save();
    return { ok: true, account: accountId };
  }

  async deny(body: Record<string, unknown>): Promise<unknown> {
    const code = await this.#find(body.user_code);
    Object.assign(code, { error: "access_denied", errorDescription: "End-User denied" });
    await code.save();
    return { ok: true };
  }

  async #find(userCode: unknown) {
    const normalized = String(userCode ?? "").toUpperCase().replace(/\W/g, "");
    const code = await this.provider.DeviceCode.findByUserCode(normalized, {
      ignoreExpiration: true,
    });
    if (!code) throw new Error(`no device code with user_code ${JSON.stringify(userCode)}`);
    return code as typeof code & { params?: Record<string, unknown>; clientId: string };
  }
}

const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";
