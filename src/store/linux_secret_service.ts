/**
 * Linux Secret Service (gnome-keyring, KWallet, KeePassXC…) through libsecret's
 * `secret-tool`. Items carry the attributes `service entra-auth-cli` and `key <name>`;
 * values go in on stdin and come back on stdout, never through argv.
 */
import type { CommandResult } from "../platform/command_runner.ts";
import type { SecretStore } from "./secret_store.ts";
import {
  checkStoreKey,
  type OsStoreOptions,
  runStoreCommand,
  STORE_SERVICE,
  storeFailed,
  tooLarge,
  utf8Length,
} from "./os_shared.ts";

const BACKEND = "Linux Secret Service";

/**
 * secret-tool reads at most 8191 bytes of stdin; a longer secret is silently cut
 * and it still exits 0 (it only prints "password is too long"). So anything larger
 * is refused here rather than chunked: the values kept in this store are client
 * secrets, passwords and the 44-character data key, and big items (token caches)
 * go to the encrypted file.
 */
export const SECRET_TOOL_MAX_BYTES = 8191;

/** A SecretStore on `secret-tool store|lookup|clear`. */
export class LinuxSecretServiceStore implements SecretStore {
  readonly description = `${BACKEND} (secret-tool)`;

  constructor(private readonly options: OsStoreOptions) {}

  async get(key: string): Promise<string | undefined> {
    const result = await this.#run(["lookup", ...attributes(key)]);
    // stdout is the exact secret: secret-tool adds a newline only when it is a terminal.
    if (result.code === 0) return result.stdout;
    // "Not found" is exit 1 and silence. (A locked collection looks the same, which
    // is why the probe does a full write/read/delete round trip.)
    if (result.code === 1 && result.stderr.trim() === "") return undefined;
    throw storeFailed(BACKEND, "lookup", result);
  }

  async set(key: string, value: string): Promise<void> {
    checkStoreKey(key);
    const bytes = utf8Length(value);
    if (bytes > SECRET_TOOL_MAX_BYTES) throw tooLarge(BACKEND, bytes, SECRET_TOOL_MAX_BYTES);
    const label = `--label=${STORE_SERVICE} ${key}`;
    const result = await this.#run(["store", label, ...attributes(key)], value);
    // Any stderr means trouble even with exit 0 (the truncation case above).
    if (result.code !== 0 || result.stderr.trim() !== "") {
      throw storeFailed(BACKEND, "store", result, [value]);
    }
  }

  async delete(key: string): Promise<boolean> {
    const result = await this.#run(["clear", ...attributes(key)]);
    if (result.code === 0) return true;
    if (result.code === 1 && result.stderr.trim() === "") return false;
    throw storeFailed(BACKEND, "clear", result);
  }

  #run(args: string[], stdin?: string): Promise<CommandResult> {
    return runStoreCommand(this.options, BACKEND, { cmd: "secret-tool", args, stdin });
  }
}

function attributes(key: string): string[] {
  return ["service", STORE_SERVICE, "key", checkStoreKey(key)];
}
