/** The completion model read off commander, and the four scripts rendered from it. */
import assert from "node:assert/strict";
import { Argument, Command } from "commander";
import { run } from "../../src/app.ts";
import { bashScript } from "../../src/completion/bash.ts";
import { completionModel, valueKind } from "../../src/completion/model.ts";
import { fishScript } from "../../src/completion/fish.ts";
import { powershellScript } from "../../src/completion/powershell.ts";
import { zshScript } from "../../src/completion/zsh.ts";
import { fakeDeps } from "../helpers/fake_deps.ts";

function toyProgram(): Command {
  const p = new Command("toy");
  p.command("get").description("get it")
    .option("-p, --profile <name>", "which profile")
    .option("-f, --flow <flow>", "which flow")
    .option("-o, --output <json|token|FILE>", "format or file")
    .option("--cert <file>", "a certificate")
    .option("--tenant <id>", "free text")
    .option("--quiet", "a switch");
  const config = p.command("config").description("settings");
  config.command("list").option("--names", "names only");
  p.command("shell").addArgument(new Argument("<which>").choices(["bash", "fish"]));
  return p;
}

Deno.test("the model walks commands, options and argument choices", () => {
  const model = completionModel(toyProgram());
  const at = (path: string) => model.find((c) => c.path === path)!;
  assert.deepEqual(at("").subcommands.map((s) => s.name), ["get", "config", "shell", "help"]);
  assert.deepEqual(at("config").subcommands.map((s) => s.name), ["list", "help"]);
  assert.deepEqual(at("shell").args, ["bash", "fish"]);
  assert.deepEqual(
    at("help").args,
    ["get", "config", "shell"],
    "help [command] completes commands",
  );
  const get = at("get").options;
  const option = (name: string) => get.find((o) => o.names.includes(name))!;
  assert.deepEqual(option("-p").names, ["-p", "--profile"]);
  assert.deepEqual(option("--profile").value, { kind: "profiles" });
  assert.deepEqual(option("--flow").value?.kind, "words");
  assert.deepEqual(option("--output").value, {
    kind: "words",
    words: ["json", "token"],
    files: true,
  });
  assert.deepEqual(option("--cert").value, { kind: "files" });
  assert.deepEqual(option("--tenant").value, { kind: "text" });
  assert.equal(option("--quiet").value, undefined);
  assert.ok(option("--help"), "the implicit --help is offered too");
  assert.deepEqual(at("config list").options.map((o) => o.names[0]), ["--names", "-h"]);
});

Deno.test("valueKind: choices, known options, placeholders", () => {
  assert.deepEqual(valueKind({ flags: "--x <a>", long: "--x", argChoices: ["a", "b"] }), {
    kind: "words",
    words: ["a", "b"],
    files: false,
  });
  assert.deepEqual(
    valueKind({ flags: "--cloud <name>", long: "--cloud", argChoices: undefined })
      .kind,
    "words",
  );
  assert.deepEqual(
    valueKind({ flags: "-s, --scope <scopes...>", long: "--scope", argChoices: undefined }),
    { kind: "text" },
  );
});

Deno.test("the scripts: one per shell, both program names, profile names from the CLI", () => {
  const model = completionModel(toyProgram());
  const names = ["toy", "toytool"];
  const bash = bashScript(model, names);
  assert.match(bash, /^complete -F _toy toy toytool$/m);
  assert.match(bash, /'get\|-p' \| 'get\|--profile'\) REPLY='profiles' ;;/);
  assert.match(bash, /config list --names/);
  const zsh = zshScript(model, names);
  assert.match(zsh, /^#compdef toy toytool\n/);
  assert.match(zsh, /'get:get it'/);
  assert.match(zsh, /compdef _toy toy toytool/);
  const fish = fishScript(model, names);
  assert.match(fish, /^for cmd in toy toytool$/m);
  assert.match(fish, /-s p -l profile -x -a '\(__toy_profiles\)' -d 'which profile'/);
  assert.match(fish, /-l cert -r -F/);
  const ps = powershellScript(model, names);
  assert.match(ps, /Register-ArgumentCompleter -Native -CommandName 'toy', 'toytool'/);
  assert.match(ps, /'get\|--flow' = 'words ClientCredentials AuthorizationCode/);
});

Deno.test("quotes in descriptions cannot break out of the scripts", () => {
  const p = new Command("q");
  p.command("it").description(`it's "quoted" \\ here`).option("--o <v>", "it's");
  const model = completionModel(p);
  assert.match(zshScript(model, ["q"]), /'it:it'\\''s "quoted" \\ here'/);
  assert.match(fishScript(model, ["q"]), /-d 'it\\'s "quoted" \\\\ here'/);
  assert.match(powershellScript(model, ["q"]), /d = 'it''s "quoted" \\ here'/);
});

Deno.test("completions <shell> prints the real program's script; a bad shell exits 2", async () => {
  for (const shell of ["bash", "zsh", "fish", "powershell"]) {
    const deps = fakeDeps();
    assert.equal(await run(["completions", shell], deps), 0, deps.err());
    for (const word of ["get-token", "config", "export", "--client-secret-stdin", "DeviceCode"]) {
      assert.ok(deps.out().includes(word), `${shell}: ${word}`);
    }
    assert.ok(deps.out().includes("entratool"), shell);
  }
  const deps = fakeDeps();
  assert.equal(await run(["completions", "tcsh"], deps), 2);
  assert.match(deps.err(), /^✗ .*tcsh/);
});
