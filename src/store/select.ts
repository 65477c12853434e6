/**
 * Chooses the secret store for this run (SPEC §6): the OS store when one answers,
 * else the encrypted file, keyed by ENTRA_AUTH_CLI_PASSPHRASE or by a 0600 key file
 * with a one-line warning. ENTRA_AUTH_CLI_SECRET_STORE=keyring|file forces a backend.
 */
import type { Env, Paths } from "../deps.ts";
import { UsageError } from "../errors.ts";
import type { CommandRunner } from "../platform/command_runner.ts";
import {
  checkPrivateFile,
  ensurePrivateDir,
  readFileIfExists,
  writeFileAtomic,
} from "../platform/files.ts";
import { withFileLock } from "../platform/lock.ts";
import { EncryptedFileStore, fromB64, toB64 } from "./encrypted_file.ts";
import type { OpenedSecretStore, SecretStoreOpener } from "./secret_store.ts";

export interface SelectDeps {
  env: Env;
  paths: Paths;
  runner: CommandRunner;
}

/** Memoizes the choice so one run probes at most once. */
export function createSecretStoreOpener(deps: SelectDeps): SecretStoreOpener {
  let opened: Promise<OpenedSecretStore> | undefined;
  return { open: () => opened ??= selectSecretStore(deps) };
}

/** Picks the backend. */
export async function selectSecretStore(
  deps: SelectDeps,
): Promise<OpenedSecretStore> {
  const forced = deps.env.get("ENTRA_AUTH_CLI_SECRET_STORE")?.trim()
    .toLowerCase();
  if (forced && forced !== "file" && forced !== "keyring") {
    throw new UsageError(
      "STORE_UNKNOWN",
      `ENTRA_AUTH_CLI_SECRET_STORE must be 'keyring' or 'file', not '${forced}'`,
    );
  }
  if (forced === "keyring") {
    throw new UsageError(
      "STORE_UNAVAILABLE",
      "no OS keyring backend is available on this system",
      {
        hints: ["Unset ENTRA_AUTH_CLI_SECRET_STORE or set it to 'file'"],
      },
    );
  }
  return await openFileStore(deps, forced === "file");
}

/** The encrypted file store with a passphrase or key-file key. */
export async function openFileStore(
  deps: SelectDeps,
  explicit: boolean,
): Promise<OpenedSecretStore> {
  const home = deps.paths.configHome();
  const path = `${home}/secrets.enc`;
  const passphrase = deps.env.get("ENTRA_AUTH_CLI_PASSPHRASE");
  if (passphrase) {
    return {
      store: new EncryptedFileStore(path, { kind: "passphrase", passphrase }),
    };
  }
  const keyPath = `${home}/secret.key`;
  const key = await loadOrCreateKeyFile(home, keyPath);
  const store = new EncryptedFileStore(path, {
    kind: "raw",
    key,
    label: `key file ${keyPath}`,
  });
  const warning = explicit
    ? undefined
    : `⚠ No OS secret store found: secrets are encrypted with the key in ${keyPath}` +
      ` (set ENTRA_AUTH_CLI_PASSPHRASE instead, or ENTRA_AUTH_CLI_SECRET_STORE=file to accept the key file)`;
  return { store, warning };
}

async function loadOrCreateKeyFile(
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

async function readKeyFile(
  keyPath: string,
): Promise<Uint8Array<ArrayBuffer> | undefined> {
  const bytes = await readFileIfExists(keyPath);
  if (bytes === undefined) return undefined;
  await checkPrivateFile(keyPath);
  const key = safeDecode(new TextDecoder().decode(bytes).trim());
  if (key?.length !== 32) {
    throw new UsageError(
      "KEY_FILE_INVALID",
      `${keyPath} does not hold a 256-bit key`,
      {
        hints: [
          "It was left unchanged; without it the saved secrets cannot be read",
        ],
      },
    );
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
