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

/** Checks one typed answer: true, or the reason shown under the prompt before asking again. */
export type Validate = (value: string) => true | string | Promise<true | string>;

/** One entry of a `select` list. */
export interface Choice<T extends string> {
  value: T;
  name: string;
  /** Shown under the list while the entry is highlighted. */
  description?: string;
}

/**
 * Questions for the person at the terminal. Callers ask only when stdin is a
 * terminal (never in pipelines); the prompt itself is drawn on stderr. Every
 * question rejects with CancelledError on Ctrl-C.
 */
export interface Prompter {
  /** Reads a secret without echoing it (not even its length). */
  password(message: string, options?: { validate?: Validate }): Promise<string>;
  /** A line of text; Enter alone takes `default`. */
  input(message: string, options?: { default?: string; validate?: Validate }): Promise<string>;
  /** One entry of a list, picked with the arrow keys. */
  select<T extends string>(
    message: string,
    choices: Choice<T>[],
    options?: { default?: T },
  ): Promise<T>;
  /** Yes or no. */
  confirm(message: string, options?: { default?: boolean }): Promise<boolean>;
}

/**
 * The person's web browser (SPEC §1.1: `BROWSER`, `xdg-open`, `open`, `start`,
 * WSL aware). Whatever a launcher prints goes to stderr, never stdout.
 */
export interface BrowserOpener {
  /** False where no browser can show a page: Linux with no display, no BROWSER, not WSL. */
  canOpen(): Promise<boolean>;
  /** Starts the browser on `url`; rejects when no launcher could be started or one failed. */
  open(url: string): Promise<void>;
}

/** What the loopback listener answers to one request. */
export interface LoopbackReply {
  status: number;
  html: string;
}

/** A running loopback listener. */
export interface LoopbackServer {
  readonly port: number;
  /** Stops listening; resolves once in-flight answers are sent. */
  close(): Promise<void>;
}

/**
 * Listens on 127.0.0.1 (never all interfaces) on the first free port of `ports`
 * and answers every GET with `handler`; resolves undefined when all are taken.
 */
export type LoopbackListen = (options: {
  ports: number[];
  handler: (url: URL) => LoopbackReply;
}) => Promise<LoopbackServer | undefined>;

/** Ctrl-C, caught only while someone holds a trap (otherwise it ends the process as usual). */
export interface Interrupts {
  /** From now until `release()`, Ctrl-C aborts `signal` with a CancelledError instead. */
  trap(): { signal: AbortSignal; release(): void };
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
  browser: BrowserOpener;
  listen: LoopbackListen;
  interrupts: Interrupts;
}
