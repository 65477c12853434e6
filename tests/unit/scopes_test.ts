import assert from "node:assert/strict";
import { clientCredentialsScope, parseScopes, resourceOf } from "../../src/entra/scopes.ts";
import { UsageError } from "../../src/errors.ts";

Deno.test("parseScopes", async (t) => {
  const cases: [string | string[], string[]][] = [
    ["https://graph.microsoft.com/.default", ["https://graph.microsoft.com/.default"]],
    [
      "https://graph.microsoft.com/User.Read Mail.Read",
      ["https://graph.microsoft.com/User.Read", "https://graph.microsoft.com/Mail.Read"],
    ],
    [
      "https://graph.microsoft.com/User.Read,Mail.Read,Calendars.Read",
      [
        "https://graph.microsoft.com/User.Read",
        "https://graph.microsoft.com/Mail.Read",
        "https://graph.microsoft.com/Calendars.Read",
      ],
    ],
    ["User.Read Mail.Read", ["User.Read", "Mail.Read"]],
    [["a://x/.default", "openid"], ["a://x/.default", "openid"]],
    ["https://management.azure.com//.default", ["https://management.azure.com//.default"]],
    [" , ", []],
  ];
  for (const [input, expected] of cases) {
    await t.step(JSON.stringify(input), () => assert.deepEqual(parseScopes(input), expected));
  }
});

Deno.test("resourceOf keeps trailing slashes and handles api:// and GUID resources", () => {
  assert.equal(
    resourceOf("https://management.azure.com//.default"),
    "https://management.azure.com/",
  );
  assert.equal(resourceOf("api://my-api/.default"), "api://my-api");
  assert.equal(
    resourceOf("00000003-0000-0000-c000-000000000000/.default"),
    "00000003-0000-0000-c000-000000000000",
  );
  assert.equal(resourceOf("User.Read"), undefined);
  assert.equal(resourceOf("https://graph.microsoft.com"), undefined);
});

Deno.test("clientCredentialsScope", async (t) => {
  await t.step(".default passes unchanged", () => {
    assert.deepEqual(clientCredentialsScope(["https://graph.microsoft.com/.default"]), {
      scope: "https://graph.microsoft.com/.default",
      note: undefined,
    });
  });
  await t.step("a specific permission becomes its resource's .default with a note", () => {
    const r = clientCredentialsScope(["https://graph.microsoft.com/User.Read.All"]);
    assert.equal(r.scope, "https://graph.microsoft.com/.default");
    assert.ok(r.note);
  });
  await t.step("two resources are refused", () => {
    assert.throws(
      () => clientCredentialsScope(["https://graph.microsoft.com/.default", "api://x/.default"]),
      (e) => e instanceof UsageError && e.code === "SCOPE_INVALID",
    );
  });
  await t.step("bare permissions are refused", () => {
    assert.throws(() => clientCredentialsScope(["User.Read"]), UsageError);
  });
});
