/**
 * Chooses the secret store for this run (SPEC §6, issue #4).
 *
 * - An OS store that passes the probe (probe.ts) holds small secrets directly: client
 *   secrets, certificate passwords. Large items (token caches) go to AES-256-GCM files
 *   (`openEncryptedFile`) whose random 32-byte data key is itself an OS-store item.
 * - Without one, everything is in encrypted files keyed by ENTRA_AUTH_CLI_PASSPHRASE
 *   (silent) or by a 0600 key file (with a one-line warning).
 * - ENTRA_AUTH_CLI_SECRET_STORE=keyring|file forces a backend: `keyring` fails with
 *   exit 2 when the OS store does not work (never a silent fallback); `file` skips
 *   the probe and the warning.
 */
import type { Env, Paths } from "../deps.ts";
import { SecretStoreError, UsageError } from "../errors.ts";
import type { CommandRunner } from "../platform/command_runner.ts";
import { lazy } from "../lazy.ts";
import { EncryptedFileStore, type KeySource } from "./encrypted_file.ts";
import { earlierFileStore, withEarlierFile } from "./earlier_file.ts";
import {
  forgetProbe,
  probePassedRecently,
  rememberProbe,
  sessionFingerprint,
} from "./probe_memo.ts";
import { DATA_KEY_NAME, loadOrCreateDataKey, loadOrCreateKeyFile } from "./key_material.ts";
import type { OpenedSecretStore, SecretStore, SecretStoreOpener } from "./secret_store.ts";

export { DATA_KEY_NAME };

export interface SelectDeps {
  env: Env;
  paths: Paths;
  runner: CommandRunner;
  /** `Deno.build.os` unless a test picks a platform. */
  os?: string;
  /** Overrides the probe budget (tests). */
  probeTimeoutMs?: number;
}

/** Which kind of backend was chosen; `config show` can print it next to `description`. */
export type StoreBackend = "keyring" | "file";

/** The chosen store, plus access to encrypted files keyed the same way. */
export interface SelectedSecretStore extends OpenedSecretStore {
  backend: StoreBackend;
  /**
   * An encrypted file `<config home>/<fileName>` for large items (the token cache).
   * Its key is the OS-held data key, the passphrase, or the key file: whatever
   * protects the rest of this run's secrets. The file itself is created on first write.
   */
  openEncryptedFile(fileName: string): Promise<EncryptedFileStore>;
}

/** An opener whose result carries `backend` and `openEncryptedFile`. */
export interface SelectedSecretStoreOpener extends SecretStoreOpener {
  open(): Promise<SelectedSecretStore>;
}

/** An explicit `keyring` choice may have to wait for a person to answer an unlock prompt. */
export const FORCED_KEYRING_PROBE_TIMEOUT_MS = 15_000;

/** Memoizes the choice so one run probes at most once. */
export function createSecretStoreOpener(deps: SelectDeps): SelectedSecretStoreOpener {
  let opened: Promise<SelectedSecretStore> | undefined;
  return { open: () => opened ??= selectSecretStore(deps) };
}

/** Picks the backend. */
export async function selectSecretStore(deps: SelectDeps): Promise<SelectedSecretStore> {
  const forced = deps.env.get("ENTRA_AUTH_CLI_SECRET_STORE")?.trim().toLowerCase() || undefined;
  if (forced && forced !== "file" && forced !== "keyring") {
    throw new UsageError(
      "STORE_UNKNOWN",
      `ENTRA_AUTH_CLI_SECRET_STORE must be 'keyring' or 'file', not '${forced}'`,
    );
  }
  if (forced === "file") return await openFileStore(deps, true);
  // The OS store code loads only when it may be used: ENTRA_AUTH_CLI_SECRET_STORE=file
  // keeps the cached get-token path free of it.
  const probeModule = await lazy<typeof import("./probe.ts")>("store/probe.ts");
  const os = deps.os ?? Deno.build.os;
  const home = deps.paths.configHome();
  const osDeps = { os, runner: deps.runner, configHome: home };
  const fingerprint = sessionFingerprint(os, deps.env);
  const selected = (store: SecretStore, verify?: () => Promise<void>) =>
    keyringSelection(home, withEarlierFile(store, () => earlierFileStore(home, deps.env)), verify);
  const remembered = probeModule.createOsSecretStore(osDeps);
  if (remembered && await probePassedRecently(home, fingerprint, Date.now())) {
    return selected(remembered, async () => {
      const error = await probeModule.probeSecretStore(remembered);
      if (!error) return;
      await forgetProbe(home);
      throw new SecretStoreError(
        "STORE_UNAVAILABLE",
        `the OS secret store stopped working: ${error.message}`,
        {
          cause: error,
          hints: ["Run the command again; it will choose the store afresh"],
        },
      );
    });
  }
  const probe = await probeModule.probeOsSecretStore({
    ...osDeps,
    probeTimeoutMs: deps.probeTimeoutMs ??
      (forced === "keyring" ? FORCED_KEYRING_PROBE_TIMEOUT_MS : undefined),
  });
  if (probe.store) {
    await rememberProbe(home, fingerprint);
    return selected(probe.store);
  }
  if (forced === "keyring") {
    throw new SecretStoreError(
      "STORE_UNAVAILABLE",
      `ENTRA_AUTH_CLI_SECRET_STORE=keyring, but the OS secret store does not work: ${probe.error.message}`,
      {
        cause: probe.error,
        hints: [...probe.error.hints, "Unset ENTRA_AUTH_CLI_SECRET_STORE or set it to 'file'"],
      },
    );
  }
  return await openFileStore(deps, false);
}

/** The encrypted file store with a passphrase or key-file key. */
export async function openFileStore(
  deps: SelectDeps,
  explicit: boolean,
): Promise<SelectedSecretStore> {
  const home = deps.paths.configHome();
  const passphrase = deps.env.get("ENTRA_AUTH_CLI_PASSPHRASE");
  let source: KeySource;
  let warning: string | undefined;
  if (passphrase) {
    source = { kind: "passphrase", passphrase };
  } else {
    const keyPath = `${home}/secret.key`;
    const key = await loadOrCreateKeyFile(home, keyPath);
    source = { kind: "raw", key, label: `key file ${keyPath}` };
    warning = explicit
      ? undefined
      : `⚠ No OS secret store found: secrets are encrypted with the key in ${keyPath}` +
        ` (set ENTRA_AUTH_CLI_PASSPHRASE instead, or ENTRA_AUTH_CLI_SECRET_STORE=file to accept the key file)`;
  }
  // Inside the executor a bad name rejects rather than throws, as in keyring mode.
  const openEncryptedFile = (name: string) =>
    new Promise<EncryptedFileStore>((resolve) =>
      resolve(new EncryptedFileStore(encryptedFilePath(home, name), source))
    );
  const store = await openEncryptedFile("secrets.enc");
  return warning === undefined
    ? { store, backend: "file", openEncryptedFile }
    : { store, backend: "file", openEncryptedFile, warning };
}

function keyringSelection(
  home: string,
  store: SecretStore,
  beforeCreateKey?: () => Promise<void>,
): SelectedSecretStore {
  let dataKey: Promise<Uint8Array<ArrayBuffer>> | undefined;
  return {
    store,
    backend: "keyring",
    async openEncryptedFile(name) {
      const path = encryptedFilePath(home, name);
      const key = await (dataKey ??= loadOrCreateDataKey(home, store, beforeCreateKey));
      return new EncryptedFileStore(path, {
        kind: "raw",
        key,
        label: `data key in ${store.description}`,
      });
    },
  };
}

function encryptedFilePath(home: string, name: string): string {
  // One optional level of directory, for the token cache's own folder.
  if (!/^([a-z]+\/)?[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new UsageError("STORE_BAD_FILE_NAME", `invalid encrypted file name '${name}'`);
  }
  return `${home}/${name}`;
}
