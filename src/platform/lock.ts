/**
 * A cross-process lock file: created with O_EXCL, holding the owner's pid and time.
 * A lock whose owner is gone is broken at once. Where liveness cannot be checked
 * (Windows) a lock older than `staleMs` counts as abandoned; where it can, a live
 * owner keeps its lock (a browser sign-in may take minutes) up to `maxAgeMs`.
 */
import { ServiceError } from "../errors.ts";

export interface LockOptions {
  /** How long to wait for another process before giving up. */
  timeoutMs?: number;
  /** Age after which a lock of unknown liveness is considered abandoned. */
  staleMs?: number;
  /** Age after which any lock is broken (a reused pid can look alive forever). */
  maxAgeMs?: number;
}

/** Runs `fn` while holding `${path}.lock`. */
export async function withFileLock<T>(
  path: string,
  fn: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const lockPath = `${path}.lock`;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const staleMs = options.staleMs ?? 60_000;
  const maxAgeMs = options.maxAgeMs ?? 30 * 60_000;
  const deadline = Date.now() + timeoutMs;
  let delay = 5;
  while (true) {
    try {
      const file = await Deno.open(lockPath, { write: true, createNew: true, mode: 0o600 });
      await file.write(new TextEncoder().encode(`${Deno.pid} ${Date.now()}\n`));
      file.close();
      break;
    } catch (err) {
      if (!(err instanceof Deno.errors.AlreadyExists)) throw err;
      if (await breakIfStale(lockPath, staleMs, maxAgeMs)) continue;
      if (Date.now() > deadline) {
        throw new ServiceError("LOCK_TIMEOUT", `timed out waiting for lock ${lockPath}`, {
          hints: [`If no other entra-auth-cli is running, remove ${lockPath}`],
        });
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 100);
    }
  }
  try {
    return await fn();
  } finally {
    await Deno.remove(lockPath).catch(() => {});
  }
}

async function breakIfStale(
  lockPath: string,
  staleMs: number,
  maxAgeMs: number,
): Promise<boolean> {
  let seen: Deno.FileInfo;
  try {
    seen = await Deno.stat(lockPath);
  } catch {
    return true; // gone already: the owner finished between our attempts
  }
  const age = Date.now() - (seen.mtime?.getTime() ?? Date.now());
  const owner = await ownerState(lockPath);
  const stale = owner === "dead" || age >= maxAgeMs || (owner === "unknown" && age >= staleMs);
  if (!stale) return false;
  // Remove only the very lock file we judged: if another process took a new lock in
  // the meantime, deleting it would let two processes in at once (lost updates).
  const now = await Deno.stat(lockPath).catch(() => undefined);
  if (!now || now.ino !== seen.ino || now.mtime?.getTime() !== seen.mtime?.getTime()) return true;
  await Deno.remove(lockPath).catch(() => {});
  return true;
}

/**
 * Whether the lock's owner still runs: signal 0 checks for a process without
 * touching it (ESRCH means gone). /proc would need --allow-all under Deno; on
 * Windows liveness is unknown. A lock that vanished while we looked was released,
 * not abandoned, and an empty one is being written: both count as alive.
 */
async function ownerState(lockPath: string): Promise<"alive" | "dead" | "unknown"> {
  let pid: number;
  try {
    pid = Number((await Deno.readTextFile(lockPath)).split(" ")[0]);
  } catch {
    return "alive";
  }
  if (!Number.isInteger(pid) || pid <= 0) return "alive";
  if (Deno.build.os === "windows") return "unknown";
  try {
    Deno.kill(pid, 0 as unknown as Deno.Signal);
    return "alive";
  } catch (err) {
    return err instanceof Deno.errors.NotFound ? "dead" : "alive";
  }
}
