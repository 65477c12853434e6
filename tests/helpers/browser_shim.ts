// deno-lint-ignore-file no-console -- a standalone program: its stderr is the CLI's stderr
/**
 * A `BROWSER` for end-to-end tests. The CLI launches it with the sign-in URL appended, as it
 * would launch Firefox; it then plays the person:
 *
 *   browser_shim.ts <authorize-url>                  sign in, stop on the loopback redirect
 *   browser_shim.ts --device <verification-uri> <user-code>    enter the code, sign in
 *
 * Env (baked into the wrapper script by `writeBrowserShim`):
 * - SHIM_DRIVER  `chromium` (default): real headless Chromium through the IdP's login and
 *   consent pages; `fetch`: follow redirects with a cookie jar (needs IDP_AUTO_LOGIN);
 *   `idle`: do nothing and exit 0 (a browser nobody uses).
 * - SHIM_ACCOUNT  login name (default alice).
 * - SHIM_FORGE_STATE=1  first send forged redirects (wrong state, no state) to the listener.
 * - SHIM_CANCEL=1  press Cancel on the consent page (the IdP redirects with access_denied).
 * @module
 */
import { chromium, type Page } from "playwright-core";

const env = (name: string) => Deno.env.get(name) ?? "";
const account = env("SHIM_ACCOUNT") || "alice";
/** Progress on stderr; once the CLI has its redirect and exits, nobody reads it any more. */
const log = (line: string) => {
  try {
    console.error(`[browser-shim] ${line}`);
  } catch { /* broken pipe */ }
};

/** The listener binds 127.0.0.1; Deno's fetch may try ::1 first for "localhost". */
function ipv4(url: string): string {
  const u = new URL(url);
  if (u.hostname === "localhost") u.hostname = "127.0.0.1";
  return u.href;
}

async function forgeRedirects(redirectUri: string): Promise<void> {
  for (const query of ["?code=forged&state=not-the-real-one", "?code=forged"]) {
    const res = await fetch(ipv4(`${redirectUri}${query}`));
    await res.body?.cancel();
    log(`forged redirect ${query} answered ${res.status}`);
    if (res.status !== 400) {
      throw new Error(`the listener accepted a forged redirect (${res.status})`);
    }
  }
}

/** The fast lane: every interaction finishes at once (IDP_AUTO_LOGIN), so redirects suffice. */
async function followRedirects(start: string, redirectUri: string): Promise<void> {
  const jar = new Map<string, { value: string; path: string }>();
  let url = start;
  for (let hop = 0; hop < 20; hop++) {
    if (url.startsWith(redirectUri)) {
      const res = await fetch(ipv4(url));
      log(`landed on the redirect: ${res.status}`);
      await res.body?.cancel();
      return;
    }
    const path = new URL(url).pathname;
    const cookie = [...jar].filter(([, c]) => path.startsWith(c.path))
      .map(([name, c]) => `${name}=${c.value}`).join("; ");
    const res = await fetch(url, { redirect: "manual", headers: cookie ? { cookie } : {} });
    await res.body?.cancel();
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const at = pair.indexOf("=");
      const p = attrs.map((a) => a.trim()).find((a) => /^path=/i.test(a))?.slice(5) || "/";
      jar.set(pair.slice(0, at).trim(), { value: pair.slice(at + 1), path: p });
    }
    const location = res.headers.get("location");
    if (res.status < 300 || res.status >= 400 || !location) {
      throw new Error(`${url} answered ${res.status} without a redirect (is IDP_AUTO_LOGIN set?)`);
    }
    url = new URL(location, url).href;
  }
  throw new Error("too many redirects");
}

/** One step on whatever page the IdP shows; returns false when nothing matched. */
async function act(page: Page, userCode: string | undefined): Promise<boolean> {
  const click = async (selector: string) => {
    await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.click(selector)]);
  };
  // The confirm page carries the code again as a hidden field: look for it first.
  if (await page.locator('button[form="op.deviceConfirmForm"]').count()) {
    await click('button[form="op.deviceConfirmForm"]:not([name="abort"])');
  } else if (userCode && await page.locator('input[name="user_code"][type="text"]').count()) {
    await page.fill('input[name="user_code"]', userCode);
    await click('button[form="op.deviceInputForm"]');
  } else if (await page.locator('input[name="login"]').count()) {
    await page.fill('input[name="login"]', account);
    await page.fill('input[name="password"]', "any-password");
    await click("button.login-submit");
  } else if (await page.locator('input[name="prompt"][value="consent"]').count()) {
    await click(env("SHIM_CANCEL") ? 'a[href*="/abort"]' : "button.login-submit");
  } else {
    return false;
  }
  return true;
}

/** Real Chromium (flags from the test-lab notes §3), headless, throwaway profile. */
async function withChromium(run: (page: Page) => Promise<void>): Promise<void> {
  const profile = await Deno.makeTempDir({ prefix: "shim-chromium-" });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: env("SHIM_CHROMIUM") || "/usr/bin/chromium",
    headless: true,
    ignoreHTTPSErrors: true, // the IdP's throwaway CA
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
  try {
    // The IdP's built-in pages @import Google Fonts; there is no network for that.
    await context.route(/fonts\.(googleapis|gstatic)\.com/, (route) => route.abort());
    await run(context.pages()[0] ?? await context.newPage());
  } finally {
    await context.close();
    await Deno.remove(profile, { recursive: true }).catch(() => {});
  }
}

async function signIn(
  page: Page,
  start: string,
  done: () => Promise<boolean>,
  userCode?: string,
) {
  await page.goto(start, { waitUntil: "load" });
  for (let step = 0; step < 12 && !await done(); step++) {
    if (!await act(page, userCode)) {
      throw new Error(
        `no known form on ${page.url()}: ${(await page.textContent("body"))?.trim()}`,
      );
    }
  }
  if (!await done()) throw new Error(`still not done after 12 steps, at ${page.url()}`);
}

async function main(args: string[]): Promise<void> {
  const driver = env("SHIM_DRIVER") || "chromium";
  if (driver === "idle") return log("idle: not opening anything");
  if (args[0] === "--device") {
    const [, uri, code] = args;
    await withChromium(async (page) => {
      await signIn(page, uri, async () => await page.title() === "Sign-in Success", code);
      log("device page: Sign-in Success");
    });
    return;
  }
  const start = args[0];
  const redirectUri = new URL(start).searchParams.get("redirect_uri") ?? "";
  if (env("SHIM_FORGE_STATE")) await forgeRedirects(redirectUri);
  if (driver === "fetch") return await followRedirects(start, redirectUri);
  await withChromium(async (page) => {
    await signIn(page, start, () => Promise.resolve(page.url().startsWith(redirectUri)));
    log(`landed on the redirect: ${(await page.textContent("h1"))?.trim()}`);
  });
}

try {
  await main(Deno.args);
} catch (err) {
  log(`failed: ${err instanceof Error ? err.message : err}`);
  Deno.exit(1);
}
