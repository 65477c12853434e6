import assert from "node:assert/strict";
import { buildAuthority, cloudHost, normalizeAuthorityHost } from "../../src/entra/authority.ts";
import { UsageError } from "../../src/errors.ts";

Deno.test("buildAuthority builds Entra v2.0 endpoints", () => {
  const a = buildAuthority("https://login.microsoftonline.com/", "contoso.onmicrosoft.com");
  assert.equal(
    a.tokenEndpoint,
    "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token",
  );
  assert.equal(
    a.deviceCodeEndpoint,
    "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/devicecode",
  );
  assert.equal(a.insecure, false);
});

Deno.test("clouds map to their hosts, case-insensitively", () => {
  assert.equal(cloudHost("azureusgovernment"), "https://login.microsoftonline.us");
  assert.equal(cloudHost("AzureChina"), "https://login.chinacloudapi.cn");
  assert.throws(
    () => cloudHost("Mars"),
    (e) => e instanceof UsageError && e.code === "CLOUD_UNKNOWN",
  );
});

Deno.test("authority hosts must be https except loopback", () => {
  assert.equal(
    normalizeAuthorityHost("login.microsoftonline.us"),
    "https://login.microsoftonline.us",
  );
  assert.equal(normalizeAuthorityHost("http://127.0.0.1:8080/"), "http://127.0.0.1:8080");
  assert.throws(() => normalizeAuthorityHost("http://evil.example"), UsageError);
  assert.throws(() => normalizeAuthorityHost("https://x/?q=1"), UsageError);
});

Deno.test("tenants with path characters are refused", () => {
  assert.throws(() => buildAuthority("https://h", "../x"), UsageError);
  assert.throws(() => buildAuthority("https://h", "a/b"), UsageError);
});
