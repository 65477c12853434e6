/**
 * The terminal prompter, on @inquirer/prompts. The library is imported on the
 * first question only: a cached get-token or a pipeline never loads it.
 */
import type { Prompter } from "../deps.ts";
import { CancelledError } from "../errors.ts";
import { lazy } from "../lazy.ts";

type Inquirer = typeof import("./inquirer.ts");

/** Builds the real Prompter; every prompt is drawn on stderr so stdout stays clean. */
export function createPrompter(): Prompter {
  return {
    password: (message, options) => ask((q) => q.askPassword(message, options?.validate)),
    input: (message, options) =>
      ask((q) => q.askInput(message, options?.default, options?.validate)),
    select: (message, choices, options) =>
      ask((q) => q.askSelect(message, choices, options?.default)),
    confirm: (message, options) => ask((q) => q.askConfirm(message, options?.default)),
  };
}

async function ask<T>(question: (inquirer: Inquirer) => Promise<T>): Promise<T> {
  const inquirer = await lazy<Inquirer>("platform/inquirer.ts");
  try {
    return await question(inquirer);
  } catch (err) {
    throw cancelled(err);
  }
}

/** Ctrl-C (or a closed terminal) at a prompt is a cancellation: exit 130. */
function cancelled(err: unknown): unknown {
  const name = err instanceof Error ? err.name : "";
  if (name !== "ExitPromptError" && name !== "AbortPromptError") return err;
  return new CancelledError("CANCELLED", "cancelled at the prompt", { cause: err });
}
