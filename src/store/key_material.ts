/**
 * Where the AES keys of the encrypted files come from when there is no passphrase:
 * a random data key kept as an OS-store item, or a random key in a 0600 key file.
 * Both are created on first use under a lock, and never replaced once they exist.
 */
import { SecretStoreError, UsageError } from "../errors.ts";
import {
  checkPrivateFile,
  ensurePrivateDir,
  readFileIfExists,
  writeFileAtomic,
} from "../platform/files.ts";
import { withFileLock } from "../platform/lock.ts";
import { fromB64, toB64 } from "./encrypted_file.ts";
import type { SecretStore } from "./secret_store.ts";

/** Name of the OS-store item that holds the data key for encrypted files. */
export const DATA_KEY_NAME = "data-key";

/** The data key from the OS store, created on first use. */
export async function loadOrCreateDataKey(
  home: string,
  store: SecretStore,
  beforeCreate?: () => Promise<void>,
): Promise<Uint8Array<ArrayBuffer>> {
  const existing = await readDataKey(store);
  if (existing) return existing;
  await ensurePrivateDir(home);
  // Locked and re-checked like the key file: two first runs must not each store a
  // different key, or one run's encrypted file could never be read again.
  return await withFileLock(`${home}/${DATA_KEY_NAME}`, async () => {
    const raced = await readDataKey(store);
    if (raced) return raced;
    // A lookup that finds nothing may mean a store that stopped working: make sure
    // before a new key makes every existing encrypted file unreadable.
    await beforeCreate?.();
    const key = crypto.getRandomValues(new Uint8Array(32));
    await store.set(DATA_KEY_NAME, toB64(key));
    return key;
  });
}

async function readDataKey(store: SecretStore): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const text = await store.get(DATA_KEY_NAME);
  if (text === undefined) return undefined;
  const key = safeDecode(text.trim());
  if (key?.length !== 32) {
    throw new SecretStoreError(
      "STORE_CORRUPT",
      `the '${DATA_KEY_NAME}' item in ${store.description} is not a 256-bit key`,
      { hints: ["It was left unchanged; without it the encrypted files cannot be read"] },
    );
  }
  return key;
}

/** The key in `keyPath`, created (0600) on first use. */
export async function loadOrCreateKeyFile(
  home: string,
  keyPath: string,
): Promise<Uint8Array<ArrayBuffer>> {
  const existing = await readKeyFile(keyPath);
  if (existing) return existing;
  await ensurePrivateDir(home);
  // Under the lock and re-checked, so two first runs at once cannot each write a
  // different key and leave one's secrets undecryptable.
  return await withFileLock(keyPath, async () => {
    const raced = await readKeyFile(keyPath);
    if (raced) return raced;
    const key = crypto.getRandomValues(new Uint8Array(32));
    await writeFileAtomic(keyPath, toB64(key) + "\n");
    return key;
  });
}

async function readKeyFile(keyPath: string): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const bytes = await readFileIfExists(keyPath);
  if (bytes === undefined) return undefined;
  await checkPrivateFile(keyPath);
  const key = safeDecode(new TextDecoder().decode(bytes).trim());
  if (key?.length !== 32) {
    throw new UsageError("KEY_FILE_INVALID", `${keyPath} does not hold a 256-bit key`, {
      hints: ["It was left unchanged; without it the saved secrets cannot be read"],
    });
  }
  return key;
}

function safeDecode(text: string): Uint8Array<ArrayBuffer> | undefined {
  try {
    return fromB64(text);
  } catch {
    return undefined;
  }
}
