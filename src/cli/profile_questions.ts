/**
 * The guided set-up's questions (GitHub issue #7), shared by `config create`,
 * `config edit` (current values as defaults) and create-profile (only what its
 * flags left out). Every answer is checked where it is typed, by the same rule
 * buildProfile applies afterwards, and the answers come back as create-profile
 * flags so the one build-and-save path handles them.
 */
import type { Choice, Deps } from "../deps.ts";
import { UsageError } from "../errors.ts";
import { CLOUDS, normalizeAuthorityHost } from "../entra/authority.ts";
import { DEFAULT_SCOPES, parseScopes } from "../entra/scopes.ts";
import {
  checkClientId,
  checkRedirectUri,
  checkTenantId,
  isMultiTenant,
  validateWith,
} from "../profile/fields.ts";
import { type FlowName, FLOWS } from "../profile/flows.ts";
import { type AuthMethod, checkProfileName, type Profile } from "../profile/profile.ts";
import { askCertificate } from "./certificate_questions.ts";
import type { CreateProfileFlags } from "./profile_build.ts";

/** One question (or group of questions), in the order they are asked. */
export type Question =
  | "name"
  | "tenant"
  | "client"
  | "auth"
  | "certificate"
  | "scopes"
  | "flow"
  | "cloud";

/** Every question, for `config create` and `config edit`. */
export const ALL_QUESTIONS: Question[] = [
  "name",
  "tenant",
  "client",
  "auth",
  "scopes",
  "flow",
  "cloud",
];

export interface AskOptions {
  ask: Question[];
  /** `config edit`: the profile being changed, whose values are the defaults. */
  current?: Profile;
  /** Names a new profile may not take. */
  taken: string[];
}

const FLOW_HELP: Record<FlowName, string> = {
  ClientCredentials: "app-only token with the secret or certificate (scripts, CI)",
  AuthorizationCode: "browser sign-in on a fixed redirect URI (web app registrations)",
  DeviceCode: "sign in on another device with a code (SSH, headless)",
  InteractiveBrowser: "browser sign-in on this machine",
};

/** Prompts are for people: stdin and stderr must both be terminals. */
export function canPrompt(deps: Deps): boolean {
  return deps.io.isTerminal.stdin && deps.io.isTerminal.stderr;
}

/** Asks the questions in `o.ask` and returns `draft` with the answers filled in. */
export async function askProfile(
  draft: CreateProfileFlags,
  deps: Deps,
  o: AskOptions,
): Promise<CreateProfileFlags> {
  const out: CreateProfileFlags = { ...draft };
  const p = deps.prompt;
  const cur = o.current;
  if (o.ask.includes("name")) {
    out.name = (await p.input("Profile name:", {
      default: draft.name,
      validate: validateWith((v) => {
        checkProfileName(v.trim());
        if (o.taken.includes(v.trim())) {
          throw new UsageError("PROFILE_EXISTS", `a profile named '${v.trim()}' already exists`);
        }
      }),
    })).trim();
  }
  if (o.ask.includes("tenant")) {
    out.tenantId = await p.input("Tenant ID (GUID or verified domain):", {
      default: draft.tenantId,
      validate: validateWith(checkTenantId),
    });
  }
  if (o.ask.includes("client")) {
    out.clientId = await p.input("Client ID (application ID GUID):", {
      default: draft.clientId,
      validate: validateWith(checkClientId),
    });
  }
  if (o.ask.includes("auth")) await askAuth(out, deps, cur);
  else if (o.ask.includes("certificate")) await askCertificate(out, deps);
  if (o.ask.includes("scopes")) {
    const shown = draft.scope?.join(" ") || DEFAULT_SCOPES.join(" ");
    const scopes = await p.input("Default scopes (space-separated):", {
      default: shown,
      validate: (v) => parseScopes(v).length > 0 || "give at least one scope",
    });
    // An edit of a profile that relies on the built-in default keeps relying on it.
    const unchanged = cur && !draft.scope && scopes.trim() === shown;
    if (!unchanged) out.scope = [scopes];
  }
  if (o.ask.includes("flow")) await askFlow(out, deps);
  if (o.ask.includes("cloud")) await askCloud(out, deps);
  const redirectKnown = draft.redirectUri !== undefined && !cur;
  if (o.ask.includes("flow") && out.flow === "AuthorizationCode" && !redirectKnown) {
    out.redirectUri = await p.input("Redirect URI (as registered on the app):", {
      default: out.redirectUri ?? "http://localhost:8080",
      validate: validateWith(checkRedirectUri),
    });
  }
  return out;
}

async function askAuth(out: CreateProfileFlags, deps: Deps, cur?: Profile): Promise<void> {
  const choices: Choice<AuthMethod>[] = [
    { value: "secret", name: "Client secret" },
    { value: "certificate", name: "Certificate (PEM or PFX)" },
    { value: "none", name: "None: public client (user sign-in only)" },
  ];
  const method = await deps.prompt.select("Authentication method:", choices, {
    default: cur?.authMethod ?? (out.publicClient ? "none" : "secret"),
  });
  const certificate = method === "certificate";
  for (const key of ["clientSecret", "clientSecretStdin", "publicClient"] as const) delete out[key];
  if (!certificate) {
    for (const key of ["useCertificate", "certificatePath", "privateKeyPath"] as const) {
      delete out[key];
    }
  }
  if (method === "none") out.publicClient = true;
  if (certificate) await askCertificate(out, deps);
  if (method !== "secret") return;
  const keep = cur?.authMethod === "secret";
  const secret = await deps.prompt.password(
    keep ? "Client secret (Enter keeps the current one):" : "Client secret:",
    { validate: (v) => keep || v.length > 0 || "the client secret is empty" },
  );
  if (secret) out.clientSecret = secret;
}

/** "Set default OAuth2 flow?" and the flow. */
async function askFlow(out: CreateProfileFlags, deps: Deps): Promise<void> {
  const p = deps.prompt;
  // `common` and `organizations` cannot give app-only tokens: a confidential app
  // there must default to a user flow, and nobody may pick ClientCredentials.
  const userOnly = out.publicClient || isMultiTenant(out.tenantId);
  const mustSet = isMultiTenant(out.tenantId) && !out.publicClient;
  const set = mustSet || await p.confirm("Set default OAuth2 flow?", { default: !!out.flow });
  if (set) {
    const flows = FLOWS.filter((f) => !(userOnly && f === "ClientCredentials"));
    out.flow = await p.select(
      "Default OAuth2 flow:",
      flows.map((f) => ({ value: f, name: f, description: FLOW_HELP[f] })),
      { default: flows.find((f) => f === out.flow) },
    );
  } else delete out.flow;
}

async function askCloud(out: CreateProfileFlags, deps: Deps): Promise<void> {
  const hosts = Object.entries(CLOUDS).filter(([name]) => name !== "AzurePublic");
  const current = out.cloud ?? hosts.find(([, host]) => host === out.authorityHost)?.[0] ??
    (out.authorityHost && out.authorityHost !== CLOUDS.AzurePublic ? "custom" : "default");
  const envHost = deps.env.get("AZURE_AUTHORITY_HOST");
  const choice = await deps.prompt.select("Cloud (authority host):", [
    {
      value: "default",
      name: "Azure public cloud (login.microsoftonline.com)",
      ...(envHost ? { description: `AZURE_AUTHORITY_HOST overrides it: ${envHost}` } : {}),
    },
    ...hosts.map(([name, host]) => ({ value: name, name: `${name} (${new URL(host).host})` })),
    { value: "custom", name: "Another authority host" },
  ], { default: current });
  delete out.cloud;
  if (choice === "default") delete out.authorityHost;
  else if (choice !== "custom") out.cloud = choice;
  else {
    out.authorityHost = await deps.prompt.input("Authority host URL:", {
      default: out.authorityHost,
      validate: validateWith(normalizeAuthorityHost),
    });
  }
}
