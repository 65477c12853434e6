/** Writes `-o FILE` output: 0600, atomically, never through a half-written file. */
import { UsageError } from "../errors.ts";
import { describeFsError, writeFileAtomic } from "../platform/files.ts";

/**
 * Regular files are replaced atomically; a device or FIFO such as /dev/stdout
 * is written in place, because renaming over it would replace the device node.
 */
export async function writeOutputFile(path: string, text: string): Promise<void> {
  try {
    const info = await Deno.stat(path).catch(() => undefined);
    if (info && info.isDirectory) {
      throw new UsageError(
        "OUTPUT_IS_DIRECTORY",
        `cannot write the token to ${path}: it is a directory`,
      );
    }
    if (info && !info.isFile) {
      await Deno.writeTextFile(path, text);
      return;
    }
    await writeFileAtomic(await resolveLinks(path), text);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(
      "OUTPUT_UNWRITABLE",
      `cannot write the token to ${path}: ${describeFsError(err)}`,
      {
        cause: err,
      },
    );
  }
}

/** A symlink to a file is followed, so the link keeps pointing at the new token. */
async function resolveLinks(path: string): Promise<string> {
  try {
    const info = await Deno.lstat(path);
    return info.isSymlink ? await Deno.realPath(path) : path;
  } catch {
    return path;
  }
}
