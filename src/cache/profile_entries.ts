/**
 * A profile's signed-in (user-flow) cache entries when the profile is renamed or
 * pointed at another app: they are filed under the profile name, so a rename
 * copies them to the new name's files, and a new tenant, client or authority
 * makes them useless (they are dropped).
 */
import { cacheFileName, type CacheIdentity } from "./cache_key.ts";
import { listEntries, type StoredEntry } from "./cache_dir.ts";
import { type OpenEncryptedFile, TokenCache } from "./token_cache.ts";

/** The user-flow entries filed under profile `name`. */
export async function userEntriesOf(
  name: string,
  home: string,
  openFile: OpenEncryptedFile,
  warn: (line: string) => void,
): Promise<StoredEntry[]> {
  const all = await listEntries(home, openFile, warn);
  return all.filter((e) => e.entry.family === "user" && e.entry.profile === name);
}

/**
 * Writes a copy of each entry under profile `to`; returns the files written.
 * An entry that does not record its key scopes (older files), or whose file is
 * not where its key says, cannot be re-filed and is left out (to be dropped).
 */
export async function copyEntriesTo(
  entries: StoredEntry[],
  to: string,
  openFile: OpenEncryptedFile,
): Promise<string[]> {
  const created: string[] = [];
  for (const { name, entry } of entries) {
    if (!entry.keyScopes) continue;
    const id: CacheIdentity = {
      authorityHost: entry.authorityHost,
      tenant: entry.tenant,
      clientId: entry.clientId,
      flow: entry.flow,
      scopes: entry.keyScopes,
      profile: entry.profile,
    };
    if (await cacheFileName(id) !== `cache/${name}`) continue;
    const noWarnings = () => {};
    const target = await TokenCache.open({ ...id, profile: to }, openFile, noWarnings);
    await target.prepare();
    await target.put({ ...entry, profile: to });
    created.push(target.path);
  }
  return created;
}
