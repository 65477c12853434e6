/**
 * The argv that runs the CLI from source with exactly the permission set the
 * compiled binary gets (`-P=cli`, defined once in deno.json). Tests, the demo and
 * the benchmark all start the CLI through this.
 */
export const REPO_ROOT = new URL("../", import.meta.url).pathname.replace(/\/$/, "");

/** `deno run -q --config=… -P=cli main.ts` as an argv array. */
export function cliCommand(): string[] {
  return [
    Deno.execPath(),
    "run",
    "-q",
    `--config=${REPO_ROOT}/deno.json`,
    "-P=cli",
    `${REPO_ROOT}/main.ts`,
  ];
}

/** Where Deno keeps downloaded npm packages; kept when a test replaces HOME. */
export function denoDir(): string {
  return Deno.env.get("DENO_DIR") ?? `${Deno.env.get("HOME")}/.cache/deno`;
}

/** A POSIX shell wrapper that runs the CLI, for `entratool`-style shell use. */
export function wrapperScript(): string {
  const quoted = cliCommand().map((a) => `'${a.replaceAll("'", `'\\''`)}'`).join(" ");
  return `#!/bin/sh\nexport DENO_DIR='${denoDir()}'\nexec ${quoted} "$@"\n`;
}

/** What a finished process printed. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options for runArgv. */
export interface RunArgvOptions {
  env?: Record<string, string>;
  /** Start from an empty environment (the default) instead of this process's. */
  clearEnv?: boolean;
  stdin?: string;
  cwd?: string;
  signal?: AbortSignal;
}

/** Runs argv to completion, feeding `stdin` when given; used by tests, demo and bench. */
export async function runArgv(argv: string[], options: RunArgvOptions = {}): Promise<RunResult> {
  const [cmd, ...args] = argv;
  const child = new Deno.Command(cmd, {
    args,
    env: options.env,
    clearEnv: options.clearEnv ?? true,
    cwd: options.cwd,
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    signal: options.signal,
  }).spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin));
    await writer.close();
  }
  const out = await child.output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}
