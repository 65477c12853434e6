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
