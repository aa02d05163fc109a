import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyKey } from 'discord-interactions';

export interface ReceivedInteraction {
  headers: IncomingHttpHeaders;
  body: string;
  isSignatureValid: boolean;
}

export type EndpointAnswer = { status: number; json?: unknown };

/**
 * A bot's Interactions Endpoint for tests: verifies the signature with the
 * `discord-interactions` package against the application's public key (what a
 * real bot does), records what came in and answers as the test says.
 */
export async function startInteractionEndpoint(publicKey: string, answer: (received: ReceivedInteraction) => EndpointAnswer | Promise<EndpointAnswer>) {
  const received: ReceivedInteraction[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const signature = String(request.headers['x-signature-ed25519'] ?? '');
      const timestamp = String(request.headers['x-signature-timestamp'] ?? '');
      const isSignatureValid = await verifyKey(body, signature, timestamp, publicKey);
      const entry = { headers: request.headers, body, isSignatureValid };
      received.push(entry);
      const { status, json } = await answer(entry);
      response.writeHead(status, json === undefined ? {} : { 'Content-Type': 'application/json' });
      response.end(json === undefined ? undefined : JSON.stringify(json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/interactions`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
