/**
 * A real gnome-keyring on a private D-Bus session for one test: its own dbus-daemon,
 * a throwaway HOME and XDG_RUNTIME_DIR, and (by default) an unlocked "login"
 * collection. Pass `env` to any process that should use it; `stop()` ends every
 * process it started, including ones D-Bus activated, and removes the directory.
 *
 * ```ts
 * const keyring = await startTestKeyring();
 * try { ...run things with keyring.env... } finally { await keyring.stop(); }
 * ```
 */

/** A running test keyring. */
export interface TestKeyring {
  /** DBUS_SESSION_BUS_ADDRESS, HOME, XDG_* and PATH for processes that should use it. */
  env: Record<string, string>;
  /** Stops the daemons and removes the temporary directory; safe to call twice. */
  stop(): Promise<void>;
}

/** Options for startTestKeyring. */
export interface TestKeyringOptions {
  /**
   * true (default): an unlocked login collection, so secret-tool works.
   * false: the daemon runs but no collection is unlocked, like a headless session
   * whose keyring would need a GUI prompt: every store attempt fails.
   */
  unlocked?: boolean;
}

const TOOLS = ["dbus-daemon", "dbus-send", "gnome-keyring-daemon", "secret-tool"];
const READY_TIMEOUT_MS = 10_000;

/** Whether the programs this helper needs are on PATH (tests skip themselves otherwise). */
export function keyringToolsInstalled(): boolean {
  if (Deno.build.os !== "linux") return false;
  const dirs = (Deno.env.get("PATH") ?? "").split(":").filter(Boolean);
  return TOOLS.every((tool) => dirs.some((dir) => isFile(`${dir}/${tool}`)));
}

/** Starts a private bus and a gnome-keyring on it, and waits until it answers. */
export async function startTestKeyring(options: TestKeyringOptions = {}): Promise<TestKeyring> {
  const dir = await Deno.makeTempDir({ prefix: "entra-keyring-" });
  const env: Record<string, string> = {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    HOME: `${dir}/home`,
    XDG_RUNTIME_DIR: `${dir}/run`,
    XDG_DATA_HOME: `${dir}/home/.local/share`,
    XDG_CONFIG_HOME: `${dir}/home/.config`,
    XDG_CACHE_HOME: `${dir}/home/.cache`,
  };
  for (const d of [env.HOME, env.XDG_RUNTIME_DIR]) await Deno.mkdir(d, { mode: 0o700 });
  const children: Deno.ChildProcess[] = [];
  let stopping: Promise<void> | undefined;
  const stop = () => stopping ??= stopAll(children, dir);
  try {
    const bus = spawn(
      "dbus-daemon",
      [
        "--session",
        "--nofork",
        "--print-address=1",
        `--address=unix:path=${dir}/bus`,
      ],
      env,
      { stdout: "piped" },
    );
    children.push(bus);
    env.DBUS_SESSION_BUS_ADDRESS = await readFirstLine(bus, 5_000);
    const unlocked = options.unlocked ?? true;
    const args = ["--foreground", "--components=secrets", ...(unlocked ? ["--unlock"] : [])];
    const daemon = spawn("gnome-keyring-daemon", args, env, { stdin: unlocked ? "piped" : "null" });
    children.push(daemon);
    if (unlocked) {
      // --unlock reads the login password from stdin up to EOF.
      const writer = daemon.stdin.getWriter();
      await writer.write(new TextEncoder().encode("test-keyring-password"));
      await writer.close();
    }
    await waitUntilReady(env, unlocked);
    return { env, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function spawn(
  cmd: string,
  args: string[],
  env: Record<string, string>,
  io: { stdin?: "piped" | "null"; stdout?: "piped" | "null" },
): Deno.ChildProcess {
  // clearEnv: no DISPLAY or outer DBUS_SESSION_BUS_ADDRESS may leak in.
  return new Deno.Command(cmd, {
    args,
    env,
    clearEnv: true,
    stdin: io.stdin ?? "null",
    stdout: io.stdout ?? "null",
    stderr: "null",
  }).spawn();
}

async function readFirstLine(child: Deno.ChildProcess, timeoutMs: number): Promise<string> {
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const timer = setTimeout(() => reader.cancel(), timeoutMs);
  let text = "";
  try {
    while (!text.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) throw new Error("dbus-daemon exited before printing its address");
      text += value;
    }
    return text.split("\n")[0].trim();
  } finally {
    clearTimeout(timer);
    await reader.cancel().catch(() => {});
  }
}

/** Polls the bus until the Secret Service owns its name (and has a login collection). */
async function waitUntilReady(env: Record<string, string>, unlocked: boolean): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    // NameHasOwner does not trigger D-Bus activation, so polling cannot start a
    // second daemon; ReadAlias answers "/" until the login collection exists.
    const owned = await busCall(env, "/org/freedesktop/DBus", "org.freedesktop.DBus", [
      "org.freedesktop.DBus.NameHasOwner",
      "string:org.freedesktop.secrets",
    ]);
    if (owned.includes("boolean true")) {
      if (!unlocked) return;
      const alias = await busCall(env, "/org/freedesktop/secrets", "org.freedesktop.secrets", [
        "org.freedesktop.Secret.Service.ReadAlias",
        "string:default",
      ]);
      if (alias.includes("/collection/")) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("gnome-keyring did not come up on the test bus");
}

async function busCall(
  env: Record<string, string>,
  path: string,
  dest: string,
  method: string[],
): Promise<string> {
  const out = await new Deno.Command("dbus-send", {
    args: ["--session", `--dest=${dest}`, "--type=method_call", "--print-reply", path, ...method],
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).output();
  return new TextDecoder().decode(out.stdout);
}

async function stopAll(children: Deno.ChildProcess[], dir: string): Promise<void> {
  const [bus, ...rest] = children;
  for (const child of rest.reverse()) await terminate(child);
  // Services the bus activated on its own (a second keyring daemon, gcr-prompter)
  // are its children; end them first so it reaps them and none is orphaned.
  if (bus) {
    await terminatePids(childPidsOf(bus.pid));
    await terminate(bus);
  }
  await Deno.remove(dir, { recursive: true }).catch(() => {});
}

async function terminate(child: Deno.ChildProcess): Promise<void> {
  try {
    child.kill("SIGTERM");
  } catch { /* already gone */ }
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
  }, 3_000);
  await child.status;
  clearTimeout(timer);
}

async function terminatePids(pids: number[]): Promise<void> {
  for (const pid of pids) {
    try {
      Deno.kill(pid, "SIGTERM");
    } catch { /* gone */ }
  }
  const deadline = Date.now() + 3_000;
  while (pids.some((pid) => isFile(`/proc/${pid}/stat`)) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Direct children of `pid`, from /proc (the comm field may hold spaces and parens). */
function childPidsOf(pid: number): number[] {
  const pids: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${entry.name}/stat`);
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) pids.push(Number(entry.name));
    } catch { /* exited meanwhile */ }
  }
  return pids;
}

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}
