/**
 * The device-code polling rules as a pure function, tested without timers:
 * wait `interval` between polls, add 5 s on `slow_down`, stop on a final error
 * or when the code expires (or `--timeout` runs out), one last poll at the end.
 * @see https://www.rfc-editor.org/rfc/rfc8628#section-3.5
 */

/** RFC 8628: on `slow_down` the interval grows by 5 s for all later polls. */
export const SLOW_DOWN_STEP_MS = 5_000;

/** RFC 8628's default when the server names no interval. */
export const DEFAULT_INTERVAL_MS = 5_000;

/** Where the polling stands. */
export interface PollState {
  intervalMs: number;
  /** When the device code stops being valid (epoch ms). */
  expiresAt: number;
  /** When we stop waiting: `expiresAt`, or sooner with --timeout. */
  deadline: number;
}

/** What the last poll said (`start` before the first one). */
export type PollResult =
  | { kind: "start" }
  | { kind: "pending" }
  | { kind: "slow_down" }
  | { kind: "token" }
  | { kind: "error"; error: string };

/** Why polling ended without a token. */
export type StopReason = "declined" | "expired" | "bad_code" | "timeout" | "failed";

/** What to do next. */
export type PollStep =
  | { action: "wait"; delayMs: number; state: PollState }
  | { action: "done" }
  | { action: "stop"; reason: StopReason };

const FINAL_ERRORS: Record<string, StopReason> = {
  authorization_declined: "declined",
  access_denied: "declined", // RFC 8628's name for the same thing
  expired_token: "expired",
  bad_verification_code: "bad_code",
};

/** The next step after `result`, at time `now` (epoch ms). */
export function nextPoll(state: PollState, result: PollResult, now: number): PollStep {
  if (result.kind === "token") return { action: "done" };
  if (result.kind === "error") {
    return { action: "stop", reason: FINAL_ERRORS[result.error] ?? "failed" };
  }
  const next = result.kind === "slow_down"
    ? { ...state, intervalMs: state.intervalMs + SLOW_DOWN_STEP_MS }
    : state;
  if (now >= next.deadline) {
    return { action: "stop", reason: next.deadline < next.expiresAt ? "timeout" : "expired" };
  }
  // Never sleep past the deadline: the last poll happens right at it.
  return { action: "wait", delayMs: Math.min(next.intervalMs, next.deadline - now), state: next };
}
