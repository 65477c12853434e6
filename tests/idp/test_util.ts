/**
 * Small helpers shared by the IdP's own tests: token requests and Entra error assertions.
 * @module
 */

import assert from "node:assert/strict";
import { CONFIDENTIAL_CLIENT_ID } from "./clients.ts";
import type { Idp } from "./harness.ts";

export const GRAPH_DEFAULT = "https://graph.microsoft.com/.default";
export const CC = { grant_type: "client_credentials", client_id: CONFIDENTIAL_CLIENT_ID };
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

export async function post(
  idp: Idp,
  url: string,
  form: Record<string, string>,
  headers = {},
): Promise<Answer> {
  const res = await idp.fetch(url, { method: "POST", body: new URLSearchParams(form), headers });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

export function token(idp: Idp, form: Record<string, string>, headers = {}): Promise<Answer> {
  return post(idp, idp.tokenEndpoint, form, headers);
}

export function b64urlBytes(s: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(s.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
}

export function b64url(bytes: ArrayBuffer | Uint8Array): string {
  return btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodeJwt(jwt: string) {
  const [h, p] = jwt.split(".");
  const text = (s: string) => new TextDecoder().decode(b64urlBytes(s));
  return { header: JSON.parse(text(h)), payload: JSON.parse(text(p)) };
}

/** Asserts status, `error`, AADSTS code and the full Entra error body shape. */
export function assertEntraError(a: Answer, status: number, error: string, code: number): void {
  assert.equal(a.status, status, JSON.stringify(a.body));
  assert.equal(a.body.error, error);
  assert.deepEqual(a.body.error_codes, [code]);
  const desc = a.body.error_description as string;
  assert.match(desc, new RegExp(`^AADSTS${code}: `));
  assert.match(
    desc,
    /\r\nTrace ID: [0-9a-f-]{36}\r\nCorrelation ID: [^\r]+\r\nTimestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/,
  );
  assert.match(a.body.trace_id as string, GUID);
  assert.ok(a.body.correlation_id);
  assert.match(a.body.timestamp as string, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
  assert.ok((a.body.error_uri as string).endsWith(`?code=${code}`));
}
