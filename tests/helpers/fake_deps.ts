/** In-memory Deps for unit tests: captured output, a manual clock, scripted fetch. */
import type { Choice, Deps, LoopbackListen, Validate } from "../../src/deps.ts";
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

/**
 * Answers prompts from a script and records the questions; `"^C"` stands for Ctrl-C.
 * An empty answer takes the question's default; `select` answers are values and
 * `confirm` answers `y` or `n`. An answer `validate` refuses goes to `rejected`
 * (the reason) and the next answer is tried, as the real prompt asks again.
 */
export class FakePrompter {
  constructor(public answers: string[] = []) {}
  asked: string[] = [];
  rejected: string[] = [];
  password = (message: string, options?: { validate?: Validate }) =>
    this.#answer(message, undefined, options?.validate);
  input = (message: string, options?: { default?: string; validate?: Validate }) =>
    this.#answer(message, options?.default, options?.validate);
  select = async <T extends string>(
    message: string,
    choices: Choice<T>[],
    options?: { default?: T },
  ): Promise<T> =>
    await this.#answer(
      message,
      options?.default,
      (v) => choices.some((c) => c.value === v) || `not a choice: ${v}`,
    ) as T;
  confirm = async (message: string, options?: { default?: boolean }) => {
    const def = options?.default === undefined ? undefined : options.default ? "y" : "n";
    return await this.#answer(message, def, (v) => /^[yn]$/.test(v) || "y or n") === "y";
  };

  async #answer(message: string, def: string | undefined, validate?: Validate): Promise<string> {
    this.asked.push(message);
    for (;;) {
      const answer = this.answers.shift();
      if (answer === "^C") throw new CancelledError("CANCELLED", "cancelled");
      if (answer === undefined) throw new Error(`unexpected prompt: ${message}`);
      const value = answer === "" && def !== undefined ? def : answer;
      const verdict = validate ? await validate(value) : true;
      if (verdict === true) return value;
      this.rejected.push(verdict);
    }
  }
}

/**
 * A browser that records the URLs it was asked to open. `onOpen` lets a test act
 * as the person (e.g. fetch the loopback redirect); `fail` makes every launch fail.
 */
export class FakeBrowser {
  constructor(public display = true) {}
  opened: string[] = [];
  fail = false;
  onOpen?: (url: string) => void | Promise<void>;
  canOpen = () => Promise.resolve(this.display);
  open = async (url: string) => {
    this.opened.push(url);
    if (this.fail) throw new Error("no browser here (fake)");
    await this.onOpen?.(url);
  };
}

/** Ctrl-C on demand: `interrupt()` aborts every trap currently held. */
export class FakeInterrupts {
  held = 0;
  #controllers = new Set<AbortController>();
  trap = () => {
    const controller = new AbortController();
    this.#controllers.add(controller);
    this.held++;
    return {
      signal: controller.signal,
      release: () => {
        if (this.#controllers.delete(controller)) this.held--;
      },
    };
  };
  interrupt(): void {
    for (const c of this.#controllers) c.abort(new CancelledError("INTERRUPTED", "interrupted"));
  }
}

export interface FakeDeps extends Deps {
  out: () => string;
  err: () => string;
  clockFake: FakeClock;
  store: MapSecretStore;
  prompter: FakePrompter;
  browserFake: FakeBrowser;
  interruptsFake: FakeInterrupts;
}

/** Builds fake deps; `env` and `stdin` are the test's inputs. */
export function fakeDeps(options: {
  env?: Record<string, string>;
  stdin?: string;
  home?: string;
  fetch?: typeof fetch;
  tty?: boolean;
  /** Answers for the prompts, in order (see FakePrompter). */
  answers?: string[];
  /** The loopback listener; unit tests that need one pass the real `listenLoopback`. */
  listen?: LoopbackListen;
} = {}): FakeDeps {
  let stdout = "";
  let stderr = "";
  const clock = new FakeClock();
  const store = new MapSecretStore();
  const prompter = new FakePrompter(options.answers);
  const browser = new FakeBrowser();
  const interrupts = new FakeInterrupts();
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
    browser,
    listen: options.listen ?? (() => Promise.reject(new Error("no listener in this test"))),
    interrupts,
    out: () => stdout,
    err: () => stderr,
    clockFake: clock,
    store,
    prompter,
    browserFake: browser,
    interruptsFake: interrupts,
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
