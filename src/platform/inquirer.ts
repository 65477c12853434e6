/**
 * The @inquirer/prompts calls, drawn on stderr so stdout stays clean. Loaded
 * through `lazy` (see prompt.ts): the library and Node compatibility it needs
 * cost more than a whole cached get-token.
 */
import process from "node:process";
import { password } from "@inquirer/prompts";

/** Asks for a secret without echoing it (no mask: not even its length shows). */
export function askPassword(message: string): Promise<string> {
  return password({ message, toggleMask: false }, { input: process.stdin, output: process.stderr });
}
