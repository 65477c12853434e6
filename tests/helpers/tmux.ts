/**
 * Runs the CLI in a real terminal (a detached tmux session on its own socket),
 * for what only a TTY shows: masked prompts, Ctrl-C. Read the screen with
 * `screen()`/`waitFor()`, type with `type()`/`key()`.
 */
import { cliCommand, denoDir } from "../../scripts/cli_command.ts";

let sessions = 0;

const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/** One CLI run in a terminal; `await using` kills its tmux server. */
export class TerminalRun {
  private constructor(readonly socket: string, readonly dir: string) {}

  /** Starts `entra-auth-cli ...args` with `env`; stdout goes to `stdoutFile()`. */
  static async start(args: string[], env: Record<string, string>): Promise<TerminalRun> {
    const dir = await Deno.makeTempDir({ prefix: "entra-tty-" });
    const run = new TerminalRun(`entra-tty-${Deno.pid}-${++sessions}`, dir);
    const exports = Object.entries({ DENO_DIR: denoDir(), NO_COLOR: "1", ...env })
      .map(([k, v]) => `export ${k}=${quote(v)}`);
    const script = [
      ...exports,
      `${[...cliCommand(), ...args].map(quote).join(" ")} > ${quote(run.stdoutFile())}`,
      `echo $? > ${quote(`${dir}/exit`)}`,
      "exec sleep 600", // keep the pane readable after the CLI exits
    ].join("\n");
    await Deno.writeTextFile(`${dir}/run.sh`, script);
    await run.tmux("new-session", "-d", "-x", "160", "-y", "40", `sh ${quote(`${dir}/run.sh`)}`);
    return run;
  }

  /** Where the CLI's stdout was redirected. */
  stdoutFile(): string {
    return `${this.dir}/stdout`;
  }

  /** The visible screen, blank lines dropped. */
  async screen(): Promise<string> {
    const text = await this.tmux("capture-pane", "-p");
    return text.split("\n").filter((l) => l.trim()).join("\n");
  }

  /** Waits until the screen matches `pattern` (e.g. a prompt) and returns it. */
  async waitFor(
    pattern: RegExp | ((screen: string) => boolean),
    timeoutMs = 30_000,
  ): Promise<string> {
    const matches = typeof pattern === "function" ? pattern : (s: string) => pattern.test(s);
    const end = Date.now() + timeoutMs;
    for (;;) {
      const screen = await this.screen();
      if (matches(screen)) return screen;
      if (Date.now() > end) throw new Error(`screen never matched ${pattern}:\n${screen}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Types `text` literally, then Enter. */
  async type(text: string): Promise<void> {
    await this.tmux("send-keys", "-l", text);
    await this.tmux("send-keys", "Enter");
  }

  /** Presses a key by tmux name, e.g. `C-c`. */
  async key(name: string): Promise<void> {
    await this.tmux("send-keys", name);
  }

  /** Waits for the CLI to exit and returns its exit code. */
  async exitCode(timeoutMs = 30_000): Promise<number> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const text = await Deno.readTextFile(`${this.dir}/exit`).catch(() => "");
      if (text.trim()) return Number(text.trim());
      if (Date.now() > end) {
        throw new Error(`no exit within ${timeoutMs} ms:\n${await this.screen()}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.tmux("kill-server").catch(() => {});
    await Deno.remove(this.dir, { recursive: true }).catch(() => {});
  }

  private async tmux(...args: string[]): Promise<string> {
    const target = ["new-session", "kill-server"].includes(args[0]) ? [] : ["-t", "main"];
    const named = args[0] === "new-session" ? ["-s", "main"] : [];
    const out = await new Deno.Command("tmux", {
      args: ["-L", this.socket, args[0], ...named, ...target, ...args.slice(1)],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.success ? out.stdout : out.stderr);
    if (!out.success) throw new Error(`tmux ${args[0]} failed: ${text}`);
    return text;
  }
}
