/**
 * AuthorizationCode for a confidential web app that proves itself with a certificate
 * (SPEC §5): PKCE plus a client assertion on the code redemption, through the fast
 * lane (the IdP signs the person in by itself; the BROWSER follows redirects).
 */
import assert from "node:assert/strict";
import { makeCertFixtures } from "../fixtures/make_certs.ts";
import { writeBrowserShim } from "../helpers/sign_in_lab.ts";
import { withTempDir } from "../helpers/util.ts";
import { certificateClientMetadata } from "../idp/clients.ts";
import type { SeenAssertion } from "../idp/lab_control.ts";
import { claimsOf, startLab } from "./lab.ts";

const WEB_CERT_CLIENT_ID = "ce27a990-0000-4000-8000-0000000000d5";

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

Deno.test("AuthorizationCode with a certificate: PKCE and a client assertion", () =>
  withTempDir(async (dir) => {
    const f = await makeCertFixtures(dir);
    const redirect = `http://localhost:${freePort()}/callback`;
    await using lab = await startLab({
      env: { IDP_AUTO_LOGIN: "erin" },
      extraClients: [{
        ...certificateClientMetadata(WEB_CERT_CLIENT_ID, await Deno.readTextFile(f.certPem)),
        application_type: "native", // lets the plain-http localhost redirect through
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        redirect_uris: [redirect],
      }],
    });
    const follow = await writeBrowserShim(lab.env.HOME, { driver: "fetch" });
    const created = await lab.createProfile("web", WEB_CERT_CLIENT_ID, [
      "--use-certificate",
      "--certificate-path",
      f.combinedPem,
      "--flow",
      "AuthorizationCode",
      "--redirect-uri",
      redirect,
    ]);
    assert.equal(created.code, 0, created.stderr);
    await lab.idp.reset();
    const r = await lab.cli(["get-token", "-p", "web", "--json"], { env: { BROWSER: follow } });
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.flow, "AuthorizationCode");
    assert.equal(claimsOf(doc.access_token).preferred_username, "erin@contoso.example");
    assert.equal((await lab.idp.stats()).token.authorization_code, 1);
    const seen: SeenAssertion[] = await (await lab.idp.fetch("/__lab/assertions")).json();
    const last = seen.at(-1)!;
    assert.equal(last.claims.iss, WEB_CERT_CLIENT_ID);
    assert.equal(last.claims.aud, `${lab.idp.authority}/oauth2/v2.0/token`);
    assert.equal(last.header.alg, "PS256");
  }));
