/**
 * Loads a module when it is first needed. The specifier is computed on purpose:
 * Deno pre-loads every `import("./literal.ts")` it can see while building the
 * module graph, which would put commander, oauth4webapi and the rest back on the
 * cached get-token path. `deno compile` embeds these modules through its
 * `--include` list (scripts/compile.ts), kept in step with LAZY_MODULES.
 */

/** Every module loaded through `lazy`, relative to src/. */
export const LAZY_MODULES = [
  "cli/program.ts",
  "token/renew.ts",
  "store/probe.ts",
  "platform/inquirer.ts",
  "token/certificate_credential.ts",
  "flows/sign_in.ts",
  "platform/browser.ts",
  "platform/loopback.ts",
] as const;

/** Imports `src/<path>` at run time. */
export function lazy<T>(path: typeof LAZY_MODULES[number]): Promise<T> {
  return import(new URL(`./${path}`, import.meta.url).href);
}
