/**
 * `config create`: the guided set-up (GitHub issue #7). Asks every question on
 * the terminal, checks each answer as it is typed, then builds and saves the
 * profile exactly as create-profile would. Ctrl-C at any question writes nothing
 * (exit 130): nothing is saved before the last answer.
 */
import type { Deps } from "../deps.ts";
import { UsageError } from "../errors.ts";
import { createReporter } from "../output/reporter.ts";
import { ProfilesFile } from "../profile/profiles_file.ts";
import { buildProfile } from "./profile_build.ts";
import { ALL_QUESTIONS, askProfile, canPrompt } from "./profile_questions.ts";
import { reportSecrets, saveProfile } from "./profile_save.ts";

/** Runs `config create`. */
export async function runConfigCreate(deps: Deps, program = "entra-auth-cli"): Promise<void> {
  if (!canPrompt(deps)) {
    throw new UsageError("TERMINAL_REQUIRED", "config create asks questions and needs a terminal", {
      hints: [
        `In scripts, use flags: ${program} create-profile --name NAME --tenant-id TENANT ` +
        "--client-id CLIENT_ID --client-secret-stdin (see create-profile --help)",
      ],
    });
  }
  const reporter = createReporter(deps.io, deps.env);
  const file = new ProfilesFile(deps.paths.configHome());
  // Read first: a damaged profiles.json stops us before any question is asked.
  const taken = (await file.load()).map((p) => p.name);
  const answers = await askProfile({}, deps, { ask: ALL_QUESTIONS, taken });
  const built = await buildProfile(answers, deps, { fromEnv: false });
  const saved = await saveProfile(built, "create", deps, reporter);
  const { profile } = built;
  reporter.success(`Profile '${profile.name}' created in ${file.path}`);
  reportSecrets(built, saved, reporter);
  reporter.info(`Try it: ${program} get-token -p ${profile.name}`);
}
