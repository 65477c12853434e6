/**
 * Finds the platform secret store and checks, once per run, that it really works:
 * a write/read/delete round trip of a throwaway item under a short overall deadline
 * (Azure's testStorage, GitHub CLI's 3 s keyring timeout). A missing D-Bus session,
 * a locked or absent keyring collection, or a hung daemon all end as "unavailable"
 * within the deadline instead of hanging the CLI.
 */
import { SecretStoreError } from "../errors.ts";
import { type CommandRunner, CommandTimeoutError } from "../platform/command_runner.ts";
import { LinuxSecretServiceStore } from "./linux_secret_service.ts";
import { MacosKeychainStore } from "./macos_keychain.ts";
import type { OsStoreOptions } from "./os_shared.ts";
import type { SecretStore } from "./secret_store.ts";
import { WindowsDpapiStore } from "./windows_dpapi.ts";

/** Overall probe budget on Linux and macOS. */
export const PROBE_TIMEOUT_MS = 3_000;

/** Windows PowerShell takes a second or more to start, twice per probe. */
export const WINDOWS_PROBE_TIMEOUT_MS = 10_000;

/** What the OS-store constructors need. */
export interface OsStoreDeps extends OsStoreOptions {
  /** `Deno.build.os` value. */
  os: string;
  /** Config home; DPAPI keeps its encrypted files under it. */
  configHome: string;
}

/** The platform's store (unprobed), or undefined where there is none. */
export function createOsSecretStore(deps: OsStoreDeps): SecretStore | undefined {
  const options = { runner: deps.runner, timeoutMs: deps.timeoutMs };
  switch (deps.os) {
    case "linux":
      return new LinuxSecretServiceStore(options);
    case "darwin":
      return new MacosKeychainStore(options);
    case "windows":
      return new WindowsDpapiStore(`${deps.configHome}/dpapi`, options);
    default:
      return undefined;
  }
}

/** A working OS store, or the reason there is none. */
export type ProbeResult =
  | { store: SecretStore; error?: undefined }
  | { store?: undefined; error: SecretStoreError };

/**
 * Probes the platform store within `probeTimeoutMs` (default per OS). On success the
 * returned store uses the normal per-operation timeout (`deps.timeoutMs`), not the
 * probe's.
 */
export async function probeOsSecretStore(
  deps: OsStoreDeps & { probeTimeoutMs?: number },
): Promise<ProbeResult> {
  const budget = deps.probeTimeoutMs ??
    (deps.os === "windows" ? WINDOWS_PROBE_TIMEOUT_MS : PROBE_TIMEOUT_MS);
  const runner = withDeadline(deps.runner, budget);
  const probing = createOsSecretStore({ ...deps, runner, timeoutMs: budget });
  if (!probing) {
    return {
      error: new SecretStoreError("STORE_UNAVAILABLE", `no OS secret store on ${deps.os}`),
    };
  }
  const error = await probeSecretStore(probing);
  return error ? { error } : { store: createOsSecretStore(deps)! };
}

/** Round-trips a throwaway item; returns why the store does not work, if it does not. */
export async function probeSecretStore(store: SecretStore): Promise<SecretStoreError | undefined> {
  // A unique name so parallel runs probing at once never see each other's item.
  const id = crypto.randomUUID();
  const key = `probe/${id}`;
  const value = `probe ${id}\nü`;
  let stored = false;
  try {
    await store.set(key, value);
    stored = true;
    const read = await store.get(key);
    const deleted = await store.delete(key);
    stored = false;
    if (read !== value || !deleted) {
      return new SecretStoreError(
        "STORE_UNAVAILABLE",
        `${store.description} did not give back what was stored`,
      );
    }
    return undefined;
  } catch (err) {
    // Best effort: leave no probe item behind when the read or delete failed.
    if (stored) await store.delete(key).catch(() => {});
    if (err instanceof SecretStoreError) return err;
    const reason = err instanceof Error ? err.message : String(err);
    return new SecretStoreError("STORE_UNAVAILABLE", `${store.description}: ${reason}`, {
      cause: err,
    });
  }
}

/**
 * A runner whose calls share one deadline: each gets the time left (or its own
 * smaller limit), and once the deadline has passed calls fail at once.
 */
export function withDeadline(runner: CommandRunner, budgetMs: number): CommandRunner {
  const deadline = Date.now() + budgetMs;
  return {
    run(cmd, args, options = {}) {
      const left = deadline - Date.now();
      if (left <= 0) {
        return Promise.reject(new CommandTimeoutError(`${cmd}: probe deadline passed`));
      }
      const timeoutMs = Math.min(options.timeoutMs ?? left, left);
      return runner.run(cmd, args, { ...options, timeoutMs });
    },
  };
}
