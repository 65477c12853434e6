/** The real side effects, created once in main.ts. */
import type { BrowserOpener, Deps, Interrupts, Io, Writer } from "../deps.ts";
import { createSecretStoreOpener } from "../store/select.ts";
import { createCommandRunner } from "./command_runner.ts";
import { createPrompter } from "./prompt.ts";
import { CancelledError } from "../errors.ts";
import { lazy } from "../lazy.ts";

/** Builds Deps on the Deno runtime. */
export function createSystemDeps(): Deps {
  const env = { get: (name: string) => Deno.env.get(name) };
  const paths = {
    configHome: () => {
      const custom = env.get("ENTRA_AUTH_CLI_HOME");
      if (custom) return custom.replace(/\/+$/, "") || "/";
      const home = env.get("HOME") ?? env.get("USERPROFILE") ?? ".";
      return `${home}/.entra-auth-cli`;
    },
  };
  const runner = createCommandRunner();
  const io = createIo();
  return {
    io,
    env,
    clock: {
      now: () => Date.now(),
      sleep: (ms, signal) => sleep(ms, signal),
    },
    random: {
      bytes: (n) => crypto.getRandomValues(new Uint8Array(n)),
      uuid: () => crypto.randomUUID(),
    },
    fetch: (input, init) => fetch(input, init),
    runner,
    paths,
    secrets: createSecretStoreOpener({ env, paths, runner }),
    prompt: createPrompter(),
    browser: createLazyBrowser(env, io.stderr),
    listen: async (options) => {
      const { listenLoopback } = await lazy<typeof import("./loopback.ts")>("platform/loopback.ts");
      return await listenLoopback(options);
    },
    interrupts: createInterrupts(),
  };
}

/** The browser code loads only when a sign-in needs it (the cached path never does). */
function createLazyBrowser(env: { get(name: string): string | undefined }, stderr: Writer) {
  let opener: Promise<BrowserOpener> | undefined;
  const load = () =>
    opener ??= lazy<typeof import("./browser.ts")>("platform/browser.ts")
      .then((m) => m.createSystemBrowser(env, stderr));
  return {
    canOpen: async () => await (await load()).canOpen(),
    open: async (url: string) => await (await load()).open(url),
  } satisfies BrowserOpener;
}

/**
 * SIGINT only while a trap is held: a listener would otherwise stop Ctrl-C from
 * ending every other command. Held, Ctrl-C becomes a CancelledError (exit 130)
 * that unwinds normally, so locks are released and the listener closed.
 */
function createInterrupts(): Interrupts {
  return {
    trap() {
      const controller = new AbortController();
      const onSignal = () =>
        controller.abort(new CancelledError("INTERRUPTED", "interrupted (Ctrl-C)"));
      Deno.addSignalListener("SIGINT", onSignal);
      return {
        signal: controller.signal,
        release: () => Deno.removeSignalListener("SIGINT", onSignal),
      };
    },
  };
}

function createIo(): Io {
  const encoder = new TextEncoder();
  const writer = (file: typeof Deno.stdout) => ({
    write(text: string) {
      const bytes = encoder.encode(text);
      let done = 0;
      try {
        while (done < bytes.length) done += file.writeSync(bytes.subarray(done));
      } catch (err) {
        // A closed pipe (`| head`) is the reader's choice, not our failure.
        if (!(err instanceof Deno.errors.BrokenPipe)) throw err;
      }
    },
  });
  return {
    stdout: writer(Deno.stdout),
    stderr: writer(Deno.stderr),
    readStdin: () => new Response(Deno.stdin.readable).text(),
    isTerminal: {
      stdin: Deno.stdin.isTerminal(),
      stdout: Deno.stdout.isTerminal(),
      stderr: Deno.stderr.isTerminal(),
    },
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
