/** In-memory Deps for unit tests: captured output, a manual clock, scripted fetch. */
import type { Deps } from "../../src/deps.ts";
import { CancelledError } from "../../src/errors.ts";
import { EncryptedFileStore } from "../../src/store/encrypted_file.ts";
import type { SecretStore } from "../../src/store/secret_store.ts";

/** A clock that only moves when told to (sleep advances it). */
export class FakeClock {
  constructor(public time = Date.UTC(2026, 0, 1)) {}
  sleeps: number[] = [];
  now = () => this.time;
  sleep = (ms: number) => {
    this.sleeps.push(ms);
    this.time += ms;
    return Promise.resolve();
  };
}

/** A SecretStore in a Map. */
export class MapSecretStore implements SecretStore {
  readonly description = "memory (test)";
  readonly items = new Map<string, string>();
  get(key: string) {
    return Promise.resolve(this.items.get(key));
  }
  set(key: string, value: string) {
    this.items.set(key, value);
    return Promise.resolve();
  }
  delete(key: string) {
    return Promise.resolve(this.items.delete(key));
  }
}

/** Answers prompts from a script and records the questions; `"^C"` stands for Ctrl-C. */
export class FakePrompter {
  constructor(public answers: string[] = []) {}
  asked: string[] = [];
  password = (message: string) => {
    this.asked.push(message);
    const answer = this.answers.shift();
    if (answer === "^C") return Promise.reject(new CancelledError("CANCELLED", "cancelled"));
    if (answer === undefined) return Promise.reject(new Error(`unexpected prompt: ${message}`));
    return Promise.resolve(answer);
  };
}

export interface FakeDeps extends Deps {
  out: () => string;
  err: () => string;
  clockFake: FakeClock;
  store: MapSecretStore;
  prompter: FakePrompter;
}

/** Builds fake deps; `env` and `stdin` are the test's inputs. */
export function fakeDeps(options: {
  env?: Record<string, string>;
  stdin?: string;
  home?: string;
  fetch?: typeof fetch;
  tty?: boolean;
  /** Answers for `prompt.password`, in order. */
  answers?: string[];
} = {}): FakeDeps {
  let stdout = "";
  let stderr = "";
  const clock = new FakeClock();
  const store = new MapSecretStore();
  const prompter = new FakePrompter(options.answers);
  const env = options.env ?? {};
  return {
    io: {
      stdout: { write: (t) => void (stdout += t) },
      stderr: { write: (t) => void (stderr += t) },
      readStdin: () => Promise.resolve(options.stdin ?? ""),
      isTerminal: { stdin: options.tty ?? false, stdout: false, stderr: false },
    },
    env: { get: (name) => env[name] },
    clock,
    random: {
      bytes: (n) => new Uint8Array(n).fill(7),
      uuid: () => "00000000-0000-4000-8000-000000000000",
    },
    fetch: options.fetch ?? (() => Promise.reject(new Error("no fetch in this test"))),
    runner: { run: () => Promise.reject(new Error("no commands in this test")) },
    paths: { configHome: () => options.home ?? "/nonexistent-test-home" },
    secrets: {
      open: () =>
        Promise.resolve({
          store,
          backend: "file" as const,
          openEncryptedFile: (name: string) =>
            Promise.resolve(
              new EncryptedFileStore(`${options.home ?? "/nonexistent-test-home"}/${name}`, {
                kind: "raw",
                key: new Uint8Array(32).fill(9),
                label: "test key",
              }),
            ),
        }),
    },
    prompt: prompter,
    out: () => stdout,
    err: () => stderr,
    clockFake: clock,
    store,
    prompter,
  };
}

/** A JWT with the given claims (unsigned: the CLI never verifies). */
export function fakeJwt(
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
): string {
  const enc = (o: unknown) =>
    btoa(JSON.stringify(o)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
  return `${enc({ alg: "RS256", typ: "JWT", ...header })}.${enc(claims)}.c2ln`;
}
