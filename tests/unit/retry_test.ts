import assert from "node:assert/strict";
import { createRetryingFetch, retryAfterMs } from "../../src/http/retry.ts";
import { ServiceError } from "../../src/errors.ts";
import { FakeClock } from "../helpers/fake_deps.ts";

function scripted(responses: (Response | Error)[]) {
  let calls = 0;
  const f: typeof fetch = () => {
    const next = responses[Math.min(calls++, responses.length - 1)];
    return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
  };
  return { f, calls: () => calls };
}

Deno.test("retries 503 then succeeds, with growing backoff", async () => {
  const clock = new FakeClock();
  const s = scripted([
    new Response("", { status: 503 }),
    new Response("", { status: 503 }),
    new Response("ok"),
  ]);
  const res = await createRetryingFetch(s.f, { clock, random: () => 0.5 })("https://h/x");
  assert.equal(res.status, 200);
  assert.equal(s.calls(), 3);
  assert.deepEqual(clock.sleeps, [500, 1000]);
});

Deno.test("honours Retry-After (seconds) on 429", async () => {
  const clock = new FakeClock();
  const s = scripted([
    new Response("", { status: 429, headers: { "retry-after": "2" } }),
    new Response("ok"),
  ]);
  await createRetryingFetch(s.f, { clock })("https://h/x");
  assert.deepEqual(clock.sleeps, [2000]);
});

Deno.test("does not retry 400", async () => {
  const clock = new FakeClock();
  const s = scripted([new Response("{}", { status: 400 }), new Response("ok")]);
  const res = await createRetryingFetch(s.f, { clock })("https://h/x");
  assert.equal(res.status, 400);
  assert.equal(s.calls(), 1);
});

Deno.test("gives up after the attempts and returns the last 5xx", async () => {
  const clock = new FakeClock();
  const s = scripted([new Response("", { status: 502 })]);
  const res = await createRetryingFetch(s.f, { clock, attempts: 3 })("https://h/x");
  assert.equal(res.status, 502);
  assert.equal(s.calls(), 3);
});

Deno.test("network errors become ServiceError NETWORK after retries", async () => {
  const clock = new FakeClock();
  const s = scripted([new TypeError("error sending request: Connection refused")]);
  await assert.rejects(
    createRetryingFetch(s.f, { clock, attempts: 2 })("https://h/x"),
    (e) =>
      e instanceof ServiceError && e.code === "NETWORK" && /Connection refused/.test(e.message),
  );
  assert.equal(s.calls(), 2);
});

Deno.test("TLS trust errors are not retried", async () => {
  const clock = new FakeClock();
  const s = scripted([new TypeError("invalid peer certificate: UnknownIssuer")]);
  await assert.rejects(createRetryingFetch(s.f, { clock })("https://h/x"), ServiceError);
  assert.equal(s.calls(), 1);
});

Deno.test("the total budget bounds a long Retry-After", async () => {
  const clock = new FakeClock();
  const s = scripted([new Response("", { status: 503, headers: { "retry-after": "3600" } })]);
  const res = await createRetryingFetch(s.f, { clock, budgetMs: 5000, maxDelayMs: 10_000 })(
    "https://h/x",
  );
  assert.equal(res.status, 503);
  assert.equal(s.calls(), 1);
});

Deno.test("retryAfterMs reads seconds and dates", () => {
  const now = Date.UTC(2026, 0, 1);
  const r = (v: string) => new Response("", { headers: { "retry-after": v } });
  assert.equal(retryAfterMs(r("3"), now), 3000);
  assert.equal(retryAfterMs(r(new Date(now + 5000).toUTCString()), now), 5000);
  assert.equal(retryAfterMs(r("soon"), now), undefined);
});

Deno.test("a connection dropped mid-TLS is retried", async () => {
  const clock = new FakeClock();
  const s = scripted([
    new TypeError("peer closed connection without sending TLS close_notify"),
    new Response("ok"),
  ]);
  const res = await createRetryingFetch(s.f, { clock })("https://h/x");
  assert.equal(res.status, 200);
  assert.equal(s.calls(), 2);
});
