/**
 * File helpers for everything the tool persists: a private config home, atomic
 * writes (temp file + fsync + rename, so a reader never sees half a file) and
 * mode checks on read.
 */
import { UsageError } from "../errors.ts";

const isWindows = Deno.build.os === "windows";

/** Creates the config home (0700) if needed. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  if (!isWindows) await Deno.chmod(dir, 0o700);
}

/**
 * Writes `data` to `path` atomically with mode 0600. On any failure the old
 * file is untouched and the temp file removed.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const tmp = `${path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    const file = await Deno.open(tmp, { write: true, createNew: true, mode: 0o600 });
    try {
      let written = 0;
      while (written < bytes.length) written += await file.write(bytes.subarray(written));
      await file.sync();
    } finally {
      file.close();
    }
    await Deno.rename(tmp, path);
  } catch (err) {
    await Deno.remove(tmp).catch(() => {});
    throw err;
  }
}

/**
 * Reads a file, or undefined when it does not exist. Synchronous underneath on
 * purpose: the files are small, and skipping the async thread-pool hop saves
 * milliseconds on the cached get-token path, where they count.
 */
// deno-lint-ignore require-await
export async function readFileIfExists(path: string): Promise<Uint8Array | undefined> {
  try {
    return Deno.readFileSync(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return undefined;
    throw new UsageError("FILE_UNREADABLE", `cannot read ${path}: ${describeFsError(err)}`, {
      cause: err,
    });
  }
}

/**
 * Refuses secret-bearing files that others could read or that belong to someone
 * else: a wider mode means the secrets may already have leaked, so say how to fix it.
 */
// deno-lint-ignore require-await
export async function checkPrivateFile(path: string): Promise<void> {
  if (isWindows) return;
  let info: Deno.FileInfo;
  try {
    info = Deno.statSync(path); // sync for the same reason as readFileIfExists
  } catch {
    return;
  }
  const mode = (info.mode ?? 0) & 0o777;
  if (mode & 0o077) {
    throw new UsageError(
      "FILE_MODE_UNSAFE",
      `${path} is readable by other users (mode ${mode.toString(8).padStart(4, "0")})`,
      { hints: [`Fix it with: chmod 600 '${path}'`] },
    );
  }
  const uid = Deno.uid();
  if (uid !== null && info.uid !== null && info.uid !== uid) {
    throw new UsageError(
      "FILE_FOREIGN_OWNER",
      `${path} belongs to another user (uid ${info.uid})`,
      {
        hints: [`Check who created it; fix with: chown ${uid} '${path}'`],
      },
    );
  }
}

/** A short reason for a filesystem error, without a stack. */
export function describeFsError(err: unknown): string {
  if (err instanceof Deno.errors.NotFound) return "no such file";
  if (err instanceof Deno.errors.PermissionDenied) return "permission denied";
  if (err instanceof Deno.errors.IsADirectory) return "is a directory";
  return err instanceof Error ? err.message : String(err);
}
