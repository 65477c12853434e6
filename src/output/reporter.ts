/**
 * Messages for people, on stderr only. `--silent` leaves nothing but errors;
 * colour only when stderr is a terminal and NO_COLOR is unset (SPEC §2).
 */
import type { Env, Io } from "../deps.ts";

export interface Reporter {
  /** A progress line: `Authenticating with profile 'p'...`. */
  info(line: string): void;
  /** `✓ …` */
  success(line: string): void;
  /** `⚠ …`; also hidden by --silent, which promises errors only. */
  warn(line: string): void;
  /** Protocol diagnostics, only with --verbose; callers redact. */
  debug(line: string): void;
  readonly verbose: boolean;
  readonly silent: boolean;
}

export interface ReporterOptions {
  silent?: boolean;
  verbose?: boolean;
}

/** Whether stderr gets ANSI colour. */
export function useColor(io: Io, env: Env): boolean {
  // no-color.org: set and non-empty disables colour; an empty value does not.
  return io.isTerminal.stderr && !env.get("NO_COLOR");
}

/** Builds the reporter for one command run. */
export function createReporter(io: Io, env: Env, options: ReporterOptions = {}): Reporter {
  const color = useColor(io, env);
  const paint = (code: string, text: string) => color ? `\x1b[${code}m${text}\x1b[0m` : text;
  const silent = options.silent ?? false;
  const verbose = (options.verbose ?? false) && !silent;
  const line = (text: string) => {
    if (!silent) io.stderr.write(text + "\n");
  };
  const warned = new Set<string>();
  return {
    info: line,
    success: (text) => line(`${paint("32", "✓")} ${text}`),
    // The same warning can come from several places in one run; say it once.
    warn: (text) => {
      if (warned.has(text)) return;
      warned.add(text);
      line(paint("33", text.startsWith("⚠") ? text : `⚠ ${text}`));
    },
    debug: (text) => {
      if (verbose) io.stderr.write(paint("2", `[verbose] ${text}`) + "\n");
    },
    verbose,
    silent,
  };
}
