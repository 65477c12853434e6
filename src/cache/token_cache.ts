/**
 * The token cache: one encrypted file per cache key under `<home>/cache/`, each
 * written atomically (a reader sees the old entry or the new one, never half of
 * one). A damaged entry is discarded with a warning; the cache is never fatal.
 */
import type { TokenSet } from "../flows/token_response.ts";
import { CliError } from "../errors.ts";
import { ensurePrivateDir } from "../platform/files.ts";
import type { FlowName } from "../profile/flows.ts";
import type { EncryptedFileStore } from "../store/encrypted_file.ts";
import { cacheFileName, type CacheIdentity, flowFamily } from "./cache_key.ts";

/** What one cache file holds. */
export interface CacheEntry {
  v: 1;
  accessToken: string;
  /** Epoch ms. */
  expiresAt: number;
  scopes: string[];
  refreshToken?: string;
  flow: FlowName;
  family: "app" | "user";
  profile: string | null;
  tenant: string;
  clientId: string;
  authorityHost: string;
  savedAt: number;
  /**
   * The scopes the entry is filed under (its cache key), which may differ from the
   * granted `scopes`; lets a renamed profile's entries move to the new name.
   */
  keyScopes?: string[];
}

/** Opens an encrypted file by name, keyed like the rest of the run's secrets. */
export type OpenEncryptedFile = (name: string) => Promise<EncryptedFileStore>;

const ITEM = "entry";

/** Reads and writes the entry of one identity. */
export class TokenCache {
  private constructor(
    readonly id: CacheIdentity,
    readonly file: EncryptedFileStore,
    private readonly warn: (line: string) => void,
  ) {}

  /** The cache for one identity. */
  static async open(
    id: CacheIdentity,
    openFile: OpenEncryptedFile,
    warn: (line: string) => void,
  ): Promise<TokenCache> {
    return new TokenCache(id, await openFile(await cacheFileName(id)), warn);
  }

  /** Creates the cache directory (0700) so a lock can be taken next to the entry. */
  async prepare(): Promise<void> {
    await ensurePrivateDir(this.path.slice(0, this.path.lastIndexOf("/")));
  }

  /** Path of the entry file; locks are taken next to it. */
  get path(): string {
    return this.file.path;
  }

  /** The entry, or undefined when there is none or it was damaged (then it is removed). */
  async read(): Promise<CacheEntry | undefined> {
    return await readEntry(this.file, this.warn);
  }

  /** Saves a token; a refresh token the response did not rotate is kept. */
  async write(token: TokenSet, previous?: CacheEntry): Promise<CacheEntry> {
    const entry: CacheEntry = {
      v: 1,
      accessToken: token.accessToken,
      expiresAt: token.expiresAt,
      scopes: token.scopes,
      flow: this.id.flow,
      family: flowFamily(this.id.flow),
      profile: this.id.profile,
      tenant: this.id.tenant,
      clientId: this.id.clientId,
      authorityHost: this.id.authorityHost,
      savedAt: Date.now(),
      keyScopes: this.id.scopes,
      ...(token.refreshToken ?? previous?.refreshToken
        ? { refreshToken: token.refreshToken ?? previous?.refreshToken }
        : {}),
    };
    await this.put(entry);
    return entry;
  }

  /** Stores an entry as it is (a renamed profile's entries move to their new identity). */
  async put(entry: CacheEntry): Promise<void> {
    await this.file.set(ITEM, JSON.stringify(entry));
  }

  /** Removes the entry. */
  async clear(): Promise<void> {
    await discard(this.file);
  }
}

/** Reads one cache file; damage is reported once and the file removed. */
export async function readEntry(
  file: EncryptedFileStore,
  warn: (line: string) => void,
): Promise<CacheEntry | undefined> {
  let text: string | undefined;
  try {
    text = await file.get(ITEM);
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    warn(`⚠ Discarded an unreadable token cache file (${err.message})`);
    await discard(file);
    return undefined;
  }
  if (text === undefined) return undefined;
  const entry = parseEntry(text);
  if (!entry) {
    warn(`⚠ Discarded a damaged token cache entry in ${file.path}`);
    await discard(file);
  }
  return entry;
}

/** Whether an entry's access token stays valid for `minValidityMs` from `now`. */
export function isFresh(
  entry: CacheEntry | undefined,
  now: number,
  minValidityMs: number,
): boolean {
  return entry !== undefined && entry.expiresAt - now >= minValidityMs;
}

/** Converts an entry back into the TokenSet the output code prints. */
export function entryToken(entry: CacheEntry): TokenSet {
  return {
    accessToken: entry.accessToken,
    tokenType: "Bearer",
    expiresAt: entry.expiresAt,
    scopes: entry.scopes,
    refreshToken: entry.refreshToken,
  };
}

function parseEntry(text: string): CacheEntry | undefined {
  try {
    const e = JSON.parse(text);
    const ok = e?.v === 1 && typeof e.accessToken === "string" && e.accessToken.length > 0 &&
      typeof e.expiresAt === "number" && Array.isArray(e.scopes) &&
      typeof e.clientId === "string" &&
      (e.refreshToken === undefined || typeof e.refreshToken === "string");
    return ok ? e as CacheEntry : undefined;
  } catch {
    return undefined;
  }
}

async function discard(file: EncryptedFileStore): Promise<void> {
  await Deno.remove(file.path).catch((err) => {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  });
}
