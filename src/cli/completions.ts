/**
 * `completions <shell>` (GitHub issue #7): prints a completion script for bash,
 * zsh, fish or PowerShell, generated from this very program's commands and
 * options. Profile names are looked up when completing, through
 * `config list --names`, so new profiles complete without regenerating.
 */
import { Argument, type Command } from "commander";
import type { Deps } from "../deps.ts";
import { bashScript } from "../completion/bash.ts";
import { fishScript } from "../completion/fish.ts";
import { completionModel } from "../completion/model.ts";
import { powershellScript } from "../completion/powershell.ts";
import { zshScript } from "../completion/zsh.ts";

export const SHELLS = ["bash", "zsh", "fish", "powershell"] as const;
export type Shell = typeof SHELLS[number];

const RENDER = { bash: bashScript, zsh: zshScript, fish: fishScript, powershell: powershellScript };

/** Both names the tool answers to, the one it was called by first. */
export function programNames(name: string): string[] {
  return [name, ...["entra-auth-cli", "entratool"].filter((n) => n !== name)];
}

/** The script for `shell`, completing every command under `program`. */
export function completionScript(shell: Shell, program: Command): string {
  return RENDER[shell](completionModel(program), programNames(program.name()));
}

/** Adds the command to the program. */
export function registerCompletions(program: Command, deps: Deps): void {
  const name = program.name();
  program.command("completions")
    .description("print a shell completion script: bash, zsh, fish or powershell")
    .addArgument(new Argument("<shell>", "the shell to complete in").choices(SHELLS))
    .addHelpText(
      "after",
      `
Install (then open a new shell):
  bash        $ ${name} completions bash > ~/.local/share/bash-completion/completions/${name}
  zsh         $ ${name} completions zsh > "\${fpath[1]}/_${name}"
  fish        $ ${name} completions fish > ~/.config/fish/completions/${name}.fish
  PowerShell  PS> ${name} completions powershell | Out-String | Invoke-Expression
              (add that line to $PROFILE to keep it)`,
    )
    .action((shell: Shell) => {
      deps.io.stdout.write(completionScript(shell, program));
    });
}
