/**
 * Helpers for the user sign-in e2e tests: a `BROWSER` wrapper around browser_shim.ts,
 * the Chromium requirement, and a CLI run whose stderr can be watched while it waits.
 */
import { cliCommand, denoDir, REPO_ROOT } from "../../scripts/cli_command.ts";
import type { CliResult } from "./cli.ts";

/** Debian's Chromium, driven by playwright-core (never a downloaded browser). */
export const CHROMIUM = "/usr/bin/chromium";

/** Whether Chromium is installed. */
export function chromiumInstalled(): boolean {
  try {
    return Deno.statSync(CHROMIUM).isFile;
  } catch {
    return false;
  }
}

/**
 * `ignore` for tests that need Chromium: skipped where it is missing, except under
 * ENTRA_AUTH_CLI_REQUIRE_ALL=1 (CI), where they run and fail on `requireChromium()`.
 */
export const withoutChromium = !chromiumInstalled() &&
  Deno.env.get("ENTRA_AUTH_CLI_REQUIRE_ALL") !== "1";

/** Fails the test when Chromium is missing. */
export function requireChromium(): void {
  if (!chromiumInstalled()) {
    throw new Error(`${CHROMIUM} is missing: run scripts/setup_test_deps.sh (apt chromium)`);
  }
}

/** How the shim behaves (see browser_shim.ts). */
export interface ShimOptions {
  driver?: "chromium" | "fetch" | "idle";
  account?: string;
  forgeState?: boolean;
  cancel?: boolean;
}

const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/** Writes an executable `BROWSER` script into `dir` and returns its path. */
export async function writeBrowserShim(dir: string, o: ShimOptions = {}): Promise<string> {
  const name = `browser-${o.driver ?? "chromium"}${o.forgeState ? "-forge" : ""}${
    o.cancel ? "-cancel" : ""
  }`;
  const path = `${dir}/${name}`;
  const vars: Record<string, string> = {
    DENO_DIR: denoDir(),
    SHIM_DRIVER: o.driver ?? "chromium",
    SHIM_ACCOUNT: o.account ?? "alice",
    SHIM_CHROMIUM: CHROMIUM,
    ...(o.forgeState ? { SHIM_FORGE_STATE: "1" } : {}),
    ...(o.cancel ? { SHIM_CANCEL: "1" } : {}),
  };
  const script = [
    "#!/bin/sh",
    ...Object.entries(vars).map(([k, v]) => `export ${k}=${quote(v)}`),
    `exec ${quote(Deno.execPath())} run -A -q --config=${quote(`${REPO_ROOT}/deno.json`)} ${
      quote(`${REPO_ROOT}/tests/helpers/browser_shim.ts`)
    } "$@"`,
    "",
  ].join("\n");
  await Deno.writeTextFile(path, script, { mode: 0o755 });
  return path;
}

/** Runs the shim in device mode (the person entering the code in a browser). */
export async function deviceSignInWithChromium(
  verificationUri: string,
  userCode: string,
  env: Record<string, string>,
): Promise<CliResult> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "-q",
      `--config=${REPO_ROOT}/deno.json`,
      `${REPO_ROOT}/tests/helpers/browser_shim.ts`,
      "--device",
      verificationUri,
      userCode,
    ],
    env: { ...env, SHIM_CHROMIUM: CHROMIUM, DENO_DIR: denoDir() },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** A CLI run in the background: watch its stderr, signal it, await its result. */
export interface CliProcess {
  stderr(): string;
  /** Resolves with the first match of `re` in stderr (rejects after `timeoutMs`). */
  waitForStderr(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  kill(signal: Deno.Signal): void;
  result: Promise<CliResult>;
}

/** Starts `entra-auth-cli ...args` with exactly `env` (plus PATH, DENO_DIR, NO_COLOR). */
export function spawnCli(args: string[], env: Record<string, string>): CliProcess {
  const [cmd, ...base] = cliCommand();
  const child = new Deno.Command(cmd, {
    args: [...base, ...args],
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      DENO_DIR: denoDir(),
      NO_COLOR: "1",
      ...env,
    },
    clearEnv: true,
    cwd: REPO_ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let err = "";
  const waiters = new Set<() => void>();
  const stderrDone = (async () => {
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
      err += chunk;
      for (const w of waiters) w();
    }
  })();
  const result = (async () => {
    const [status, stdout] = await Promise.all([
      child.status,
      new Response(child.stdout).text(),
      stderrDone,
    ]);
    for (const w of waiters) w();
    return { code: status.code, stdout, stderr: err };
  })();
  const waitForStderr = (re: RegExp, timeoutMs = 30_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      let finished = false;
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`stderr never matched ${re} within ${timeoutMs} ms:\n${err}`));
      }, timeoutMs);
      const check = () => {
        const m = err.match(re);
        if (m || finished) {
          clearTimeout(timer);
          waiters.delete(check);
          if (m) resolve(m);
          else reject(new Error(`the CLI exited before stderr matched ${re}:\n${err}`));
        }
      };
      result.then(() => {
        finished = true;
        check();
      });
      waiters.add(check);
      check();
    });
  return { stderr: () => err, waitForStderr, kill: (s) => child.kill(s), result };
}
