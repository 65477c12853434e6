/**
 * The client-credentials examples from the user documentation, run verbatim in
 * bash through `entratool` / `entra-auth-cli` wrappers against the test IdP.
 */
import assert from "node:assert/strict";
import {
  CONFIDENTIAL_CLIENT_ID,
  CONFIDENTIAL_CLIENT_SECRET,
  sh,
  startLab,
  TENANT_ID,
} from "./lab.ts";

const jwt = /^[\w-]+\.[\w-]+\.[\w-]+$/;

Deno.test("documented client-credentials examples work as written", async (t) => {
  await using lab = await startLab();
  const env = {
    TENANT_ID,
    CLIENT_ID: CONFIDENTIAL_CLIENT_ID,
    CLIENT_SECRET: CONFIDENTIAL_CLIENT_SECRET,
  };

  await t.step("CI recipe: create-profile with flags, then --output json | jq", async () => {
    const r = await sh(
      lab,
      `set -euo pipefail
      entratool create-profile \\
        --name ci \\
        --tenant-id "$TENANT_ID" \\
        --client-id "$CLIENT_ID" \\
        --client-secret "$CLIENT_SECRET" \\
        --scope https://management.azure.com/.default
      TOKEN=$(entratool get-token --profile ci --output json | jq -r .access_token)
      test -n "$TOKEN"
      printf '%s' "$TOKEN"`,
      env,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, jwt);
  });

  await t.step("TOKEN=$(... --silent) and the file-cache pattern with discover -f", async () => {
    const r = await sh(
      lab,
      `set -e
      TOKEN=$(entra-auth-cli get-token -p ci --silent)
      test -n "$TOKEN"
      TOKEN_FILE=$HOME/.cache/entra-auth-cli-token.txt
      mkdir -p "$(dirname "$TOKEN_FILE")"
      if [ ! -f "$TOKEN_FILE" ] || ! entra-auth-cli discover -f "$TOKEN_FILE" &>/dev/null; then
        entra-auth-cli get-token -p ci --silent > "$TOKEN_FILE"
      fi
      entra-auth-cli discover -f "$TOKEN_FILE"
      entra-auth-cli get-token -p ci -o token.txt
      TOKEN2=$(cat token.txt)
      test -n "$TOKEN2"
      echo "$TOKEN" | entra-auth-cli inspect | jq -e .aud >/dev/null
      entra-auth-cli inspect -t "$TOKEN" >/dev/null
      entra-auth-cli get-token -p ci --silent | entra-auth-cli inspect >/dev/null
      echo done`,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /done\n$/);
    assert.match(r.stderr, /✓ Token saved to token\.txt/);
  });

  await t.step("default profile and --scope override without -p, json to jq", async () => {
    const r = await sh(
      lab,
      `set -euo pipefail
      entratool create-profile --name default --tenant-id "$TENANT_ID" --client-id "$CLIENT_ID" --client-secret "$CLIENT_SECRET" >/dev/null 2>&1
      entratool get-token >/dev/null
      TOKEN=$(entratool get-token --scope https://graph.microsoft.com/.default --output json | jq -r .access_token)
      printf '%s' "$TOKEN"`,
      env,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, jwt);
  });

  await t.step("the documented get_token retry function", async () => {
    const r = await sh(
      lab,
      `set -euo pipefail
      get_token() {
          local scope="\${1:-https://graph.microsoft.com/.default}"
          local max_retries=3
          local retry=0
          while [ $retry -lt $max_retries ]; do
              if TOKEN=$(entratool get-token --scope "$scope" --output json 2>/dev/null); then
                  echo "$TOKEN" | jq -r .access_token
                  return 0
              fi
              retry=$((retry + 1))
              sleep $((retry * 2))
          done
          return 1
      }
      get_token`,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout.trim(), jwt);
  });

  await t.step("-f ClientCredentials and the long --profile spelling", async () => {
    const r = await sh(
      lab,
      `entratool get-token -p ci -f ClientCredentials --silent && entratool get-token --profile ci --silent`,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim().split("\n").length, 2);
  });
});
