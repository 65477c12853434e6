/**
 * What shell completion knows, read off the commander program (GitHub issue
 * #7): every command path with its subcommands, options and positional values,
 * and for each option that takes a value, where its values come from. The
 * shell scripts (bash.ts, zsh.ts, fish.ts, powershell.ts) are renderings of
 * this model, so a new command or option completes without touching them.
 */
import type { Command, Option } from "commander";
import { CLOUDS } from "../entra/authority.ts";
import { FLOWS } from "../profile/flows.ts";

/** Where an option's value comes from. */
export type ValueKind =
  | { kind: "words"; words: string[]; files: boolean }
  | { kind: "profiles" }
  | { kind: "files" }
  | { kind: "text" };

/** A named thing with its help line. */
export interface Described {
  name: string;
  description: string;
}

/** One option; `value` is absent for switches. */
export interface OptionModel {
  /** `-p`, `--profile`: every spelling. */
  names: string[];
  description: string;
  value?: ValueKind;
}

/** One command, addressed by its path from the program (`""`, `config`, `config list`). */
export interface CommandModel {
  path: string;
  subcommands: Described[];
  options: OptionModel[];
  /** Values for the first positional argument, if it has a fixed set. */
  args: string[];
}

/** Options whose values are not visible in their spelling. */
const VALUES_BY_OPTION: Record<string, ValueKind> = {
  "--flow": { kind: "words", words: [...FLOWS], files: false },
  "--profile": { kind: "profiles" },
  "--name": { kind: "profiles" },
  "--cloud": { kind: "words", words: Object.keys(CLOUDS), files: false },
  "--assertion-alg": { kind: "words", words: ["PS256", "RS256"], files: false },
};

/** The model of `program` and everything under it, root first. */
export function completionModel(program: Command): CommandModel[] {
  const out: CommandModel[] = [];
  walk(program as unknown as Command, "", out);
  return out;
}

function walk(command: Command, path: string, out: CommandModel[]): void {
  const help = command.createHelp();
  const subs = help.visibleCommands(command) as unknown as Command[];
  // commander's implicit `help [command]` is listed but is not one of `commands`.
  const real = subs.filter((s) => (command.commands as unknown[]).includes(s));
  out.push({
    path,
    subcommands: subs.map((s) => ({ name: s.name(), description: s.description() })),
    options: help.visibleOptions(command).map((o) => optionModel(o as unknown as Option)),
    args: firstArgChoices(command),
  });
  for (const sub of subs) {
    const subPath = path ? `${path} ${sub.name()}` : sub.name();
    if (real.includes(sub)) walk(sub, subPath, out);
    else out.push({ path: subPath, subcommands: [], options: [], args: real.map((s) => s.name()) });
  }
}

function firstArgChoices(command: Command): string[] {
  const args = (command as unknown as { registeredArguments: { argChoices?: string[] }[] })
    .registeredArguments;
  return [...(args[0]?.argChoices ?? [])];
}

function optionModel(o: Option): OptionModel {
  const names = [o.short, o.long].filter((n): n is string => !!n);
  const takesValue = o.required || o.optional;
  return {
    names,
    description: o.description,
    ...(takesValue ? { value: valueKind(o) } : {}),
  };
}

/** Choices first, then the option's name, then its placeholder (`<file>`, `<json|...|FILE>`). */
export function valueKind(o: Pick<Option, "argChoices" | "long" | "flags">): ValueKind {
  if (o.argChoices?.length) return { kind: "words", words: [...o.argChoices], files: false };
  const known = o.long ? VALUES_BY_OPTION[o.long] : undefined;
  if (known) return known;
  const placeholder = /[<[]([^>\]]+?)(?:\.\.\.)?[>\]]/.exec(o.flags)?.[1] ?? "";
  const parts = placeholder.split("|");
  const isFile = (p: string) => /^(file|path)$/i.test(p);
  const files = parts.some(isFile);
  if (parts.length > 1) return { kind: "words", words: parts.filter((p) => !isFile(p)), files };
  return files ? { kind: "files" } : { kind: "text" };
}

/** The value kind as one word-list string, the form the shell scripts test with `case`. */
export function kindCode(value: ValueKind): string {
  if (value.kind !== "words") return value.kind;
  return `${value.files ? "words+files" : "words"} ${value.words.join(" ")}`;
}
