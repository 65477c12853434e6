/** The README's code samples, so tests can check and run what users copy. */
import { parse } from "yaml";
import { REPO_ROOT } from "../../scripts/cli_command.ts";

/** The first fenced code block of `lang` after the heading line `heading`. */
export function readmeBlock(heading: string, lang: string): string {
  const text = Deno.readTextFileSync(`${REPO_ROOT}/README.md`);
  const at = text.indexOf(`\n${heading}\n`);
  if (at < 0) throw new Error(`README has no heading '${heading}'`);
  const block = text.slice(at).match(new RegExp("\n```" + lang + "\n([\\s\\S]*?)\n```\n"));
  if (!block) throw new Error(`no ${lang} block under '${heading}'`);
  return block[1];
}

/** A step of either CI system: GitHub's `run` or Azure Pipelines' `bash`. */
export interface RecipeStep {
  name?: string;
  displayName?: string;
  run?: string;
  bash?: string;
  env?: Record<string, string>;
}

/** The steps of the README's CI recipe under `heading` (GitHub: the first job's). */
export function recipeSteps(heading: string): RecipeStep[] {
  const doc = parse(readmeBlock(heading, "yaml"));
  if (doc.jobs) return (Object.values(doc.jobs)[0] as { steps: RecipeStep[] }).steps;
  return doc.steps;
}

/** A step's shell script. */
export function script(step: RecipeStep): string {
  return step.run ?? step.bash ?? "";
}
