/**
 * A real node:http server around the emulator core (loopback by default). Dropped-connection
 * faults destroy the socket; `close()` also ends keep-alive connections so tests exit promptly.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { Core } from "./core.js";
import type { ListenOptions, RunningEmulator } from "./types.js";

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function listen(getCore: () => Core, options: ListenOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? "127.0.0.1";
  let origin = "";
  const server = createServer((req, res) => {
    void (async () => {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === "string") headers.set(name, value);
        else if (Array.isArray(value)) for (const v of value) headers.append(name, v);
      }
      const outcome = await getCore().handle({
        method: (req.method ?? "GET").toUpperCase(),
        url: new URL(req.url ?? "/", origin),
        headers,
        bodyText: await readBody(req),
        ip: req.socket.remoteAddress ?? "127.0.0.1",
      });
      if (outcome.kind === "drop") {
        req.socket.destroy();
        return;
      }
      const { answer } = outcome;
      const text = answer.rawText ?? (answer.body === undefined ? undefined : JSON.stringify(answer.body));
      const out: Record<string, string> = { ...answer.headers };
      if (text !== undefined && !Object.keys(out).some((k) => k.toLowerCase() === "content-type")) out["content-type"] = "application/json";
      const bodyless = answer.status === 204 || text === undefined;
      res.writeHead(answer.status, out);
      res.end(bodyless ? undefined : text);
    })().catch((error: unknown) => {
      // An emulator bug must surface as Sentry's 500 rather than a hung request.
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ detail: "Internal Error", errorId: String((error as Error).message).slice(0, 200) }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const hostPart = host.includes(":") ? `[${host}]` : host;
  origin = `http://${hostPart}:${port}`;
  return {
    url: origin,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
