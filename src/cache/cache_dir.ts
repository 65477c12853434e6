/**
 * Operations over every cache entry: finding a profile's tokens (for inspect -p,
 * discover -p) and removing them (clear-cache, delete-profile). Entries are
 * encrypted, so each is opened to see whose it is.
 */
import type { Profile } from "../profile/profile.ts";
import { type CacheEntry, type OpenEncryptedFile, readEntry } from "./token_cache.ts";

const DIR = "cache";

/** One entry with the file it lives in. */
export interface StoredEntry {
  name: string;
  path: string;
  entry: CacheEntry;
}

/** Every readable entry under `<home>/cache` (damaged ones are discarded with a warning). */
export async function listEntries(
  home: string,
  openFile: OpenEncryptedFile,
  warn: (line: string) => void,
): Promise<StoredEntry[]> {
  const out: StoredEntry[] = [];
  let names: string[];
  try {
    names = [];
    for await (const e of Deno.readDir(`${home}/${DIR}`)) {
      if (e.isFile && /^token-[0-9a-f]+\.enc$/.test(e.name)) names.push(e.name);
    }
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return [];
    throw err;
  }
  for (const name of names.sort()) {
    const file = await openFile(`${DIR}/${name}`);
    const entry = await readEntry(file, warn);
    if (entry) out.push({ name, path: file.path, entry });
  }
  return out;
}

/**
 * Whether an entry belongs to a profile: user tokens by profile name; app tokens,
 * which profiles of one app share, by tenant and client.
 */
export function belongsTo(entry: CacheEntry, profile: Profile): boolean {
  if (entry.family === "user") return entry.profile === profile.name;
  return entry.clientId.toLowerCase() === profile.clientId.toLowerCase() &&
    entry.tenant.toLowerCase() === profile.tenantId.toLowerCase();
}

/** Removes the entry files given (and their lock leftovers). */
export async function removeEntries(entries: StoredEntry[]): Promise<number> {
  for (const e of entries) await removeQuietly(e.path);
  return entries.length;
}

/** Removes the whole cache directory's token files; returns how many there were. */
export async function removeAll(home: string): Promise<number> {
  let count = 0;
  try {
    for await (const e of Deno.readDir(`${home}/${DIR}`)) {
      if (!e.isFile) continue;
      await removeQuietly(`${home}/${DIR}/${e.name}`);
      if (e.name.endsWith(".enc")) count++;
    }
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  return count;
}

async function removeQuietly(path: string): Promise<void> {
  await Deno.remove(path).catch((err) => {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  });
}
