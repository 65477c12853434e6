/**
 * Opening the sign-in page in the person's browser. The launcher commands per OS
 * are pure data (`browserLaunchers`), run through a CommandRunner, so the argv for
 * macOS, Windows and WSL is tested on any machine (peers' pain point #4: browsers
 * that never open on WSL or over SSH).
 */
import type { BrowserOpener, Env, Writer } from "../deps.ts";
import { CommandNotFoundError, type CommandResult, type CommandRunner } from "./command_runner.ts";

/** Where we run, as far as choosing a launcher goes. */
export interface LaunchContext {
  os: typeof Deno.build.os;
  /** Windows Subsystem for Linux: Linux, but the browser lives on the Windows side. */
  wsl: boolean;
  env: Env;
}

/** One command that may open a URL. */
export interface Launcher {
  cmd: string;
  args: string[];
}

/** `cmd /c start` reads `&` as "next command"; `^` escapes it (as the GitHub CLI does). */
function cmdEscape(url: string): string {
  return url.replace(/[&^|<>]/g, "^$&");
}

/**
 * Splits `BROWSER` like a shell would for simple cases (spaces, '…' and "…"), so
 * `BROWSER="firefox --new-window"` works. `%s` marks where the URL goes; without
 * one, the URL is appended.
 */
export function browserFromEnv(value: string, url: string): Launcher {
  const words: string[] = [];
  for (const m of value.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(m[1] ?? m[2] ?? m[3]);
  const hasSlot = words.some((w) => w.includes("%s"));
  const args = hasSlot ? words.map((w) => w.replaceAll("%s", url)) : [...words, url];
  return { cmd: args[0], args: args.slice(1) };
}

/** The launchers to try, in order (pure). */
export function browserLaunchers(url: string, ctx: LaunchContext): Launcher[] {
  const custom = ctx.env.get("BROWSER")?.trim();
  if (custom) return [browserFromEnv(custom, url)];
  if (ctx.wsl) {
    return [
      { cmd: "wslview", args: [url] },
      // The empty argument is `start`'s window title, so the URL is never taken for one.
      { cmd: "cmd.exe", args: ["/c", "start", "", cmdEscape(url)] },
      {
        cmd: "powershell.exe",
        args: [
          "-NoProfile",
          "-NonInteractive",
          "-Command",
          `Start-Process '${url.replaceAll("'", "''")}'`,
        ],
      },
    ];
  }
  if (ctx.os === "darwin") return [{ cmd: "open", args: [url] }];
  if (ctx.os === "windows") return [{ cmd: "cmd", args: ["/c", "start", "", cmdEscape(url)] }];
  return [{ cmd: "xdg-open", args: [url] }];
}

/**
 * Whether a browser could appear: always on macOS, Windows and WSL, and with
 * BROWSER set; on other systems only with an X11 or Wayland display (an SSH
 * session without forwarding has neither).
 */
export function hasDisplay(ctx: LaunchContext): boolean {
  if (ctx.env.get("BROWSER")?.trim()) return true;
  if (ctx.os === "darwin" || ctx.os === "windows" || ctx.wsl) return true;
  return Boolean(ctx.env.get("DISPLAY")?.trim() || ctx.env.get("WAYLAND_DISPLAY")?.trim());
}

/** Builds an opener; `wsl` is asked once, lazily (it reads /proc/version). */
export function createBrowserOpener(o: {
  runner: CommandRunner;
  env: Env;
  os: typeof Deno.build.os;
  wsl: () => Promise<boolean>;
  stderr: Writer;
}): BrowserOpener {
  let wsl: Promise<boolean> | undefined;
  const context = async (): Promise<LaunchContext> => ({
    os: o.os,
    env: o.env,
    wsl: await (wsl ??= o.wsl()),
  });
  return {
    canOpen: async () => hasDisplay(await context()),
    open: async (url) => await launch(browserLaunchers(url, await context()), o),
  };
}

/** Tries each launcher until one exits 0; a missing program just moves on to the next. */
async function launch(
  launchers: Launcher[],
  o: { runner: CommandRunner; stderr: Writer },
): Promise<void> {
  let failure: Error = new Error("no browser launcher for this system");
  for (const { cmd, args } of launchers) {
    let result: CommandResult;
    try {
      result = await o.runner.run(cmd, args);
    } catch (err) {
      if (!(err instanceof CommandNotFoundError)) throw err;
      failure = err;
      continue;
    }
    // A launcher's own chatter belongs to the person, on stderr, never to stdout.
    if (result.stdout) o.stderr.write(result.stdout);
    if (result.stderr) o.stderr.write(result.stderr);
    if (result.code === 0) return;
    failure = new Error(`${cmd} exited with code ${result.code}`);
  }
  throw failure;
}

/** WSL says so in /proc/version ("…Microsoft…") and sets WSL_DISTRO_NAME. */
export async function detectWsl(env: Env): Promise<boolean> {
  if (Deno.build.os !== "linux") return false;
  if (env.get("WSL_DISTRO_NAME")) return true;
  try {
    return /microsoft/i.test(await Deno.readTextFile("/proc/version"));
  } catch {
    return false;
  }
}

/**
 * Runs a launcher with its stdout and stderr streamed to our stderr as they
 * arrive, and returns at its exit (a browser it started may keep running).
 */
export function createLauncherRunner(stderr: Writer): CommandRunner {
  return {
    async run(cmd, args) {
      let child: Deno.ChildProcess;
      try {
        child = new Deno.Command(cmd, { args, stdin: "null", stdout: "piped", stderr: "piped" })
          .spawn();
      } catch (err) {
        if (err instanceof Deno.errors.NotFound) {
          throw new CommandNotFoundError(`${cmd} is not installed`, { cause: err });
        }
        throw err;
      }
      for (const stream of [child.stdout, child.stderr]) {
        stream.pipeThrough(new TextDecoderStream())
          .pipeTo(new WritableStream({ write: (text) => stderr.write(text) }))
          .catch(() => {/* the launcher went away; nothing more to show */});
      }
      const status = await child.status;
      return { code: status.code, stdout: "", stderr: "" };
    },
  };
}

/** The real opener, as main.ts's deps use it. */
export function createSystemBrowser(env: Env, stderr: Writer): BrowserOpener {
  return createBrowserOpener({
    runner: createLauncherRunner(stderr),
    env,
    os: Deno.build.os,
    wsl: () => detectWsl(env),
    stderr,
  });
}
