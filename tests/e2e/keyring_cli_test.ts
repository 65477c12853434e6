/**
 * The CLI with the Linux Secret Service: a real gnome-keyring on a private D-Bus,
 * create-profile → get-token → delete-profile, with the secret never in a file,
 * never on a command line, and gone from the keyring afterwards.
 */
import assert from "node:assert/strict";
import { findInFiles } from "../helpers/cli.ts";
import { keyringToolsInstalled, startTestKeyring } from "../helpers/keyring.ts";
import { CONFIDENTIAL_CLIENT_SECRET, startLab } from "./lab.ts";

const ignore = !keyringToolsInstalled();

/** secret-tool items of this tool, as `key` attributes. */
async function keyringKeys(env: Record<string, string>): Promise<string[]> {
  const out = await new Deno.Command("secret-tool", {
    args: ["search", "--all", "service", "entra-auth-cli"],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return [...text.matchAll(/attribute\.key = (.+)/g)].map((m) => m[1].trim());
}

/**
 * A `secret-tool` shim first on PATH that records every argv it is given, then runs
 * the real one, so the test sees exactly what the CLI put on command lines.
 */
async function argvRecorder(dir: string): Promise<{ path: string; log: string }> {
  const bin = `${dir}/shim-bin`;
  await Deno.mkdir(bin);
  const log = `${dir}/argv.log`;
  const real = new TextDecoder().decode(
    (await new Deno.Command("sh", { args: ["-c", "command -v secret-tool"], stdout: "piped" })
      .output())
      .stdout,
  ).trim();
  await Deno.writeTextFile(
    `${bin}/secret-tool`,
    `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${real}' "$@"\n`,
    { mode: 0o755 },
  );
  return { path: bin, log };
}

/** Samples every process's command line while `work` runs. */
async function sampleCmdlines<T>(work: Promise<T>): Promise<{ result: T; cmdlines: Set<string> }> {
  const cmdlines = new Set<string>();
  let done = false;
  const sampler = (async () => {
    while (!done) {
      for await (const e of Deno.readDir("/proc")) {
        if (!/^\d+$/.test(e.name)) continue;
        try {
          cmdlines.add((await Deno.readTextFile(`/proc/${e.name}/cmdline`)).replaceAll("\0", " "));
        } catch { /* the process ended */ }
      }
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
  const result = await work;
  done = true;
  await sampler;
  return { result, cmdlines };
}

Deno.test(
  { name: "keyring: the CLI keeps the client secret in the Secret Service", ignore },
  async (t) => {
    const keyring = await startTestKeyring();
    await using lab = await startLab();
    const recorder = await argvRecorder(lab.env.HOME);
    const env = {
      ...keyring.env,
      ENTRA_AUTH_CLI_HOME: lab.home,
      ENTRA_AUTH_CLI_SECRET_STORE: "",
      PATH: `${recorder.path}:${keyring.env.PATH}`,
    };
    try {
      await t.step("create-profile stores the secret in the keyring, not in a file", async () => {
        const again = await lab.createSecretProfile("kr2", [], { env });
        assert.equal(again.code, 0, again.stderr);
        assert.match(again.stderr, /Secret Service/);
        assert.ok(!again.stderr.includes("⚠"), again.stderr);
        assert.ok((await keyringKeys(keyring.env)).includes("profile/kr2/client-secret"));
      });

      await t.step(
        "get-token reads it from the keyring; no secret on any command line",
        async () => {
          const { result, cmdlines } = await sampleCmdlines(
            lab.cli(["get-token", "-p", "kr2"], { env }),
          );
          assert.equal(result.code, 0, result.stderr);
          assert.ok(cmdlines.size > 0);
          for (const line of cmdlines) assert.ok(!line.includes(CONFIDENTIAL_CLIENT_SECRET), line);
          const argv = await Deno.readTextFile(recorder.log);
          assert.match(argv, /^lookup /m);
          assert.ok(!argv.includes(CONFIDENTIAL_CLIENT_SECRET));
        },
      );

      await t.step("config show names the backend", async () => {
        const r = await lab.cli(["config", "show", "-p", "kr2", "--json"], { env });
        assert.equal(r.code, 0, r.stderr);
        assert.match(JSON.parse(r.stdout).secretStore, /Secret Service/);
      });

      await t.step("the secret is in no file under the config home or HOME", async () => {
        assert.deepEqual(await findInFiles(lab.home, CONFIDENTIAL_CLIENT_SECRET), []);
        assert.deepEqual(
          await findInFiles(keyring.env.HOME.replace(/\/home$/, ""), CONFIDENTIAL_CLIENT_SECRET),
          [],
        );
        assert.deepEqual(await findInFiles(lab.env.HOME, CONFIDENTIAL_CLIENT_SECRET), []);
      });

      await t.step("delete-profile removes the keyring item", async () => {
        const r = await lab.cli(["delete-profile", "--name", "kr2"], { env });
        assert.equal(r.code, 0, r.stderr);
        assert.ok(!(await keyringKeys(keyring.env)).includes("profile/kr2/client-secret"));
      });
    } finally {
      await keyring.stop();
    }
  },
);

Deno.test(
  { name: "keyring: a locked keyring falls back to the key file with the warning", ignore },
  async () => {
    const keyring = await startTestKeyring({ unlocked: false });
    await using lab = await startLab();
    try {
      const env = {
        ...keyring.env,
        ENTRA_AUTH_CLI_HOME: lab.home,
        ENTRA_AUTH_CLI_SECRET_STORE: "",
      };
      const started = Date.now();
      const r = await lab.createSecretProfile("lk", [], { env });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /⚠ .*secret\.key/);
      assert.ok(Date.now() - started < 15_000, "the probe is bounded");
      const forced = await lab.cli(["config", "list"], {
        env: { ...env, ENTRA_AUTH_CLI_SECRET_STORE: "keyring" },
      });
      assert.equal(forced.code, 0); // listing needs no secret
      const token = await lab.cli(["get-token", "-p", "lk"], {
        env: { ...env, ENTRA_AUTH_CLI_SECRET_STORE: "keyring" },
      });
      assert.equal(token.code, 2);
      assert.match(token.stderr, /^✗ .*keyring/m);
    } finally {
      await keyring.stop();
    }
  },
);

Deno.test(
  { name: "keyring: a secret saved without the keyring is still found once it works", ignore },
  async () => {
    const keyring = await startTestKeyring();
    await using lab = await startLab();
    try {
      // Saved from "an SSH session": no keyring, so it lands in the encrypted file.
      const saved = await lab.createSecretProfile("ssh", [], {
        env: {
          ENTRA_AUTH_CLI_SECRET_STORE: "",
          DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent",
        },
      });
      assert.equal(saved.code, 0, saved.stderr);
      assert.match(saved.stderr, /⚠ .*secret\.key/);
      // Later, at the desktop, the keyring works: the token still comes.
      const env = {
        ...keyring.env,
        ENTRA_AUTH_CLI_HOME: lab.home,
        ENTRA_AUTH_CLI_SECRET_STORE: "",
      };
      const r = await lab.cli(["get-token", "-p", "ssh", "--json"], { env });
      assert.equal(r.code, 0, r.stderr);
      assert.ok(!r.stderr.includes("⚠"), r.stderr);
      const shown = await lab.cli(["config", "show", "-p", "ssh", "--json"], { env });
      assert.match(JSON.parse(shown.stdout).secretStore, /Secret Service/);
      assert.equal(JSON.parse(shown.stdout).clientSecretStored, true);
    } finally {
      await keyring.stop();
    }
  },
);
