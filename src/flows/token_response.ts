/**
 * Response handling shared by every flow: an error body becomes an Entra error,
 * a success body becomes the camelCase `TokenSet` the rest of the tool uses.
 * (Requests are built in each flow file; this is the "process" half.)
 */
import * as oauth from "oauth4webapi";
import { type CliError, ServiceError } from "../errors.ts";
import { entraError, type EntraErrorBody } from "../entra/errors.ts";
import type { FlowName } from "../profile/flows.ts";

/** A token as the tool keeps it. */
export interface TokenSet {
  accessToken: string;
  tokenType: string;
  /** Epoch milliseconds, from the request start plus `expires_in` (skew-safe). */
  expiresAt: number;
  scopes: string[];
  refreshToken?: string;
  idToken?: string;
  /** The flow that produced it, when not the one asked for (no display: DeviceCode). */
  flow?: FlowName;
}

/** Turns a non-2xx token-endpoint response into the right CLI error. */
export async function errorFromResponse(response: Response): Promise<CliError> {
  const text = await response.text().catch(() => "");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch { /* not JSON: a proxy page or an outage */ }
  if (isErrorBody(body)) return entraError(body, response.status);
  const host = new URL(response.url || "http://unknown").host;
  return new ServiceError(
    "HTTP_ERROR",
    `${host} answered HTTP ${response.status} without an OAuth error body`,
    { hints: ["The service may be down or a proxy is in the way; try again later"] },
  );
}

function isErrorBody(body: unknown): body is EntraErrorBody {
  return typeof body === "object" && body !== null &&
    typeof (body as { error?: unknown }).error === "string";
}

/** Maps oauth4webapi's success result; `requested` is what we asked for. */
export function toTokenSet(
  result: oauth.TokenEndpointResponse,
  requestStart: number,
  requested: string[],
): TokenSet {
  const expiresIn = Number(result.expires_in ?? 3600);
  return {
    accessToken: result.access_token,
    tokenType: "Bearer",
    expiresAt: requestStart + (Number.isFinite(expiresIn) ? expiresIn : 3600) * 1000,
    scopes: typeof result.scope === "string" && result.scope ? result.scope.split(" ") : requested,
    refreshToken: result.refresh_token,
    idToken: result.id_token,
  };
}

/** Runs oauth4webapi's processing and turns its failures into clear errors. */
export async function processTokenResponse(
  response: Response,
  process: (r: Response) => Promise<oauth.TokenEndpointResponse>,
): Promise<oauth.TokenEndpointResponse> {
  if (!response.ok) throw await errorFromResponse(response);
  try {
    return await process(response);
  } catch (err) {
    if (err instanceof oauth.ResponseBodyError) {
      throw entraError(err.cause as unknown as EntraErrorBody, err.status);
    }
    throw new ServiceError(
      "TOKEN_RESPONSE_INVALID",
      "the token endpoint sent an invalid response",
      {
        cause: err,
        hints: ["Run with --verbose for details"],
      },
    );
  }
}
