// deno-lint-ignore-file no-console
/**
 * `deno task compile`: standalone `entra-auth-cli` executables for the release
 * targets, plus `SHA256SUMS`. Every build uses the permission set from deno.json
 * and embeds the modules the CLI loads at run time (LAZY_MODULES in src/lazy.ts).
 *
 * Options: --target <triple> (repeatable; default: all), --out <dir> (default dist,
 * relative to the repository root), --dry-run (print the commands, run nothing),
 * --verbose (show deno's own output).
 */
import { parseArgs } from "node:util";
import { LAZY_MODULES } from "../src/lazy.ts";
import { REPO_ROOT } from "./cli_command.ts";
import { PERMISSION_SET } from "./permissions.ts";

/** A release target: Deno's triple and the os/arch words used in file names. */
export interface Target {
  triple: string;
  os: "linux" | "macos" | "windows";
  arch: "x64" | "arm64";
}

/** Every target a release ships, in build order. */
export const TARGETS: readonly Target[] = [
  { triple: "x86_64-unknown-linux-gnu", os: "linux", arch: "x64" },
  { triple: "aarch64-unknown-linux-gnu", os: "linux", arch: "arm64" },
  { triple: "x86_64-apple-darwin", os: "macos", arch: "x64" },
  { triple: "aarch64-apple-darwin", os: "macos", arch: "arm64" },
  { triple: "x86_64-pc-windows-msvc", os: "windows", arch: "x64" },
];

/** The file a target's build writes, e.g. `entra-auth-cli-linux-x64`. */
export function outputName(target: Target): string {
  return `entra-auth-cli-${target.os}-${target.arch}${target.os === "windows" ? ".exe" : ""}`;
}

/** What the command line asked for. */
export interface CompileOptions {
  targets: Target[];
  out: string;
  dryRun: boolean;
  verbose: boolean;
}

/** Parses the script's arguments; throws with a readable message on a bad one. */
export function parseCompileArgs(argv: string[]): CompileOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      target: { type: "string", multiple: true },
      out: { type: "string", default: "dist" },
      "dry-run": { type: "boolean", default: false },
      verbose: { type: "boolean", default: false },
    },
  });
  const targets = (values.target ?? TARGETS.map((t) => t.triple)).map((triple) => {
    const target = TARGETS.find((t) => t.triple === triple);
    if (!target) {
      throw new Error(
        `unknown target '${triple}'; one of: ${TARGETS.map((t) => t.triple).join(", ")}`,
      );
    }
    return target;
  });
  return { targets, out: values.out, dryRun: values["dry-run"], verbose: values.verbose };
}

/** The full `deno compile` argv for one target, run from the repository root. */
export function compileArgv(target: Target, out: string): string[] {
  return [
    Deno.execPath(),
    "compile",
    "--config",
    "deno.json",
    `--permission-set=${PERMISSION_SET}`,
    // Without this the whole npm snapshot of deno.lock is embedded, test-only
    // packages (oidc-provider, playwright-core) included. Packages imported by the
    // --include modules below are part of the graph and stay in.
    "--exclude-unused-npm",
    "--target",
    target.triple,
    // Computed imports (src/lazy.ts) are invisible to the module graph.
    ...LAZY_MODULES.flatMap((path) => ["--include", `src/${path}`]),
    "--output",
    `${out}/${outputName(target)}`,
    "main.ts",
  ];
}

/**
 * True when deno's stderr says it could not fetch the `denort` runtime it builds
 * on (no network, or a proxy in the way). See README "Building release binaries".
 */
export function isRuntimeDownloadFailure(stderr: string): boolean {
  return /denort-[\w.-]+\.zip/.test(stderr) &&
    /error sending request|dns error|client error|connection refused|timed out/i.test(stderr);
}

/** `sha256sum` lines for the given files, by base name. */
export async function checksums(paths: string[]): Promise<string> {
  let lines = "";
  for (const path of paths) {
    const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(path));
    const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
    lines += `${hex}  ${path.slice(path.lastIndexOf("/") + 1)}\n`;
  }
  return lines;
}

/** Shell-quotes one argument for display, only when it needs it. */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

async function main(argv: string[]): Promise<number> {
  let options: CompileOptions;
  try {
    options = parseCompileArgs(argv);
  } catch (err) {
    console.error(`✗ ${(err as Error).message}`);
    return 2;
  }
  const commands = options.targets.map((t) => compileArgv(t, options.out));
  if (options.dryRun) {
    for (const argv of commands) console.log(argv.map(shellQuote).join(" "));
    console.log(`# then: SHA-256 of each output into ${options.out}/SHA256SUMS`);
    return 0;
  }
  await Deno.mkdir(resolve(options.out), { recursive: true });
  const built: string[] = [];
  for (const [i, target] of options.targets.entries()) {
    const ok = await build(target, commands[i], options.verbose);
    if (!ok) return 1;
    built.push(resolve(`${options.out}/${outputName(target)}`));
  }
  await Deno.writeTextFile(resolve(`${options.out}/SHA256SUMS`), await checksums(built));
  console.error(`✓ ${options.out}/SHA256SUMS`);
  return 0;
}

/** Runs one `deno compile`; reports one line on success or on a failure. */
async function build(target: Target, argv: string[], verbose: boolean): Promise<boolean> {
  const out = await new Deno.Command(argv[0], {
    args: argv.slice(1),
    cwd: REPO_ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  if (verbose) {
    await Deno.stderr.write(out.stdout);
    await Deno.stderr.write(out.stderr);
  }
  if (out.success) {
    const size = (await Deno.stat(resolve(argv[argv.length - 2]))).size;
    console.error(`✓ ${argv[argv.length - 2]} (${(size / 1e6).toFixed(1)} MB)`);
    return true;
  }
  if (isRuntimeDownloadFailure(stderr)) {
    console.error(
      `✗ deno compile could not download its runtime for ${target.triple} (offline?); ` +
        `see README "Building release binaries"`,
    );
  } else {
    // Anything else (a type error, a bad flag) is the developer's to read in full.
    console.error(`✗ deno compile failed for ${target.triple}`);
    if (!verbose) await Deno.stderr.write(out.stderr);
  }
  return false;
}

/** A path relative to the repository root (as deno compile sees it) made absolute. */
function resolve(path: string): string {
  return path.startsWith("/") ? path : `${REPO_ROOT}/${path}`;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
