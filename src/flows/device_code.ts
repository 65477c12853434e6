/**
 * DeviceCode (SPEC §5): ask Entra for a code, show its message (a person must
 * see it, so even --silent does not hide it), then poll until someone signs in
 * on another device, following the rules in device_poll.ts.
 * @see https://learn.microsoft.com/entra/identity-platform/v2-oauth2-device-code
 */
import * as oauth from "oauth4webapi";
import { InteractionError, ServiceError } from "../errors.ts";
import { aadstsCode, entraError, type EntraErrorBody } from "../entra/errors.ts";
import { clockTime, startSpinner } from "../output/spinner.ts";
import { authorizationServer } from "./client_credentials.ts";
import {
  DEFAULT_INTERVAL_MS,
  nextPoll,
  type PollResult,
  type PollState,
  type StopReason,
} from "./device_poll.ts";
import type { SignInContext, SignInTarget } from "./sign_in_options.ts";
import { errorFromResponse, type TokenSet } from "./token_response.ts";
import {
  formatWait,
  signInRequestOptions,
  unlessInterrupted,
  userScopes,
  userTokenSet,
} from "./user_token.ts";

/** Polls in a row that may fail on the network before the flow gives up. */
const MAX_NETWORK_FAILURES = 3;

/** Runs the flow. */
export async function deviceCode(target: SignInTarget, ctx: SignInContext): Promise<TokenSet> {
  const code = await requestDeviceCode(target, ctx);
  ctx.deps.io.stderr.write(`${instructions(code)}\n`);
  const now = ctx.deps.clock.now();
  const expiresAt = now + code.expires_in * 1000;
  const limit = target.options.timeoutMs;
  let state: PollState = {
    intervalMs: code.interval !== undefined ? code.interval * 1000 : DEFAULT_INTERVAL_MS,
    expiresAt,
    deadline: limit === undefined ? expiresAt : Math.min(expiresAt, now + limit),
  };
  // On a terminal a spinner counts down; elsewhere one plain line says the same.
  const spinner = startSpinner(
    ctx.deps.io,
    ctx.deps.env,
    () =>
      `Waiting for authentication... ${
        clockTime(state.deadline - ctx.deps.clock.now())
      } left (Ctrl-C to cancel)`,
    !ctx.reporter.silent,
  );
  if (!spinner.active) ctx.reporter.info("Waiting for authentication... (Ctrl-C to cancel)");
  try {
    let step = nextPoll(state, { kind: "start" }, now);
    let last: Poll = { kind: "start" };
    let failures = 0;
    while (step.action === "wait") {
      state = step.state;
      await ctx.deps.clock.sleep(step.delayMs, ctx.signal);
      // A sign-in may take minutes: a network failure the retries did not clear counts as
      // "still pending" a few times in a row instead of throwing the person's work away.
      last = await poll(target, code.device_code, ctx).then((p) => (failures = 0, p), (err) => {
        const network = err instanceof ServiceError && err.code === "NETWORK";
        if (!network || ++failures > MAX_NETWORK_FAILURES) throw err;
        ctx.reporter.debug(`poll failed (${err.message}); trying again at the next interval`);
        return { kind: "pending" } as Poll;
      });
      if (last.kind === "token") return last.token;
      step = nextPoll(state, last, ctx.deps.clock.now());
    }
    throw stopError(step.action === "stop" ? step.reason : "failed", last, limit);
  } finally {
    spinner.stop();
  }
}

/** POST /devicecode; Entra sends `message` and no `verification_uri_complete`. */
async function requestDeviceCode(target: SignInTarget, ctx: SignInContext) {
  const as = authorizationServer(target.authority);
  const client: oauth.Client = { client_id: target.clientId };
  const flowDeps = { fetch: ctx.fetch, clock: ctx.deps.clock };
  const response = await unlessInterrupted(ctx.signal, () =>
    oauth.deviceAuthorizationRequest(
      as,
      client,
      oauth.None(),
      { scope: userScopes(target.scopes).join(" ") },
      signInRequestOptions(target.authority, flowDeps, ctx.signal),
    ));
  if (!response.ok) throw await errorFromResponse(response);
  try {
    return await oauth.processDeviceAuthorizationResponse(as, client, response);
  } catch (err) {
    throw new ServiceError(
      "DEVICE_CODE_RESPONSE_INVALID",
      "the devicecode endpoint sent an invalid response",
      {
        cause: err,
        hints: ["Run with --verbose for details"],
      },
    );
  }
}

/** Entra's own sentence when it sends one; otherwise the URL and the code. */
function instructions(code: oauth.DeviceAuthorizationResponse): string {
  if (typeof code.message === "string" && code.message.trim()) return code.message.trim();
  return `To sign in, use a web browser to open ${code.verification_uri} and enter the code ${code.user_code}`;
}

/** One poll's outcome, with the token or Entra's error body. */
type Poll =
  | Exclude<PollResult, { kind: "token" | "error" }>
  | { kind: "token"; token: TokenSet }
  | { kind: "error"; error: string; body: EntraErrorBody; status: number };

async function poll(target: SignInTarget, deviceCode: string, ctx: SignInContext): Promise<Poll> {
  const as = authorizationServer(target.authority);
  const client: oauth.Client = { client_id: target.clientId };
  const started = ctx.deps.clock.now();
  const response = await unlessInterrupted(ctx.signal, () =>
    oauth.deviceCodeGrantRequest(
      as,
      client,
      oauth.None(),
      deviceCode,
      signInRequestOptions(
        target.authority,
        { fetch: ctx.fetch, clock: ctx.deps.clock },
        ctx.signal,
      ),
    ));
  if (response.ok) {
    const token = await userTokenSet(
      response,
      { authority: target.authority, clientId: target.clientId, started, scopes: target.scopes },
      (as, client, r) => oauth.processDeviceCodeResponse(as, client, r),
    );
    return { kind: "token", token };
  }
  const body = await errorBody(response);
  if (body.error === "authorization_pending") return { kind: "pending" };
  if (body.error === "slow_down") return { kind: "slow_down" };
  return { kind: "error", error: body.error, body, status: response.status };
}

/** An OAuth error body; anything else (a proxy page, an outage) ends the flow here. */
async function errorBody(response: Response): Promise<EntraErrorBody> {
  const copy = response.clone();
  try {
    const body = await response.json();
    if (typeof body?.error === "string") return body;
  } catch { /* not JSON */ }
  throw await errorFromResponse(copy);
}

const HINTS: Partial<Record<StopReason, string>> = {
  expired: "Request a new code: run the command again and sign in within the time shown",
  bad_code: "Request a new code: run the command again",
  declined: "The sign-in was declined; run the command again to sign in",
};

/**
 * Conditional Access often blocks device-code sign-in on purpose (Microsoft advises it;
 * peers' pain point #5): device compliance, sign-in risk, or the device-code flow itself.
 */
const CONDITIONAL_ACCESS = new Set([53000, 53001, 53003, 50097, 530032, 530033]);

/** The error for a polling that ended without a token (exit 4 unless Entra says otherwise). */
function stopError(reason: StopReason, last: Poll, limit: number | undefined): Error {
  if (last.kind === "error") {
    const err = entraError(last.body, last.status);
    if (HINTS[reason]) err.hints.unshift(HINTS[reason]);
    if (CONDITIONAL_ACCESS.has(aadstsCode(last.body) ?? 0)) {
      err.hints.unshift("Conditional Access may block device codes: try --flow InteractiveBrowser");
    }
    return err;
  }
  if (reason === "timeout") {
    return new InteractionError(
      "SIGN_IN_TIMEOUT",
      `nobody signed in within ${formatWait(limit ?? 0)}`,
      {
        hints: ["Run the command again, or allow longer with --timeout"],
      },
    );
  }
  return new InteractionError(
    "DEVICE_CODE_EXPIRED",
    "the device code expired before anyone signed in",
    {
      hints: [HINTS.expired!],
    },
  );
}
