/**
 * Secrets saved while no OS store worked (an SSH session, a locked keyring) live in
 * secrets.enc. Once the OS store works again they must still be found: reads fall
 * back to that file and deletes clear both, so switching stores loses nothing.
 * New secrets go to the OS store only.
 */
import type { Env } from "../deps.ts";
import { EncryptedFileStore } from "./encrypted_file.ts";
import { loadOrCreateKeyFile } from "./key_material.ts";
import type { SecretStore } from "./secret_store.ts";

/** Opens the earlier file store if there is one that can be read; never creates anything. */
export async function earlierFileStore(home: string, env: Env): Promise<SecretStore | undefined> {
  const path = `${home}/secrets.enc`;
  if (!(await exists(path))) return undefined;
  const passphrase = env.get("ENTRA_AUTH_CLI_PASSPHRASE");
  if (passphrase) return new EncryptedFileStore(path, { kind: "passphrase", passphrase });
  const keyPath = `${home}/secret.key`;
  if (!(await exists(keyPath))) return undefined;
  const key = await loadOrCreateKeyFile(home, keyPath);
  return new EncryptedFileStore(path, { kind: "raw", key, label: `key file ${keyPath}` });
}

/** `os` first; the earlier file only for what `os` does not have. */
export function withEarlierFile(
  os: SecretStore,
  earlier: () => Promise<SecretStore | undefined>,
): SecretStore {
  let opened: Promise<SecretStore | undefined> | undefined;
  // A damaged or foreign earlier file must not break the working OS store.
  const file = () => opened ??= earlier().catch(() => undefined);
  return {
    description: os.description,
    async get(key) {
      const value = await os.get(key);
      if (value !== undefined) return value;
      return await (await file())?.get(key).catch(() => undefined);
    },
    set: (key, value) => os.set(key, value),
    async delete(key) {
      const fromOs = await os.delete(key);
      const fromFile = await (await file())?.delete(key).catch(() => false) ?? false;
      return fromOs || fromFile;
    },
  };
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}
