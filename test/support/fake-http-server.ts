/** An in-process HTTP server on 127.0.0.1 with a random port, for fakes of AWS endpoints; each request arrives with its whole body. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeRequestHandler = (request: IncomingMessage, body: string, response: ServerResponse) => void;

export interface FakeServer {
  /** `http://127.0.0.1:<port>`, ready for AWS_ENDPOINT_URL. */
  readonly endpoint: string;
  close(): Promise<void>;
}

export async function startFakeServer(handle: FakeRequestHandler): Promise<FakeServer> {
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handle(request, Buffer.concat(chunks).toString('utf8'), response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets and requests a fake leaves unanswered on purpose would otherwise keep the server open.
        server.closeAllConnections();
      }),
  };
}
