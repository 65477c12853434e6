/**
 * The terminal prompter, on @inquirer/prompts. The library is imported on the
 * first question only: a cached get-token or a pipeline never loads it.
 */
import type { Prompter } from "../deps.ts";
import { CancelledError } from "../errors.ts";
import { lazy } from "../lazy.ts";

/** Builds the real Prompter; every prompt is drawn on stderr so stdout stays clean. */
export function createPrompter(): Prompter {
  return {
    async password(message) {
      const { askPassword } = await lazy<typeof import("./inquirer.ts")>("platform/inquirer.ts");
      try {
        return await askPassword(message);
      } catch (err) {
        throw cancelled(err);
      }
    },
  };
}

/** Ctrl-C (or a closed terminal) at a prompt is a cancellation: exit 130. */
function cancelled(err: unknown): unknown {
  const name = err instanceof Error ? err.name : "";
  if (name !== "ExitPromptError" && name !== "AbortPromptError") return err;
  return new CancelledError("CANCELLED", "cancelled at the prompt", { cause: err });
}
