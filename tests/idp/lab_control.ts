/**
 * Test-control state of the lab IdP: request counters, injected failures, the client
 * assertions it accepted (so tests can check what the CLI signed), and the
 * `/__lab/*` endpoints that expose them. Tests use the counters to prove caching ("the
 * second get-token made no token request") and the failures to drive retry logic.
 *
 * No authentication: the server only listens on 127.0.0.1, so only local tests reach it.
 * @module
 */

import { Buffer } from "node:buffer";
import type { IncomingMessage, ServerResponse } from "node:http";

/** Requests seen per endpoint; `token` is split by `grant_type` ("missing" when absent). */
export interface LabStats {
  token: Record<string, number>;
  devicecode: number;
  authorize: number;
  discovery: number;
  jwks: number;
  other: number;
  /** Requests answered by an injected failure (also counted under their endpoint). */
  injectedFailures: number;
  /** Device-code polling as the lab saw it. */
  device: {
    /** `slow_down` answers sent. */
    slowDowns: number;
    /** Milliseconds between consecutive polls of a code (the first: since it was issued). */
    pollGapsMs: number[];
  };
}

/** Endpoints counted as plain numbers (the token endpoint is counted per grant type). */
export type CountedEndpoint = Exclude<keyof LabStats, "token" | "injectedFailures" | "device">;

/** A test-control endpoint added by another part of the lab: JSON in, JSON out. */
export type LabRoute = (body: Record<string, unknown>) => Promise<unknown>;

/** Endpoints a failure can be injected into. */
export type FailEndpoint = "token" | "devicecode";

/** One pending failure plan, as posted to `/__lab/fail`. */
export interface FailurePlan {
  status: number;
  count: number;
  retryAfter?: number;
  endpoint: FailEndpoint;
}

function emptyStats(): LabStats {
  return {
    token: {},
    devicecode: 0,
    authorize: 0,
    discovery: 0,
    jwks: 0,
    other: 0,
    injectedFailures: 0,
    device: { slowDowns: 0, pollGapsMs: [] },
  };
}

/** A verified client assertion as the IdP saw it: its JOSE header and claims (no signature). */
export interface SeenAssertion {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
}

/** Counters and failure plans, shared by the HTTP front and the provider middleware. */
export class LabControl {
  #stats = emptyStats();
  #plan: FailurePlan | undefined;
  #routes = new Map<string, LabRoute>();

  /** Adds an endpoint, keyed like `POST /__lab/device/approve`. */
  route(key: string, handler: LabRoute): void {
    this.#routes.set(key, handler);
  }

  /** Records the time since a device code's previous poll. */
  recordDevicePoll(gapMs: number): void {
    this.#stats.device.pollGapsMs.push(gapMs);
  }

  /** Counts one `slow_down` answer. */
  countSlowDown(): void {
    this.#stats.device.slowDowns++;
  }
  #assertions: SeenAssertion[] = [];

  /** Keeps a verified client assertion's header and claims for `GET /__lab/assertions`. */
  recordAssertion(seen: SeenAssertion): void {
    this.#assertions.push(seen);
  }

  /** Counts one request to an endpoint other than the token endpoint. */
  countRequest(endpoint: CountedEndpoint): void {
    this.#stats[endpoint]++;
  }

  /** Counts one token request under its grant type. */
  countGrant(grantType: unknown): void {
    const key = typeof grantType === "string" && grantType !== "" ? grantType : "missing";
    this.#stats.token[key] = (this.#stats.token[key] ?? 0) + 1;
  }

  /** Takes one injected failure for this endpoint, if one is pending. */
  takeFailure(endpoint: FailEndpoint): FailurePlan | undefined {
    const plan = this.#plan;
    if (!plan || plan.endpoint !== endpoint || plan.count <= 0) return undefined;
    plan.count--;
    if (plan.count === 0) this.#plan = undefined;
    this.#stats.injectedFailures++;
    return plan;
  }

  /** Serves `/__lab/health`, `/__lab/stats`, `/__lab/reset` and `/__lab/fail`. */
  async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const route = `${req.method} ${path}`;
    if (route === "GET /__lab/health") return sendJson(res, 200, { ok: true });
    if (route === "GET /__lab/stats") return sendJson(res, 200, this.#stats);
    if (route === "GET /__lab/assertions") return sendJson(res, 200, this.#assertions);
    if (route === "POST /__lab/reset") {
      this.#stats = emptyStats();
      this.#plan = undefined;
      this.#assertions = [];
      return sendJson(res, 200, { ok: true });
    }
    if (route === "POST /__lab/fail") {
      const plan = parsePlan(await readBody(req));
      if (typeof plan === "string") return sendJson(res, 400, { error: plan });
      this.#plan = plan;
      return sendJson(res, 200, { ok: true, ...plan });
    }
    const extra = this.#routes.get(route);
    if (extra) return await this.#serveRoute(extra, req, res);
    sendJson(res, 404, { error: `no lab endpoint ${route}` });
  }

  async #serveRoute(handler: LabRoute, req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse((await readBody(req)) || "{}");
    } catch {
      return sendJson(res, 400, { error: "body must be JSON" });
    }
    try {
      sendJson(res, 200, await handler(body ?? {}));
    } catch (err) {
      sendJson(res, 400, { error: err instanceof Error ? err.message : String(err) });
    }
  }
}

function parsePlan(text: string): FailurePlan | string {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text);
  } catch {
    return "body must be JSON";
  }
  const { status, count = 1, retryAfter, endpoint = "token" } = raw ?? {};
  if (!Number.isInteger(status) || (status as number) < 400 || (status as number) > 599) {
    return "status must be an integer 400..599";
  }
  if (!Number.isInteger(count) || (count as number) < 1) return "count must be a positive integer";
  if (retryAfter !== undefined && !(Number.isInteger(retryAfter) && (retryAfter as number) >= 0)) {
    return "retryAfter must be a non-negative integer (seconds)";
  }
  if (endpoint !== "token" && endpoint !== "devicecode") return "endpoint must be token|devicecode";
  return {
    status: status as number,
    count: count as number,
    retryAfter: retryAfter as number | undefined,
    endpoint,
  };
}

/** Reads a (small) request body as text. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

/** Writes a JSON response with the given status and extra headers. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    ...headers,
  });
  res.end(text);
}
