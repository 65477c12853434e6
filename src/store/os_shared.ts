/**
 * Pieces the OS secret store shims share: the service name items are filed under,
 * key-name checks, and turning runner failures into SecretStoreErrors with stable codes.
 */
import { SecretStoreError } from "../errors.ts";
import {
  CommandNotFoundError,
  type CommandResult,
  type CommandRunner,
  CommandTimeoutError,
  type RunOptions,
} from "../platform/command_runner.ts";

/** The service / attribute value every item of this tool is filed under. */
export const STORE_SERVICE = "entra-auth-cli";

/**
 * Default time one store operation may take. Generous because a desktop keyring
 * may show an unlock prompt that a person has to answer; the probe uses far less.
 */
export const STORE_TIMEOUT_MS = 30_000;

/** Options every OS shim takes. */
export interface OsStoreOptions {
  runner: CommandRunner;
  /** Per-operation limit; defaults to STORE_TIMEOUT_MS. */
  timeoutMs?: number;
}

// Keys end up unquoted on a `security -i` command line and in Windows file names,
// so they stay within a charset that needs no quoting anywhere.
const KEY_PATTERN = /^[A-Za-z0-9._\/-]{1,160}$/;

/** Throws STORE_BAD_KEY unless `key` is a plain item name like `profile/ci/client-secret`. */
export function checkStoreKey(key: string): string {
  if (!KEY_PATTERN.test(key)) {
    throw new SecretStoreError(
      "STORE_BAD_KEY",
      `invalid secret name '${key.slice(0, 40)}': use letters, digits, '.', '_', '-' or '/'`,
    );
  }
  return key;
}

/** Byte length of a string as UTF-8, which is what the tools count. */
export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** The error for a value over a backend's limit. */
export function tooLarge(backend: string, bytes: number, limit: number): SecretStoreError {
  return new SecretStoreError(
    "STORE_TOO_LARGE",
    `secret of ${bytes} bytes is too large for ${backend} (limit ${limit} bytes)`,
    { hints: ["Large items belong in the encrypted file keyed from the OS store"] },
  );
}

/**
 * Runs one store command. A missing tool and a timeout become SecretStoreErrors;
 * anything the tool itself reports is left to the caller to interpret.
 */
export async function runStoreCommand(
  options: OsStoreOptions,
  backend: string,
  command: { cmd: string; args: string[]; stdin?: string },
): Promise<CommandResult> {
  const run: RunOptions = { timeoutMs: options.timeoutMs ?? STORE_TIMEOUT_MS };
  if (command.stdin !== undefined) run.stdin = command.stdin;
  try {
    return await options.runner.run(command.cmd, command.args, run);
  } catch (err) {
    if (err instanceof CommandNotFoundError) {
      throw new SecretStoreError(
        "STORE_UNAVAILABLE",
        `${backend}: ${command.cmd} is not installed`,
        {
          cause: err,
        },
      );
    }
    if (err instanceof CommandTimeoutError) {
      throw new SecretStoreError(
        "STORE_TIMEOUT",
        `${backend} did not answer within ${run.timeoutMs} ms`,
        { cause: err, hints: ["The keyring may be locked and waiting for a password prompt"] },
      );
    }
    throw err;
  }
}

/**
 * A generic failure with the tool's first stderr line. `secrets` are blanked out
 * in case a tool ever echoes its input back.
 */
export function storeFailed(
  backend: string,
  action: string,
  result: CommandResult,
  secrets: string[] = [],
): SecretStoreError {
  let stderr = result.stderr;
  // Whole secrets first, then their lines: a multi-line secret may be cut at a newline.
  const parts = secrets.flatMap((s) => [s, ...s.split("\n")]).filter((s) => s.length >= 4);
  for (const part of parts) stderr = stderr.replaceAll(part, "***");
  let detail = stderr.trim().split("\n")[0] ?? "";
  if (detail.length > 200) detail = `${detail.slice(0, 200)}…`;
  const why = detail || `exit code ${result.code}`;
  return new SecretStoreError("STORE_FAILED", `${backend}: ${action} failed: ${why}`);
}
