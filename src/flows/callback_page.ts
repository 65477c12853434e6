/**
 * The small pages the loopback listener shows in the browser tab. No scripts,
 * no external resources; every value from the request is escaped.
 */

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#222}
h1{font-size:1.4rem}p{line-height:1.5}code{background:#f3f3f3;padding:0 .2em}</style></head>
<body><h1>${escapeHtml(title)}</h1>${body}</body></html>
`;
}

/** Shown after the redirect that completes the sign-in. */
export function successPage(): string {
  return page(
    "Signed in",
    "<p>entra-auth-cli received the sign-in. You can close this tab and return to the terminal.</p>",
  );
}

/** Shown when Entra redirected back with an error (e.g. the person declined consent). */
export function failurePage(error: string, description?: string): string {
  const detail = description ? `<p>${escapeHtml(description)}</p>` : "";
  return page(
    "Sign-in failed",
    `<p>Entra answered <code>${escapeHtml(error)}</code>.</p>${detail}` +
      "<p>Return to the terminal for details.</p>",
  );
}

/** Shown for a request that is not the sign-in we are waiting for; it changes nothing. */
export function ignoredPage(reason: string): string {
  return page(
    "Not a valid sign-in response",
    `<p>${escapeHtml(reason)}</p><p>entra-auth-cli is still waiting for the real one.</p>`,
  );
}
