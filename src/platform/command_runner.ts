/** Runs helper programs (secret-tool, security, powershell, browsers). */

/** What a finished child process produced. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options for one child process; secrets travel on `stdin`, never in argv. */
export interface RunOptions {
  stdin?: string;
  timeoutMs?: number;
  env?: Record<string, string>;
}

/** The subprocess seam: OS store shims build argv and parse output, this runs it. */
export interface CommandRunner {
  run(cmd: string, args: string[], options?: RunOptions): Promise<CommandResult>;
}

/** Thrown by a runner when the program does not exist. */
export class CommandNotFoundError extends Error {}

/** Thrown by a runner when the program did not finish within `timeoutMs`. */
export class CommandTimeoutError extends Error {}

/** The real runner, on Deno.Command. */
export function createCommandRunner(): CommandRunner {
  return { run: runCommand };
}

async function runCommand(
  cmd: string,
  args: string[],
  options: RunOptions = {},
): Promise<CommandResult> {
  const controller = new AbortController();
  const timer = options.timeoutMs
    ? setTimeout(() => controller.abort(), options.timeoutMs)
    : undefined;
  try {
    const child = new Deno.Command(cmd, {
      args,
      env: options.env,
      stdin: options.stdin === undefined ? "null" : "piped",
      stdout: "piped",
      stderr: "piped",
      signal: controller.signal,
    }).spawn();
    if (options.stdin !== undefined) {
      const writer = child.stdin.getWriter();
      await writer.write(new TextEncoder().encode(options.stdin)).catch(() => {});
      await writer.close().catch(() => {});
    }
    const out = await child.output();
    if (controller.signal.aborted) {
      throw new CommandTimeoutError(`${cmd} did not finish within ${options.timeoutMs} ms`);
    }
    const decoder = new TextDecoder();
    return {
      code: out.code,
      stdout: decoder.decode(out.stdout),
      stderr: decoder.decode(out.stderr),
    };
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      throw new CommandNotFoundError(`${cmd} is not installed`, { cause: err });
    }
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
