import assert from "node:assert/strict";
import { Command } from "commander";
import { parseSimple } from "../../src/cli/option_table.ts";
import { GET_TOKEN_OPTIONS } from "../../src/cli/get_token.ts";

/** What commander makes of the same argv, for get-token's options. */
function viaCommander(argv: string[]): Record<string, unknown> {
  const cmd = new Command("get-token").exitOverride().configureOutput({ writeErr: () => {} });
  for (const o of GET_TOKEN_OPTIONS) cmd.option(o.flags, o.description);
  cmd.parse(argv, { from: "user" });
  return cmd.opts();
}

Deno.test("the fast parser agrees with commander wherever it answers", async (t) => {
  const cases = [
    [],
    ["-p", "ci"],
    ["--profile", "ci", "--silent"],
    ["--profile=ci", "--json", "--force"],
    ["-s", "https://graph.microsoft.com/User.Read", "Mail.Read", "-p", "x"],
    ["--scope", "a/.default", "--scope", "b/.default"],
    ["-o", "token.txt", "--min-validity", "10m", "-v"],
    ["--tenant", "contoso.com", "--authority-host", "https://h", "--cloud", "AzureChina"],
    ["-f", "client-credentials", "--assertion-alg", "RS256", "--send-x5c"],
  ];
  for (const argv of cases) {
    await t.step(argv.join(" ") || "(none)", () => {
      const fast = parseSimple(argv, GET_TOKEN_OPTIONS);
      assert.ok(fast, "the fast parser should handle this");
      assert.deepEqual({ ...fast }, { ...viaCommander(argv) });
    });
  }
});

Deno.test("anything unusual is left to commander", () => {
  for (
    const argv of [
      ["--help"],
      ["-h"],
      ["--version"],
      ["--frce"],
      ["-p"],
      ["-pci"],
      ["stray"],
      ["--silent=yes"],
      ["-p", "--json"],
    ]
  ) {
    assert.equal(parseSimple(argv, GET_TOKEN_OPTIONS), undefined, argv.join(" "));
  }
});
