/** The browser flows in-process: a real loopback listener, a fake browser, a fake Entra. */
import assert from "node:assert/strict";
import { rejection } from "../helpers/util.ts";
import type { Clock } from "../../src/deps.ts";
import { buildAuthority } from "../../src/entra/authority.ts";
import { exitCodeFor } from "../../src/errors.ts";
import { createCallbackWaiter } from "../../src/flows/loopback_callback.ts";
import { signIn, type SignInRequest } from "../../src/flows/sign_in.ts";
import { createReporter } from "../../src/output/reporter.ts";
import { listenLoopback } from "../../src/platform/loopback.ts";
import { type FakeDeps, fakeDeps } from "../helpers/fake_deps.ts";

const authority = buildAuthority("https://login.example", "contoso.example");

/** Sleeps that only end when aborted: the sign-in never times out by itself. */
const patientClock: Clock = {
  now: () => Date.now(),
  sleep: (_ms, signal) =>
    new Promise((_, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      signal?.addEventListener("abort", () => reject(signal.reason));
    }),
};

/** A token endpoint that records what it was sent. */
function fakeEntra() {
  const bodies: URLSearchParams[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    bodies.push(new URLSearchParams(await request.text()));
    return Response.json({
      access_token: "at-1",
      token_type: "Bearer",
      expires_in: 3600,
      refresh_token: "rt-1",
      scope: "https://graph.microsoft.com/User.Read",
    });
  };
  return { fetch: fetch as typeof globalThis.fetch, bodies };
}

function setup(o: { silent?: boolean; clock?: Clock } = {}) {
  const deps = fakeDeps({ listen: listenLoopback });
  deps.clock = o.clock ?? patientClock;
  const entra = fakeEntra();
  const reporter = createReporter(deps.io, deps.env, { silent: o.silent });
  const run = (req: Partial<SignInRequest> = {}) =>
    signIn({
      flow: "InteractiveBrowser",
      authority,
      clientId: "app-1",
      scopes: ["https://graph.microsoft.com/User.Read"],
      options: {},
      mayAskPerson: true,
      profile: "me",
      ...req,
    }, { deps, reporter, fetch: entra.fetch });
  return { deps, entra, run };
}

/** Plays the redirect the way Entra would, to the port in the authorize URL. */
async function redirect(authorizeUrl: string, query: Record<string, string>) {
  const u = new URL(authorizeUrl);
  const target = new URL(u.searchParams.get("redirect_uri")!);
  target.hostname = "127.0.0.1";
  target.search = new URLSearchParams(query).toString();
  const res = await fetch(target);
  return { status: res.status, html: await res.text() };
}

const stateOf = (url: string) => new URL(url).searchParams.get("state")!;

async function listenerClosed(deps: FakeDeps): Promise<boolean> {
  const u = new URL(new URL(deps.browserFake.opened[0]).searchParams.get("redirect_uri")!);
  try {
    await fetch(`http://127.0.0.1:${u.port}/`);
    return false;
  } catch {
    return true;
  }
}

Deno.test("callback handler: only our state on our path counts, once", async () => {
  const ignored: string[] = [];
  const w = createCallbackWaiter({ path: "/cb", state: "s1", onIgnored: (r) => ignored.push(r) });
  const at = (q: string, path = "/cb") => w.handler(new URL(`http://localhost:1${path}${q}`));
  assert.equal(at("?code=c&state=s1", "/favicon.ico").status, 404);
  assert.equal(at("?code=c").status, 400);
  assert.equal(at("?code=c&state=nope").status, 400);
  assert.equal(ignored.length, 2);
  let settled = false;
  w.result.then(() => settled = true);
  await Promise.resolve();
  assert.equal(settled, false);
  const ok = at("?code=c&state=s1");
  assert.equal(ok.status, 200);
  assert.match(ok.html, /Signed in/);
  assert.equal((await w.result).get("code"), "c");
  assert.equal(at("?code=d&state=s1").status, 410);
  assert.match(at("?state=s1&error=x").html, /already completed/);
});

Deno.test("InteractiveBrowser: PKCE, state, forged redirects ignored, one valid redirect", async () => {
  const { deps, entra, run } = setup();
  const pages: { status: number; html: string }[] = [];
  let person = Promise.resolve();
  deps.browserFake.onOpen = (url) =>
    person = (async () => {
      pages.push(await redirect(url, { code: "forged", state: "wrong" }));
      pages.push(await redirect(url, { code: "forged" }));
      pages.push(await redirect(url, { code: "the-code", state: stateOf(url) }));
    })();
  const token = await run();
  await person;
  assert.equal(token.accessToken, "at-1");
  assert.equal(token.refreshToken, "rt-1");
  assert.deepEqual(pages.map((p) => p.status), [400, 400, 200]);
  const url = new URL(deps.browserFake.opened[0]);
  const q = url.searchParams;
  assert.equal(url.origin + url.pathname, authority.authorizeEndpoint);
  assert.equal(q.get("response_type"), "code");
  assert.equal(q.get("code_challenge_method"), "S256");
  assert.match(q.get("redirect_uri")!, /^http:\/\/localhost:\d+$/);
  const port = Number(new URL(q.get("redirect_uri")!).port);
  assert.ok(port >= 49152 && port <= 65535, `port ${port}`);
  assert.deepEqual(q.get("scope")!.split(" "), [
    "openid",
    "profile",
    "offline_access",
    "https://graph.microsoft.com/User.Read",
  ]);
  const body = entra.bodies[0];
  assert.equal(body.get("grant_type"), "authorization_code");
  assert.equal(body.get("code"), "the-code");
  assert.equal(body.get("redirect_uri"), q.get("redirect_uri"));
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(body.get("code_verifier")!),
  );
  const challenge = btoa(String.fromCharCode(...new Uint8Array(digest)))
    .replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
  assert.equal(q.get("code_challenge"), challenge);
  assert.equal(body.get("client_secret"), null);
  assert.match(deps.err(), /Ignored a request to the sign-in listener: The state parameter/);
  assert.match(deps.err(), /✓ Authentication successful/);
  assert.ok(await listenerClosed(deps));
  assert.equal(deps.interruptsFake.held, 0);
});

Deno.test("InteractiveBrowser: Entra's error on the redirect is exit 4 with its text", async () => {
  const { deps, entra, run } = setup();
  let page = Promise.resolve("");
  deps.browserFake.onOpen = (url) =>
    void (page = redirect(url, {
      state: stateOf(url),
      error: "access_denied",
      error_description: "AADSTS65004: User declined to consent to access the app.",
    }).then((p) => p.html));
  const err = await rejection(run());
  assert.equal(exitCodeFor(err), 4);
  assert.equal(err.code, "ENTRA_ACCESS_DENIED");
  assert.match(err.message, /AADSTS65004: User declined to consent/);
  assert.match(await page, /Sign-in failed/);
  assert.equal(entra.bodies.length, 0);
  assert.ok(await listenerClosed(deps));
});

Deno.test("InteractiveBrowser: a redirect with our state but no code fails clearly", async () => {
  const { deps, run } = setup();
  deps.browserFake.onOpen = async (url) => void await redirect(url, { state: stateOf(url) });
  const err = await rejection(run());
  assert.equal(err.code, "CALLBACK_INVALID");
  assert.equal(exitCodeFor(err), 5);
});

Deno.test("InteractiveBrowser: nobody signs in → exit 4 after --timeout", async () => {
  const { deps, run } = setup({ clock: fakeDeps().clock }); // FakeClock: sleeps end at once
  const err = await rejection(run({ options: { timeoutMs: 2_000 } }));
  assert.equal(err.code, "SIGN_IN_TIMEOUT");
  assert.equal(exitCodeFor(err), 4);
  assert.match(err.message, /within 2 s/);
  assert.ok(await listenerClosed(deps));
});

Deno.test("InteractiveBrowser: Ctrl-C → exit 130, listener closed, trap released", async () => {
  const { deps, run } = setup();
  deps.browserFake.onOpen = () => deps.interruptsFake.interrupt();
  const err = await rejection(run());
  assert.equal(exitCodeFor(err), 130);
  assert.ok(await listenerClosed(deps));
  assert.equal(deps.interruptsFake.held, 0);
});

Deno.test("InteractiveBrowser: --no-browser and a failing launcher print the URL", async (t) => {
  await t.step("--no-browser: never launches; the URL shows even with --silent", async () => {
    const { deps, run } = setup({ silent: true });
    const pending = run({ options: { openBrowser: false } });
    await waitFor(() => deps.err().includes("http"));
    const url = deps.err().match(/https:\S+/)![0];
    assert.match(deps.err(), /^Open this URL in a browser to sign in:\n {2}https:/);
    await redirect(url, { code: "c", state: stateOf(url) });
    await pending;
    assert.equal(deps.browserFake.opened.length, 0);
    assert.doesNotMatch(deps.err(), /Waiting|✓/); // --silent hides the rest
  });
  await t.step("the launcher fails: the URL is printed and the wait goes on", async () => {
    const { deps, run } = setup();
    deps.browserFake.fail = true;
    const pending = run({ options: { showUrl: true } });
    await waitFor(() => deps.err().includes("Could not open a browser"));
    const url = deps.browserFake.opened[0];
    assert.match(deps.err(), /^Sign-in URL:\n {2}https:/);
    assert.ok(deps.err().includes(`Open this URL to sign in:\n  ${url}\n`));
    await redirect(url, { code: "c", state: stateOf(url) });
    assert.equal((await pending).accessToken, "at-1");
  });
});

Deno.test("InteractiveBrowser: a fixed port that is taken is exit 2", async () => {
  const busy = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const { run } = setup();
    const err = await rejection(run({ options: { port: (busy.addr as Deno.NetAddr).port } }));
    assert.equal(err.code, "PORT_IN_USE");
    assert.equal(exitCodeFor(err), 2);
  } finally {
    busy.close();
  }
});

Deno.test("AuthorizationCode: fixed redirect URI, client secret sent with PKCE", async (t) => {
  await t.step("the profile's redirect URI, used verbatim", async () => {
    const { deps, entra, run } = setup();
    const probe = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (probe.addr as Deno.NetAddr).port;
    probe.close();
    deps.browserFake.onOpen = async (url) =>
      void await redirect(url, { code: "c2", state: stateOf(url) });
    const token = await run({
      flow: "AuthorizationCode",
      redirectUri: `http://localhost:${port}/callback`,
      credential: () => Promise.resolve({ kind: "secret", secret: "s3cret" }),
    });
    assert.equal(token.accessToken, "at-1");
    const q = new URL(deps.browserFake.opened[0]).searchParams;
    assert.equal(q.get("redirect_uri"), `http://localhost:${port}/callback`);
    assert.equal(entra.bodies[0].get("client_secret"), "s3cret");
    assert.ok(entra.bodies[0].get("code_verifier"));
    assert.match(deps.err(), new RegExp(`Redirect URI: http://localhost:${port}/callback`));
    assert.match(deps.err(), /✓ Authorization code received/);
  });
  await t.step("--port does not apply; a non-loopback redirect cannot work", async () => {
    const { run } = setup();
    assert.equal(
      (await rejection(run({ flow: "AuthorizationCode", options: { port: 9 } }))).code,
      "PORT_NOT_APPLICABLE",
    );
    for (const redirectUri of ["https://app.example/cb", "http://example.com:8080", "nonsense"]) {
      const err = await rejection(run({ flow: "AuthorizationCode", options: { redirectUri } }));
      assert.equal(err.code, "REDIRECT_URI_UNSUPPORTED", redirectUri);
      assert.equal(exitCodeFor(err), 2);
    }
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(condition(), "condition never became true");
}
