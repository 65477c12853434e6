/** Flow names and the aliases users type for them (SPEC §1.1). */
import { UsageError } from "../errors.ts";

/** The four OAuth flows, spelled as in the docs. */
export const FLOWS = [
  "ClientCredentials",
  "AuthorizationCode",
  "DeviceCode",
  "InteractiveBrowser",
] as const;
export type FlowName = typeof FLOWS[number];

const ALIASES: Record<string, FlowName> = {
  clientcredentials: "ClientCredentials",
  "client-credentials": "ClientCredentials",
  authorizationcode: "AuthorizationCode",
  "authorization-code": "AuthorizationCode",
  "auth-code": "AuthorizationCode",
  devicecode: "DeviceCode",
  "device-code": "DeviceCode",
  device: "DeviceCode",
  interactivebrowser: "InteractiveBrowser",
  "interactive-browser": "InteractiveBrowser",
  interactive: "InteractiveBrowser",
  browser: "InteractiveBrowser",
};

/** Parses a flow name or alias, case-insensitively. */
export function parseFlow(value: string): FlowName {
  const flow = ALIASES[value.trim().toLowerCase()];
  if (!flow) {
    throw new UsageError("FLOW_UNKNOWN", `unknown flow '${value}'`, {
      hints: [`Use one of: ${FLOWS.join(", ")} (aliases: ${Object.keys(ALIASES).join(", ")})`],
    });
  }
  return flow;
}

/** Whether a flow signs a person in (and so gets a refresh token). */
export function isUserFlow(flow: FlowName): boolean {
  return flow !== "ClientCredentials";
}

/** Flow choice (SPEC §1.1): flag > profile default > credential → ClientCredentials > browser. */
export function chooseFlow(
  flag: FlowName | undefined,
  profile: { defaultFlow?: FlowName; authMethod: string },
): FlowName {
  if (flag) return flag;
  if (profile.defaultFlow) return profile.defaultFlow;
  return profile.authMethod === "none" ? "InteractiveBrowser" : "ClientCredentials";
}
