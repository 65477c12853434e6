/**
 * The certificate credential (GitHub issue #3): find the password, load the
 * certificate, and sign one client assertion per token request. Imported on
 * demand, so a cached token or a client secret never loads the certificate code.
 */
import type { Deps } from "../deps.ts";
import { UsageError } from "../errors.ts";
import { type AssertionAlg, AssertionCache } from "../entra/assertion.ts";
import { type CertificateCredential, loadCertificateCredential } from "../entra/certificate.ts";
import type { ClientCredential } from "../flows/client_credentials.ts";
import type { Reporter } from "../output/reporter.ts";
import type { ResolvedProfile } from "../profile/resolve.ts";
import { secretKeys } from "../store/secret_store.ts";

/** Wrong passwords accepted at the prompt before giving up (like sudo). */
export const PASSWORD_TRIES = 3;

/** Where the certificate lives and the password, when one is already known. */
export interface CertificateSource {
  certificatePath: string;
  privateKeyPath?: string;
  password?: string;
}

/**
 * Loads the certificate. Without a known password, a file that needs one gets a
 * prompt when stdin is a terminal (at most {@link PASSWORD_TRIES} tries);
 * otherwise it fails at once with `hints.required`, since nobody could answer.
 * A known password that is wrong fails at once with `hints.wrong`.
 * Returns the password that worked, so create-profile can store a prompted one.
 */
export async function loadCertificateWithPassword(
  source: CertificateSource,
  deps: Deps,
  opts: { reporter: Reporter; hints: { required: string[]; wrong: string[] } },
): Promise<{ credential: CertificateCredential; password?: string }> {
  const load = (password: string | undefined) =>
    loadCertificateCredential({ ...source, password, now: deps.clock.now() });
  if (source.password) {
    try {
      return { credential: await load(source.password), password: source.password };
    } catch (err) {
      if (!hasCode(err, "CERT_PASSWORD_WRONG")) throw err;
      throw new UsageError(err.code, err.message, { cause: err, hints: opts.hints.wrong });
    }
  }
  try {
    return { credential: await load(undefined) };
  } catch (err) {
    if (!hasCode(err, "CERT_PASSWORD_REQUIRED")) throw err;
    if (!deps.io.isTerminal.stdin) {
      throw new UsageError(err.code, err.message, { cause: err, hints: opts.hints.required });
    }
  }
  const file = source.privateKeyPath ?? source.certificatePath;
  for (let attempt = 1;; attempt++) {
    const password = await deps.prompt.password(`Password for ${file}:`);
    try {
      return { credential: await load(password), password };
    } catch (err) {
      const wrong = hasCode(err, "CERT_PASSWORD_WRONG") || hasCode(err, "CERT_PASSWORD_REQUIRED");
      if (!wrong) throw err;
      if (attempt >= PASSWORD_TRIES) {
        throw new UsageError("CERT_PASSWORD_WRONG", `wrong password for ${file}`, {
          cause: err,
          hints: [`gave up after ${PASSWORD_TRIES} tries`],
        });
      }
      const left = PASSWORD_TRIES - attempt;
      opts.reporter.warn(
        `Wrong password, try again (${left} ${left === 1 ? "try" : "tries"} left)`,
      );
    }
  }
}

/** The `certificate` branch of loadClientCredential: a private_key_jwt credential. */
export async function certificateClientCredential(
  resolved: ResolvedProfile,
  deps: Deps,
  reporter: Reporter,
): Promise<ClientCredential> {
  const { profile, name } = resolved;
  if (!profile.certificatePath) {
    throw new UsageError("CERT_PATH_MISSING", `profile '${profile.name}' has no certificatePath`);
  }
  const password = name === null
    ? resolved.envCertificatePassword
    : await storedPassword(name, deps);
  const store = `Store it with: entra-auth-cli create-profile --name ${name} --force ` +
    "... --certificate-password-stdin";
  const hints = name === null
    ? {
      required: ["Set AZURE_CLIENT_CERTIFICATE_PASSWORD, or run in a terminal to be asked for it"],
      wrong: ["AZURE_CLIENT_CERTIFICATE_PASSWORD does not open this certificate"],
    }
    : {
      required: [store, "or run in a terminal to be asked for it"],
      wrong: ["The password stored for this profile does not open the certificate", store],
    };
  const { credential } = await loadCertificateWithPassword(
    { certificatePath: profile.certificatePath, privateKeyPath: profile.privateKeyPath, password },
    deps,
    { reporter, hints },
  );
  for (const warning of credential.warnings) reporter.warn(warning);
  const alg: AssertionAlg = profile.assertionAlg ?? "PS256";
  const sendX5c = profile.sendX5c ?? false;
  reporter.debug(
    `certificate ${credential.subject} (SHA-1 ${credential.sha1Thumbprint}), ` +
      `assertion ${alg} with ${alg === "PS256" ? "x5t#S256" : "x5t"}${sendX5c ? " and x5c" : ""}`,
  );
  // One assertion serves the whole run until shortly before it expires, as MSAL
  // does (AssertionCache). A run makes one token request, so each run still sends
  // a new jti; the retry wrapper re-sends the same body on 429/5xx, and the
  // 10-minute lifetime outlasts its 45-second budget. An IdP that refused a
  // repeated jti would answer 401: exit 3, never a loop.
  const cache = assertionCacheFor(deps);
  return {
    kind: "assertion",
    assertion: async () =>
      (await cache.get(credential, {
        clientId: profile.clientId,
        tokenEndpoint: resolved.authority.tokenEndpoint,
        alg,
        sendX5c,
      })).jwt,
  };
}

async function storedPassword(profile: string, deps: Deps): Promise<string | undefined> {
  const { store } = await deps.secrets.open();
  return await store.get(secretKeys.certificatePassword(profile));
}

function hasCode(err: unknown, code: string): err is UsageError {
  return err instanceof UsageError && err.code === code;
}

const assertionCaches = new WeakMap<Deps, AssertionCache>();

/** One assertion cache per run (per Deps), so tests with their own Deps stay apart. */
function assertionCacheFor(deps: Deps): AssertionCache {
  let cache = assertionCaches.get(deps);
  if (!cache) {
    cache = new AssertionCache({ now: () => deps.clock.now(), jti: () => deps.random.uuid() });
    assertionCaches.set(deps, cache);
  }
  return cache;
}
