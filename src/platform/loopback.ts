/**
 * The loopback listener that receives the sign-in redirect: 127.0.0.1 only
 * (Deno.serve's default is every interface), no start-up banner, and every
 * answer a small uncached HTML page that closes its connection.
 */
import type { LoopbackListen, LoopbackReply, LoopbackServer } from "../deps.ts";

/** How long closing may wait for a slow browser to take its last page. */
const CLOSE_GRACE_MS = 2_000;

/** Listens on the first free port of `ports`; undefined when every one is taken. */
export const listenLoopback: LoopbackListen = ({ ports, handler }) => {
  for (const port of ports) {
    const server = serve(port, handler);
    if (server) return Promise.resolve(server);
  }
  return Promise.resolve(undefined);
};

function serve(port: number, handler: (url: URL) => LoopbackReply): LoopbackServer | undefined {
  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve({
      hostname: "127.0.0.1",
      port,
      onListen: () => {/* stdout is for tokens only */},
      handler: (request) => answer(request, handler),
    });
  } catch (err) {
    // Busy, or (Windows) inside a range the system reserved: try the next port.
    if (err instanceof Deno.errors.AddrInUse || err instanceof Deno.errors.PermissionDenied) {
      return undefined;
    }
    throw err;
  }
  return {
    port: server.addr.port,
    close: async () => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const grace = new Promise<void>((resolve) => timer = setTimeout(resolve, CLOSE_GRACE_MS));
      await Promise.race([server.shutdown(), grace]);
      clearTimeout(timer);
    },
  };
}

function answer(request: Request, handler: (url: URL) => LoopbackReply): Response {
  const reply = request.method === "GET"
    ? handler(new URL(request.url))
    : { status: 405, html: "<!doctype html><title>Method not allowed</title>" };
  return new Response(reply.html, {
    status: reply.status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "referrer-policy": "no-referrer",
      connection: "close",
    },
  });
}
