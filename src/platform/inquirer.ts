/**
 * The @inquirer/prompts calls, drawn on stderr so stdout stays clean. Loaded
 * through `lazy` (see prompt.ts): the library and Node compatibility it needs
 * cost more than a whole cached get-token.
 */
import process from "node:process";
import { confirm, input, password, select } from "@inquirer/prompts";
import type { Choice, Validate } from "../deps.ts";

const context = () => ({ input: process.stdin, output: process.stderr });

/**
 * Asks for a secret without echoing it (no mask: not even its length shows).
 * `validate` runs here, not in inquirer: after a refusal inquirer keeps the
 * refused text in the hidden line, so the next try would silently extend it.
 */
export async function askPassword(message: string, validate?: Validate): Promise<string> {
  for (;;) {
    const answer = await password({ message, toggleMask: false }, context());
    const verdict = validate ? await validate(answer) : true;
    if (verdict === true) return answer;
    // Replace the "✔ question" line with the reason; the question is asked again below it.
    process.stderr.write(`\x1b[1A\x1b[2K> ${verdict}\n`);
  }
}

/** Asks for a line of text, re-asking until `validate` accepts it. */
export function askInput(message: string, def?: string, validate?: Validate): Promise<string> {
  return input({ message, default: def, validate }, context());
}

/** Asks to pick one of `choices`. */
export function askSelect<T extends string>(
  message: string,
  choices: Choice<T>[],
  def?: T,
): Promise<T> {
  return select<T>({ message, choices, default: def }, context());
}

/** Asks yes or no. */
export function askConfirm(message: string, def?: boolean): Promise<boolean> {
  return confirm({ message, default: def }, context());
}
