/**
 * Helpers for the guided-profile tests (issue #7): a person at the terminal
 * answering questions, and direct access to the lab's file store and token
 * cache to check what was stored.
 */
import assert from "node:assert/strict";
import { TokenCache } from "../../src/cache/token_cache.ts";
import { normalizeAuthorityHost } from "../../src/entra/authority.ts";
import { openFileStore } from "../../src/store/select.ts";
import { TerminalRun } from "../helpers/tmux.ts";
import type { Lab } from "./lab.ts";

/** One exchange: wait until the screen shows `question`, then answer. */
export type Answer = [
  question: RegExp | ((screen: string) => boolean),
  reply: string | { key: string },
];

/** The screen shows all of `patterns` (e.g. a refusal and the question asked again). */
export function all(...patterns: RegExp[]): (screen: string) => boolean {
  return (screen) => patterns.every((p) => p.test(screen));
}

/** A question still open: inquirer draws it with `?`; answered ones get `✔`. */
export function open(label: string): RegExp {
  return new RegExp(`^\\? ${label.replace(/[.*+?()[\]]/g, "\\$&")}`, "m");
}

/** Starts the CLI in a terminal with the lab's environment. */
export function terminal(
  lab: Lab,
  args: string[],
  env: Record<string, string> = {},
): Promise<TerminalRun> {
  return TerminalRun.start(args, {
    ...lab.env,
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    ...env,
  });
}

/** Plays the answers in order; a string is typed and entered, `{ key }` is pressed. */
export async function converse(run: TerminalRun, answers: Answer[]): Promise<void> {
  for (const [question, reply] of answers) {
    await run.waitFor(question);
    if (typeof reply === "string") await run.type(reply);
    else await run.key(reply.key);
  }
}

/** Runs a whole conversation and returns the exit code and the final screen. */
export async function conversation(
  lab: Lab,
  args: string[],
  answers: Answer[],
  env: Record<string, string> = {},
): Promise<{ code: number; screen: string }> {
  await using run = await terminal(lab, args, env);
  await converse(run, answers);
  const code = await run.exitCode();
  return { code, screen: await run.screen() };
}

/** The lab's secret store (the file store the CLI uses), opened as the CLI opens it. */
export async function labStore(lab: Lab, home = lab.home) {
  const env = { ...lab.env, ENTRA_AUTH_CLI_HOME: home };
  return await openFileStore({
    env: { get: (name) => env[name as keyof typeof env] },
    paths: { configHome: () => home },
    runner: { run: () => Promise.reject(new Error("no commands")) },
  }, true);
}

/** Writes a signed-in (DeviceCode) cache entry for `profile`, as get-token would have. */
export async function seedUserToken(
  lab: Lab,
  id: { profile: string; clientId: string; tenant: string; scopes: string[] },
  accessToken: string,
): Promise<string> {
  const store = await labStore(lab);
  const cache = await TokenCache.open(
    { ...id, authorityHost: normalizeAuthorityHost(lab.idp.origin), flow: "DeviceCode" },
    store.openEncryptedFile,
    () => {},
  );
  await cache.prepare();
  const now = Date.now();
  await cache.write({
    accessToken,
    tokenType: "Bearer",
    expiresAt: now + 3_600_000,
    scopes: id.scopes,
    refreshToken: "rt-seeded",
  });
  assert.ok(await cache.read());
  return cache.path;
}

/** profiles.json and secrets.enc of a config home, to prove a command changed neither. */
export async function snapshotHome(home: string): Promise<string[]> {
  const read = (name: string) => Deno.readTextFile(`${home}/${name}`).catch(() => "");
  return [await read("profiles.json"), await read("secrets.enc")];
}
