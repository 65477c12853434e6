/** The output contract of SPEC §2, as pure functions. */
import type { FlowName } from "../profile/flows.ts";
import type { TokenSet } from "../flows/token_response.ts";

/** Formats `-o/--output` may name; anything else is a file path. */
export const OUTPUT_FORMATS = ["json", "token", "env", "header"] as const;
export type OutputFormat = typeof OUTPUT_FORMATS[number];

/** Where the result goes. */
export type OutputTarget = { format: OutputFormat } | { file: string; format: "token" | "json" };

/** Reads `--json` and `-o`; `./json` is a file called json, `json` is the format. */
export function parseOutputTarget(output: string | undefined, json: boolean): OutputTarget {
  if (output === undefined || output === "") return { format: json ? "json" : "token" };
  if ((OUTPUT_FORMATS as readonly string[]).includes(output)) {
    return { format: json && output === "token" ? "json" : output as OutputFormat };
  }
  return { file: output, format: json ? "json" : "token" };
}

/** What a successful get-token reports. */
export interface TokenOutput {
  token: TokenSet;
  tenant: string;
  profile: string | null;
  flow: FlowName;
  fromCache: boolean;
}

/** The JSON document: both spellings of each key, always present. */
export function tokenDocument(out: TokenOutput): Record<string, unknown> {
  const expiresOn = new Date(out.token.expiresAt).toISOString().replace(/\.\d{3}Z$/, "Z");
  const epoch = Math.floor(out.token.expiresAt / 1000);
  return {
    accessToken: out.token.accessToken,
    access_token: out.token.accessToken,
    tokenType: "Bearer",
    token_type: "Bearer",
    expiresOn,
    expires_on: epoch,
    scopes: out.token.scopes,
    tenant: out.tenant,
    profile: out.profile,
    flow: out.flow,
    fromCache: out.fromCache,
  };
}

/** Renders the result for stdout or a file, newline included. */
export function renderToken(out: TokenOutput, format: OutputFormat): string {
  const token = out.token.accessToken;
  switch (format) {
    case "json":
      return JSON.stringify(tokenDocument(out), null, 2) + "\n";
    case "env":
      // A JWT holds no single quote, but quote defensively for POSIX shells anyway.
      return `export ACCESS_TOKEN='${token.replaceAll("'", `'\\''`)}'\n`;
    case "header":
      return `Authorization: Bearer ${token}\n`;
    case "token":
      return token + "\n";
  }
}

/** `2025-12-28 15:30:00` in local time, as people read it. */
export function localTime(epochMs: number): string {
  const d = new Date(epochMs);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ` +
    `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** `59m 30s`, `2h 5m`, `3d 4h` for durations. */
export function humanDuration(ms: number): string {
  const s = Math.round(Math.abs(ms) / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}
