/**
 * Remembers, for a few minutes, that the OS store passed its probe in this kind of
 * session, so a cached get-token does not pay four helper-program runs (probe write,
 * read and delete, then the data key) but one. The memo is tied to the session's
 * fingerprint: an SSH login or another D-Bus session probes afresh.
 */
import type { Env } from "../deps.ts";
import { ensurePrivateDir, readFileIfExists, writeFileAtomic } from "../platform/files.ts";

/** How long a passed probe is trusted. */
export const PROBE_MEMO_TTL_MS = 10 * 60_000;

const FILE = "store-probe";

/** What must be the same for the memo to apply. */
export function sessionFingerprint(os: string, env: Env): string {
  return JSON.stringify([
    os,
    env.get("DBUS_SESSION_BUS_ADDRESS") ?? "",
    env.get("SSH_CONNECTION") ? "ssh" : "",
    env.get("USER") ?? env.get("USERNAME") ?? "",
  ]);
}

/** Whether a fresh memo for this fingerprint exists. */
export async function probePassedRecently(
  home: string,
  fingerprint: string,
  now: number,
): Promise<boolean> {
  const path = `${home}/${FILE}`;
  try {
    const bytes = await readFileIfExists(path);
    if (bytes === undefined) return false;
    const mtime = Deno.statSync(path).mtime?.getTime() ?? 0;
    return now - mtime < PROBE_MEMO_TTL_MS && new TextDecoder().decode(bytes) === fingerprint;
  } catch {
    return false;
  }
}

/** Records a passed probe; failing to record it only costs the next run a probe. */
export async function rememberProbe(home: string, fingerprint: string): Promise<void> {
  try {
    await ensurePrivateDir(home);
    await writeFileAtomic(`${home}/${FILE}`, fingerprint);
  } catch { /* a read-only home just means probing every time */ }
}

/** Forgets the memo, after the store was found not to work after all. */
export async function forgetProbe(home: string): Promise<void> {
  await Deno.remove(`${home}/${FILE}`).catch(() => {});
}
