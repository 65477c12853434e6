/**
 * The ports every side effect goes through. `createSystemDeps` (platform/system.ts)
 * builds the real ones; tests pass fakes. Nothing under src/ reaches for Deno globals
 * that these cover.
 */
import type { CommandRunner } from "./platform/command_runner.ts";
import type { SelectedSecretStoreOpener } from "./store/select.ts";

/** A sink for text. Writes are synchronous so output order is the call order. */
export interface Writer {
  write(text: string): void;
}

/** Terminal and standard streams. */
export interface Io {
  stdout: Writer;
  stderr: Writer;
  /** Reads all of stdin as text (used by `--client-secret-stdin`, `inspect -`). */
  readStdin(): Promise<string>;
  isTerminal: { stdin: boolean; stdout: boolean; stderr: boolean };
}

/** Process environment, read-only. */
export interface Env {
  get(name: string): string | undefined;
}

/** Wall clock and sleeping; fake in tests. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Randomness (jti, PKCE verifier, state, keys). */
export interface Random {
  bytes(n: number): Uint8Array<ArrayBuffer>;
  uuid(): string;
}

/** Where the tool keeps its files. */
export interface Paths {
  /** `ENTRA_AUTH_CLI_HOME`, else `~/.entra-auth-cli`. */
  configHome(): string;
}

/**
 * Questions for the person at the terminal. Callers ask only when stdin is a
 * terminal (never in pipelines); the prompt itself is drawn on stderr.
 */
export interface Prompter {
  /** Reads a secret without echoing it; Ctrl-C rejects with CancelledError. */
  password(message: string): Promise<string>;
}

/** Everything `run` needs from the outside world. */
export interface Deps {
  io: Io;
  env: Env;
  clock: Clock;
  random: Random;
  fetch: typeof fetch;
  runner: CommandRunner;
  paths: Paths;
  secrets: SelectedSecretStoreOpener;
  prompt: Prompter;
}
