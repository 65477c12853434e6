/** `refresh -p NAME`: a new access token now, from the cached refresh token. */
import type { Command } from "commander";
import type { Deps } from "../deps.ts";
import {
  GET_TOKEN_OPTIONS,
  type GetTokenFlags,
  parseGetTokenFlags,
  runTokenCommand,
} from "./get_token.ts";

/** get-token's options that make sense for a refresh (no sign-in, no cache bypass). */
const REFRESH_OPTIONS =
  /--(profile|scope|silent|json|output|tenant|authority-host|cloud|verbose|assertion-alg|send-x5c)\b/;

/** Adds the command to the program. */
export function registerRefresh(program: Command, deps: Deps): void {
  const command = program.command("refresh")
    .description("force a new access token (user flows: from the refresh token)");
  for (const o of GET_TOKEN_OPTIONS.filter((o) => REFRESH_OPTIONS.test(o.flags))) {
    command.option(o.flags, o.description);
  }
  command
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
