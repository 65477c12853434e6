import assert from "node:assert/strict";
import { createReporter, useColor } from "../../src/output/reporter.ts";
import { fakeDeps } from "../helpers/fake_deps.ts";

Deno.test("colour: only on a terminal, and NO_COLOR set to anything non-empty turns it off", () => {
  const tty = (env: Record<string, string>) => {
    const deps = fakeDeps({ env });
    deps.io.isTerminal.stderr = true;
    return useColor(deps.io, deps.env);
  };
  assert.equal(tty({}), true);
  assert.equal(tty({ NO_COLOR: "" }), true);
  assert.equal(tty({ NO_COLOR: "1" }), false);
  assert.equal(useColor(fakeDeps().io, fakeDeps().env), false);
});

Deno.test("--silent keeps stderr empty; a repeated warning is said once", () => {
  const quiet = fakeDeps();
  const r = createReporter(quiet.io, quiet.env, { silent: true });
  r.info("x");
  r.warn("y");
  r.success("z");
  assert.equal(quiet.err(), "");
  const loud = fakeDeps();
  const w = createReporter(loud.io, loud.env);
  w.warn("same");
  w.warn("same");
  assert.equal(loud.err(), "⚠ same\n");
});
