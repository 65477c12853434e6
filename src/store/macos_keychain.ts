/**
 * macOS login Keychain through `/usr/bin/security`. Writing uses `security -i` with
 * the command on stdin, so the secret never shows up in argv or `ps` (go-keyring's
 * approach); reading and deleting carry no secret and run as plain commands, whose
 * exit codes are the OSStatus low byte.
 */
import { SecretStoreError } from "../errors.ts";
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

const BACKEND = "macOS Keychain";
const SECURITY = "/usr/bin/security";

/**
 * Values are stored base64-encoded behind this prefix: `security` hex-dumps any
 * password with newlines or non-ASCII bytes on read, and base64 also keeps the
 * `security -i` line free of anything that would need quoting.
 */
export const KEYCHAIN_VALUE_PREFIX = "entra-auth-cli:b64:";

/** `security -i` reads lines into a 4096-byte buffer; a longer line would be split. */
export const SECURITY_MAX_LINE_BYTES = 4095;

// OSStatus values as `security` reports them (exit code = status & 0xff).
const EXIT_NOT_FOUND = 44; // errSecItemNotFound -25300
const EXIT_NO_INTERACTION = 36; // errSecInteractionNotAllowed -25308: locked, no GUI
const EXIT_CANCELLED = 128; // userCanceledErr -128

/** A SecretStore on the login Keychain. */
export class MacosKeychainStore implements SecretStore {
  readonly description = `${BACKEND} (security)`;

  constructor(private readonly options: OsStoreOptions) {}

  async get(key: string): Promise<string | undefined> {
    const result = await this.#run(["find-generic-password", ...item(key), "-w"]);
    if (result.code === 0) return decodeValue(result.stdout.replace(/\n$/, ""));
    if (isNotFound(result)) return undefined;
    throw keychainError("read", result);
  }

  async set(key: string, value: string): Promise<void> {
    const encoded = KEYCHAIN_VALUE_PREFIX + toBase64(value);
    // Key and service are plain ASCII (checkStoreKey) and the value is base64, so
    // nothing on this line needs quoting.
    const line = `add-generic-password -U ${item(key).join(" ")} -w ${encoded}\n`;
    const lineBytes = utf8Length(line);
    if (lineBytes > SECURITY_MAX_LINE_BYTES) {
      // What is left of the line for base64, in whole 4-character groups of 3 bytes.
      const room = SECURITY_MAX_LINE_BYTES - (lineBytes - encoded.length) -
        KEYCHAIN_VALUE_PREFIX.length;
      throw tooLarge(BACKEND, utf8Length(value), Math.floor(room / 4) * 3);
    }
    const result = await this.#run(["-i"], line);
    // In interactive mode a failing command may not change the exit code, so any
    // stderr counts as failure.
    if (result.code !== 0 || result.stderr.trim() !== "") {
      throw keychainError("write", result, [encoded, value]);
    }
  }

  async delete(key: string): Promise<boolean> {
    const result = await this.#run(["delete-generic-password", ...item(key)]);
    if (result.code === 0) return true;
    if (isNotFound(result)) return false;
    throw keychainError("delete", result);
  }

  #run(args: string[], stdin?: string): Promise<CommandResult> {
    return runStoreCommand(this.options, BACKEND, { cmd: SECURITY, args, stdin });
  }
}

function item(key: string): string[] {
  return ["-s", STORE_SERVICE, "-a", checkStoreKey(key)];
}

function isNotFound(result: CommandResult): boolean {
  return result.code === EXIT_NOT_FOUND || /could not be found/i.test(result.stderr);
}

function keychainError(action: string, result: CommandResult, secrets: string[] = []) {
  if (result.code === EXIT_CANCELLED || /cancel/i.test(result.stderr)) {
    return new SecretStoreError("STORE_CANCELLED", `${BACKEND}: ${action} was cancelled`, {
      hints: ["Allow entra-auth-cli to use the Keychain when macOS asks"],
    });
  }
  if (result.code === EXIT_NO_INTERACTION || /interaction is not allowed/i.test(result.stderr)) {
    return new SecretStoreError("STORE_LOCKED", `${BACKEND} is locked (${action})`, {
      hints: [
        "Unlock it with: security unlock-keychain",
        "Or set ENTRA_AUTH_CLI_SECRET_STORE=file",
      ],
    });
  }
  return storeFailed(BACKEND, action, result, secrets);
}

function toBase64(text: string): string {
  let binary = "";
  for (const b of new TextEncoder().encode(text)) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** Our own items are prefixed base64; anything else is returned as the tool printed it. */
function decodeValue(stored: string): string {
  if (!stored.startsWith(KEYCHAIN_VALUE_PREFIX)) return stored;
  try {
    const binary = atob(stored.slice(KEYCHAIN_VALUE_PREFIX.length));
    return new TextDecoder("utf-8", { fatal: true }).decode(
      Uint8Array.from(binary, (c) => c.charCodeAt(0)),
    );
  } catch (err) {
    throw new SecretStoreError("STORE_CORRUPT", `${BACKEND}: a stored item is damaged`, {
      cause: err,
    });
  }
}
