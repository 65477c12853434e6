/** `refresh -p NAME`: a new access token now, from the cached refresh token. */
import type { Command } from "commander";
import type { Deps } from "../deps.ts";
import { type GetTokenFlags, parseGetTokenFlags, runTokenCommand } from "./get_token.ts";

/** Adds the command to the program. */
export function registerRefresh(program: Command, deps: Deps): void {
  program.command("refresh")
    .description("force a new access token (user flows: from the refresh token)")
    .option("-p, --profile <name>", "profile to refresh")
    .option("-s, --scope <scopes...>", "scopes, as for get-token")
    .option("--silent", "print only the token; stderr only for errors")
    .option("--json", "print a JSON document")
    .option("-o, --output <format|file>", "json, token, env, header, or a file path (mode 0600)")
    .option("--tenant <id>", "tenant to use instead of the profile's")
    .option("--authority-host <url>", "Entra host")
    .option("--cloud <name>", "AzurePublic, AzureUSGovernment or AzureChina")
    .option("-v, --verbose", "protocol diagnostics on stderr (secrets redacted)")
    .addHelpText(
      "after",
      `
ClientCredentials has no refresh token: refresh simply gets a new token.
A user flow without a cached refresh token exits 4; sign in with get-token first.

Examples:
  $ entra-auth-cli refresh -p myprofile
  $ entra-auth-cli refresh -p myprofile --silent > token.txt`,
    )
    .action(async (flags: GetTokenFlags) => {
      await runTokenCommand(parseGetTokenFlags(flags), deps, "refresh");
    });
}
