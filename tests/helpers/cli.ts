/**
 * Runs the real CLI as a subprocess with exactly the permission set the compiled
 * binary gets (`-P=cli` from deno.json), in a clean environment.
 */
import {
  cliCommand,
  denoDir,
  REPO_ROOT,
  runArgv,
  type RunResult,
} from "../../scripts/cli_command.ts";

export { cliCommand, REPO_ROOT };

/** What the CLI printed and its exit code. */
export type CliResult = RunResult;

export interface CliOptions {
  /** Extra environment (an empty value unsets); the base has PATH, HOME, DENO_DIR, NO_COLOR. */
  env?: Record<string, string>;
  stdin?: string;
  cwd?: string;
  timeoutMs?: number;
}

/** Runs `entra-auth-cli ...args`. */
export async function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const env: Record<string, string> = {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    HOME: options.env?.HOME ?? "/nonexistent-home",
    DENO_DIR: denoDir(),
    NO_COLOR: "1",
    ...options.env,
  };
  // An empty value means "unset" so tests can remove a variable the lab sets.
  for (const [k, v] of Object.entries(env)) if (v === "") delete env[k];
  return await runArgv([...cliCommand(), ...args], {
    env,
    cwd: options.cwd ?? REPO_ROOT,
    stdin: options.stdin,
    signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
  });
}

/** Every file under `dir`, recursively, for "no secret anywhere" checks. */
export async function allFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) files.push(...await allFiles(path));
    else if (entry.isFile) files.push(path);
  }
  return files;
}

/** Asserts that no file under `dir` contains `needle`. */
export async function findInFiles(dir: string, needle: string): Promise<string[]> {
  const hits: string[] = [];
  for (const file of await allFiles(dir)) {
    const bytes = await Deno.readFile(file);
    if (new TextDecoder().decode(bytes).includes(needle)) hits.push(file);
  }
  return hits;
}
