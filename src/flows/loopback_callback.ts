/**
 * Deciding what each request to the loopback listener means. Only a request on
 * the redirect path that carries our `state` counts; anything else (a forged or
 * stale link, a port scanner, the browser's favicon) gets a small page and
 * changes nothing, so the real redirect can still complete the sign-in.
 */
import type { LoopbackReply } from "../deps.ts";
import { failurePage, ignoredPage, successPage } from "./callback_page.ts";

/** The listener's handler plus the one result it produces. */
export interface CallbackWaiter {
  handler: (url: URL) => LoopbackReply;
  /** The query of the first request with the right state (success or Entra's error). */
  result: Promise<URLSearchParams>;
}

/** What the waiter must match and whom it tells about ignored requests. */
export interface CallbackExpectation {
  /** Path of the redirect URI (`/` for `http://localhost:PORT`). */
  path: string;
  state: string;
  onIgnored?: (reason: string) => void;
}

/** Builds the handler for one sign-in. */
export function createCallbackWaiter(expect: CallbackExpectation): CallbackWaiter {
  let settle!: (params: URLSearchParams) => void;
  const result = new Promise<URLSearchParams>((resolve) => settle = resolve);
  let done = false;
  const ignore = (status: number, reason: string): LoopbackReply => {
    expect.onIgnored?.(reason);
    return { status, html: ignoredPage(reason) };
  };
  const handler = (url: URL): LoopbackReply => {
    if (url.pathname !== expect.path) return { status: 404, html: ignoredPage("Not found.") };
    if (done) return { status: 410, html: ignoredPage("This sign-in has already completed.") };
    const params = url.searchParams;
    const state = params.get("state");
    if (state === null) return ignore(400, "The request carries no state parameter.");
    if (state !== expect.state) {
      return ignore(400, "The state parameter does not match this sign-in.");
    }
    done = true;
    settle(params);
    const error = params.get("error");
    if (error !== null) {
      return { status: 400, html: failurePage(error, params.get("error_description") ?? "") };
    }
    if (!params.get("code")) {
      return { status: 400, html: failurePage("invalid_response", "No authorization code.") };
    }
    return { status: 200, html: successPage() };
  };
  return { handler, result };
}
