import assert from "node:assert/strict";
import { nextPoll, type PollResult, type PollState } from "../../src/flows/device_poll.ts";

const state = (o: Partial<PollState> = {}): PollState => ({
  intervalMs: 5_000,
  expiresAt: 100_000,
  deadline: 100_000,
  ...o,
});

Deno.test("nextPoll: the device-code polling rules", async (t) => {
  const table: [string, PollState, PollResult, number, unknown][] = [
    ["start: wait one interval", state(), { kind: "start" }, 0, {
      action: "wait",
      delayMs: 5_000,
      state: state(),
    }],
    ["pending: wait again", state(), { kind: "pending" }, 50_000, {
      action: "wait",
      delayMs: 5_000,
      state: state(),
    }],
    ["slow_down: +5 s, kept for later polls", state(), { kind: "slow_down" }, 10_000, {
      action: "wait",
      delayMs: 10_000,
      state: state({ intervalMs: 10_000 }),
    }],
    ["slow_down twice adds up", state({ intervalMs: 10_000 }), { kind: "slow_down" }, 0, {
      action: "wait",
      delayMs: 15_000,
      state: state({ intervalMs: 15_000 }),
    }],
    ["never sleeps past the deadline: one last poll at it", state(), { kind: "pending" }, 97_000, {
      action: "wait",
      delayMs: 3_000,
      state: state(),
    }],
    ["code expired", state(), { kind: "pending" }, 100_000, { action: "stop", reason: "expired" }],
    ["--timeout ran out first", state({ deadline: 30_000 }), { kind: "pending" }, 30_001, {
      action: "stop",
      reason: "timeout",
    }],
    ["token: done", state(), { kind: "token" }, 1, { action: "done" }],
    ["authorization_declined", state(), { kind: "error", error: "authorization_declined" }, 1, {
      action: "stop",
      reason: "declined",
    }],
    ["access_denied (RFC name)", state(), { kind: "error", error: "access_denied" }, 1, {
      action: "stop",
      reason: "declined",
    }],
    ["expired_token", state(), { kind: "error", error: "expired_token" }, 1, {
      action: "stop",
      reason: "expired",
    }],
    ["bad_verification_code", state(), { kind: "error", error: "bad_verification_code" }, 1, {
      action: "stop",
      reason: "bad_code",
    }],
    ["any other error", state(), { kind: "error", error: "invalid_client" }, 1, {
      action: "stop",
      reason: "failed",
    }],
  ];
  for (const [name, s, result, now, expected] of table) {
    await t.step(name, () => assert.deepEqual(nextPoll(s, result, now), expected));
  }
});
