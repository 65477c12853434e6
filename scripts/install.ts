// deno-lint-ignore-file no-console
/**
 * `deno task install`: puts `entra-auth-cli` and its older name `entratool` on PATH
 * with `deno install -g`, running from this checkout with the CLI's permission set.
 *
 * Options: --root <dir> (default: $DENO_INSTALL_ROOT, else ~/.deno), --force
 * (replace an existing install).
 */
import { parseArgs } from "node:util";
import { REPO_ROOT } from "./cli_command.ts";
import { permissionFlags } from "./permissions.ts";

/** Each installed name and the entry module its shim runs. */
export const COMMANDS = [
  { name: "entra-auth-cli", entry: "main.ts" },
  // Shims all run `deno`, so the name cannot come from the executable: main.ts
  // reads it from this entry module instead.
  { name: "entratool", entry: "entratool.ts" },
] as const;

/** What the command line asked for. */
export interface InstallOptions {
  root?: string;
  force: boolean;
}

/** The `deno install -g` argv for one name. */
export function installArgv(
  command: typeof COMMANDS[number],
  options: InstallOptions,
): string[] {
  return [
    Deno.execPath(),
    "install",
    "--global",
    // --quiet is copied into the shim too, so `deno run` never prints download
    // progress into a `TOKEN=$(…)` capture's stderr.
    "--quiet",
    ...(options.force ? ["--force"] : []),
    ...(options.root ? ["--root", options.root] : []),
    "--name",
    command.name,
    "--config",
    `${REPO_ROOT}/deno.json`,
    ...permissionFlags(),
    `${REPO_ROOT}/${command.entry}`,
  ];
}

/** Where the shims end up, following deno's own rule. */
export function binDir(options: { root?: string }, env = Deno.env.toObject()): string {
  const root = options.root ?? env.DENO_INSTALL_ROOT ??
    `${env.HOME ?? env.USERPROFILE}/.deno`;
  return `${root.replace(/[\\/]$/, "")}/bin`;
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { root: { type: "string" }, force: { type: "boolean", default: false } },
  });
  const options: InstallOptions = { root: values.root, force: values.force };
  for (const command of COMMANDS) {
    const [cmd, ...args] = installArgv(command, options);
    const { code } = await new Deno.Command(cmd, {
      args,
      stdin: "null",
      stdout: "inherit",
      stderr: "inherit",
    }).output();
    if (code !== 0) {
      console.error(`✗ deno install failed for ${command.name} (exit ${code})`);
      if (!options.force) console.error("  Already installed? Run again with --force.");
      return 1;
    }
  }
  const bin = binDir(options);
  console.error(`✓ installed entra-auth-cli and entratool into ${bin}`);
  const path = (Deno.env.get("PATH") ?? "").split(":");
  if (!path.includes(bin)) console.error(`  Add it to PATH: export PATH="${bin}:$PATH"`);
  // The shims run `deno` from PATH; scripts/deno.sh may have used a private copy.
  if (!path.some((dir) => isFile(`${dir}/deno`))) {
    console.error(
      `  The installed commands run \`deno\` from PATH; add ${
        Deno.execPath().replace(/\/[^/]*$/, "")
      } to PATH or install Deno.`,
    );
  }
  return 0;
}

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
