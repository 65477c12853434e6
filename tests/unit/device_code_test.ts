/** DeviceCode in-process: a scripted Entra and a fake clock (sleeps advance it at once). */
import assert from "node:assert/strict";
import { rejection } from "../helpers/util.ts";
import { buildAuthority } from "../../src/entra/authority.ts";
import { exitCodeFor, ServiceError } from "../../src/errors.ts";
import { signIn, type SignInRequest } from "../../src/flows/sign_in.ts";
import type { SignInOptions } from "../../src/flows/sign_in_options.ts";
import { createReporter } from "../../src/output/reporter.ts";
import { mayAskPerson } from "../../src/token/acquire.ts";
import { fakeDeps } from "../helpers/fake_deps.ts";

const authority = buildAuthority("https://login.example", "7e57c0de-0000-4000-8000-000000000001");
const MESSAGE = "To sign in, use a web browser to open the page https://login.example/device " +
  "and enter the code ABCD-1234 to authenticate.";

type Answer = "pending" | "slow_down" | "token" | "declined" | "expired" | "bad_code" | "blocked";

const ERRORS: Record<string, [string, number]> = {
  pending: ["authorization_pending", 70016],
  slow_down: ["slow_down", 70016],
  declined: ["authorization_declined", 70000],
  expired: ["expired_token", 70019],
  bad_code: ["bad_verification_code", 70018],
  blocked: ["invalid_grant", 53003],
};

/** Entra's devicecode and token endpoints, answering polls from a script. */
function scriptedEntra(answers: Answer[], device: Record<string, unknown> = {}) {
  const polls: URLSearchParams[] = [];
  const requests: string[] = [];
  let onPoll: (() => void) | undefined;
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    requests.push(request.url);
    const form = new URLSearchParams(await request.text());
    if (request.url === authority.deviceCodeEndpoint) {
      return Response.json({
        device_code: "dc-1",
        user_code: "ABCD-1234",
        verification_uri: "https://login.example/device",
        expires_in: 900,
        interval: 5,
        message: MESSAGE,
        ...device,
        scope_sent: form.get("scope"),
      });
    }
    polls.push(form);
    onPoll?.();
    const answer = answers.shift() ?? "pending";
    if (answer === "token") {
      return Response.json({
        access_token: "at-dev",
        token_type: "Bearer",
        expires_in: 3600,
        refresh_token: "rt-dev",
      });
    }
    const [error, code] = ERRORS[answer];
    return Response.json({
      error,
      error_description: `AADSTS${code}: ${error} from the script.\r\nTrace ID: t-1`,
      error_codes: [code],
      trace_id: "t-1",
      correlation_id: "c-1",
    }, { status: 400 });
  };
  return {
    fetch: fetch as typeof globalThis.fetch,
    polls,
    requests,
    set onPoll(f: () => void) {
      onPoll = f;
    },
  };
}

function setup(answers: Answer[], o: { silent?: boolean; device?: Record<string, unknown> } = {}) {
  const deps = fakeDeps();
  const entra = scriptedEntra(answers, o.device);
  const fake = deps.clockFake;
  // Like the real clock, a sleep under an aborted signal rejects with its reason.
  deps.clock = {
    now: fake.now,
    sleep: (ms, signal) => signal?.aborted ? Promise.reject(signal.reason) : fake.sleep(ms),
  };
  const reporter = createReporter(deps.io, deps.env, { silent: o.silent });
  const run = (req: Partial<SignInRequest> = {}, options: SignInOptions = {}) =>
    signIn({
      flow: "DeviceCode",
      authority,
      clientId: "app-1",
      scopes: ["User.Read"],
      options,
      mayAskPerson: true,
      profile: "me",
      ...req,
    }, { deps, reporter, fetch: entra.fetch });
  return { deps, entra, run, sleeps: () => fake.sleeps };
}

Deno.test("DeviceCode: message on stderr (even --silent), interval, +5 s on slow_down", async () => {
  const { deps, entra, run, sleeps } = setup(["pending", "slow_down", "pending", "token"], {
    silent: true,
  });
  const token = await run();
  assert.equal(token.accessToken, "at-dev");
  assert.equal(token.refreshToken, "rt-dev");
  assert.equal(deps.err(), `${MESSAGE}\n`);
  assert.deepEqual(sleeps(), [5_000, 5_000, 10_000, 10_000]);
  assert.equal(entra.polls.length, 4);
  assert.equal(
    entra.polls[0].get("grant_type"),
    "urn:ietf:params:oauth:grant-type:device_code",
  );
  assert.equal(entra.polls[0].get("device_code"), "dc-1");
  assert.equal(entra.polls[0].get("client_secret"), null);
  assert.equal(deps.out(), "");
});

Deno.test("DeviceCode: scopes, and the URL + code when Entra sends no message", async () => {
  const { deps, entra, run } = setup(["token"], { device: { message: undefined } });
  await run();
  assert.equal(entra.requests[0], authority.deviceCodeEndpoint);
  assert.match(
    deps.err(),
    /^To sign in, use a web browser to open https:\/\/login\.example\/device and enter the code ABCD-1234\n/,
  );
  assert.match(deps.err(), /Waiting for authentication/);
});

Deno.test("DeviceCode: final errors are exit 4 with Entra's code and a hint", async (t) => {
  const cases: [Answer, string, RegExp][] = [
    ["declined", "ENTRA_AUTHORIZATION_DECLINED", /declined/],
    ["expired", "ENTRA_EXPIRED_TOKEN", /Request a new code/],
    ["bad_code", "ENTRA_BAD_VERIFICATION_CODE", /Request a new code/],
  ];
  for (const [answer, code, hint] of cases) {
    await t.step(answer, async () => {
      const { entra, run } = setup(["pending", answer]);
      const err = await rejection(run());
      assert.equal(err.code, code);
      assert.equal(exitCodeFor(err), 4);
      assert.match(err.hints[0], hint);
      assert.ok(err.hints.some((h) => h.includes("Trace ID: t-1")));
      assert.equal(entra.polls.length, 2);
    });
  }
});

Deno.test("DeviceCode: blocked by Conditional Access suggests the browser flow", async () => {
  const { run } = setup(["blocked"]);
  const err = await rejection(run());
  assert.equal(exitCodeFor(err), 4);
  assert.match(err.hints[0], /--flow InteractiveBrowser/);
});

Deno.test("DeviceCode: stops when the code expires, or at --timeout", async (t) => {
  await t.step("expires_in 12 s, interval 5 s: polls at 5, 10 and 12 s, then exit 4", async () => {
    const { entra, run, sleeps } = setup([], { device: { expires_in: 12 } });
    const err = await rejection(run());
    assert.equal(err.code, "DEVICE_CODE_EXPIRED");
    assert.equal(exitCodeFor(err), 4);
    assert.match(err.hints[0], /Request a new code/);
    assert.deepEqual(sleeps(), [5_000, 5_000, 2_000]);
    assert.equal(entra.polls.length, 3);
  });
  await t.step("--timeout 7s ends it sooner", async () => {
    const { run, sleeps } = setup([]);
    const err = await rejection(run({}, { timeoutMs: 7_000 }));
    assert.equal(err.code, "SIGN_IN_TIMEOUT");
    assert.equal(exitCodeFor(err), 4);
    assert.deepEqual(sleeps(), [5_000, 2_000]);
  });
});

Deno.test("DeviceCode: a few network failures while polling are waited out", async (t) => {
  const network = () => new ServiceError("NETWORK", "cannot reach login.example: reset");
  await t.step("three in a row, then the token", async () => {
    const { entra, run } = setup(["token"]);
    let failing = 3;
    entra.onPoll = () => {
      if (failing-- > 0) throw network();
    };
    assert.equal((await run()).accessToken, "at-dev");
    assert.equal(entra.polls.length, 4);
  });
  await t.step("a fourth gives up with the network error (exit 5)", async () => {
    const { entra, run } = setup([]);
    entra.onPoll = () => {
      throw network();
    };
    const err = await rejection(run());
    assert.equal(err.code, "NETWORK");
    assert.equal(exitCodeFor(err), 5);
    assert.equal(entra.polls.length, 4);
  });
});

Deno.test("DeviceCode: Ctrl-C stops polling with exit 130", async () => {
  const { deps, entra, run } = setup(["pending", "pending", "pending"]);
  entra.onPoll = () => deps.interruptsFake.interrupt();
  const err = await rejection(run());
  assert.equal(exitCodeFor(err), 130);
  assert.equal(entra.polls.length, 1);
  assert.equal(deps.interruptsFake.held, 0);
});

Deno.test("no display: InteractiveBrowser says so and signs in with a device code", async () => {
  const { deps, run } = setup(["token"]);
  deps.browserFake.display = false;
  const token = await run({ flow: "InteractiveBrowser" });
  assert.equal(token.flow, "DeviceCode");
  assert.equal(deps.browserFake.opened.length, 0);
  assert.match(deps.err(), /^No display detected\. Falling back to device code flow\.\n/);
  assert.ok(deps.err().includes(MESSAGE));
});

Deno.test("no display but --no-browser: still the browser flow (the person opens the URL)", async () => {
  const { deps, run } = setup([]);
  deps.browserFake.display = false;
  await assert.rejects(run({ flow: "InteractiveBrowser" }, { openBrowser: false }), /no listener/);
  assert.doesNotMatch(deps.err(), /No display/);
});

Deno.test("interaction policy: nobody to ask → exit 4 at once, nothing sent", async (t) => {
  await t.step("the rule", () => {
    const io = (stdin: boolean, stderr: boolean, stdout = false) => ({
      ...fakeDeps().io,
      isTerminal: { stdin, stdout, stderr },
    });
    assert.equal(mayAskPerson(true, io(false, false)), true);
    assert.equal(mayAskPerson(false, io(true, false)), true);
    assert.equal(mayAskPerson(false, io(false, true)), true);
    assert.equal(mayAskPerson(false, io(false, false, true)), false); // stdout alone is not a person
    assert.equal(mayAskPerson(false, io(false, false)), false);
  });
  for (const flow of ["InteractiveBrowser", "DeviceCode", "AuthorizationCode"] as const) {
    await t.step(flow, async () => {
      const { deps, entra, run } = setup(["token"]);
      const err = await rejection(run({ flow, mayAskPerson: false }));
      assert.equal(err.code, "INTERACTION_REQUIRED");
      assert.equal(exitCodeFor(err), 4);
      assert.ok(err.hints.some((h) => h.includes(`--flow ${flow}`)));
      assert.equal(entra.requests.length, 0);
      assert.equal(deps.browserFake.opened.length, 0);
    });
  }
});
