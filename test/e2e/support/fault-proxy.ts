/**
 * A loopback proxy in front of moto that injects faults at a seeded, deterministic rate: `400 Throttling`, `500`,
 * `503`, connection resets, and answers slower than the client's timeout. It counts what it saw, per action.
 */
import { request as httpRequest, createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { seededRandom } from '../../support/seeded-random.js';

export type Fault = 'throttle' | 'error-500' | 'error-503' | 'reset' | 'slow';
export const ALL_FAULTS: readonly Fault[] = ['throttle', 'error-500', 'error-503', 'reset', 'slow'];

export interface FaultProxyOptions {
  readonly upstream: string;
  /** Share of requests that get a fault, in [0, 1]. */
  readonly rate: number;
  /** Which faults to draw from (uniformly); all by default. */
  readonly faults?: readonly Fault[];
  readonly seed?: number;
  /** How long a `slow` answer waits before it is sent (it should exceed the client's socket timeout). */
  readonly slowMs?: number;
  /** Requests whose action matches are never faulted (e.g. to keep seeding calls clean). */
  readonly spare?: (action: string) => boolean;
  /** Answer instead of forwarding (returning true means answered): to forge a response such as a repeating Marker. */
  readonly forge?: (action: string, body: string, response: ServerResponse) => boolean;
}

export interface FaultStats {
  requests: number;
  forwarded: number;
  injected: Record<Fault, number>;
  /** Requests per action (`GetAccountAuthorizationDetails`, `ListMFADevices`…), faulted or not. */
  byAction: Record<string, number>;
}

export interface FaultProxy {
  readonly endpoint: string;
  readonly stats: FaultStats;
  /** Changes the fault rate from now on (seeding through the proxy at 0, then the command under faults). */
  setRate(rate: number): void;
  stop(): Promise<void>;
}

/** The action of a Query (form body) or JSON 1.1 (X-Amz-Target) request. */
function actionOf(request: IncomingMessage, body: string): string {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') return target.split('.').pop() ?? target;
  return new URLSearchParams(body).get('Action') ?? new URL(request.url ?? '/', 'http://proxy').searchParams.get('Action') ?? '-';
}

function errorBody(request: IncomingMessage, code: string, message: string): { type: string; text: string } {
  if (typeof request.headers['x-amz-target'] === 'string') {
    return { type: 'application/x-amz-json-1.1', text: JSON.stringify({ __type: code, message }) };
  }
  const type = code === 'Throttling' ? 'Sender' : 'Receiver';
  return {
    type: 'text/xml',
    text: `<ErrorResponse><Error><Type>${type}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>`,
  };
}

export function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const upstream = new URL(options.upstream);
  const random = seededRandom(options.seed ?? 12);
  const faults = options.faults ?? ALL_FAULTS;
  let rate = options.rate;
  const stats: FaultStats = { requests: 0, forwarded: 0, injected: { throttle: 0, 'error-500': 0, 'error-503': 0, reset: 0, slow: 0 }, byAction: {} };
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const forward = (request: IncomingMessage, body: Buffer, response: ServerResponse, delayMs: number): void => {
    const upstreamRequest = httpRequest(
      { host: upstream.hostname, port: upstream.port, path: request.url, method: request.method, headers: request.headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const send = (): void => {
            timers.delete(timer);
            if (response.destroyed) return;
            response.writeHead(answer.statusCode ?? 502, answer.headers);
            response.end(Buffer.concat(chunks));
          };
          const timer = setTimeout(send, delayMs);
          timers.add(timer);
        });
      },
    );
    upstreamRequest.on('error', (error) => {
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(String(error));
    });
    upstreamRequest.end(body);
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const action = actionOf(request, body.toString('utf8'));
      stats.requests += 1;
      stats.byAction[action] = (stats.byAction[action] ?? 0) + 1;
      if (options.forge?.(action, body.toString('utf8'), response) === true) return;
      // Two draws per request whatever the rate, so a run's sequence of decisions depends only on the seed.
      const roll = random();
      const pick = faults[Math.floor(random() * faults.length)] ?? 'throttle';
      const fault = roll < rate && options.spare?.(action) !== true ? pick : undefined;
      if (fault !== undefined) stats.injected[fault] += 1;
      switch (fault) {
        case 'throttle':
        case 'error-500':
        case 'error-503': {
          const [status, code] = fault === 'throttle' ? [400, 'Throttling'] : fault === 'error-500' ? [500, 'InternalFailure'] : [503, 'ServiceUnavailable'];
          const error = errorBody(request, code, 'injected by the e2e fault proxy');
          response.writeHead(status, { 'content-type': error.type, 'x-amzn-requestid': 'fault-proxy' });
          response.end(error.text);
          return;
        }
        case 'reset':
          request.socket.resetAndDestroy();
          return;
        case 'slow':
          forward(request, body, response, options.slowMs ?? 40_000);
          return;
        case undefined:
          stats.forwarded += 1;
          forward(request, body, response, 0);
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (typeof address !== 'object' || address === null) {
        reject(new Error('the fault proxy has no address'));
        return;
      }
      resolve({
        endpoint: `http://127.0.0.1:${address.port}`,
        stats,
        setRate: (next) => {
          rate = next;
        },
        stop: () =>
          new Promise<void>((done) => {
            for (const timer of timers) clearTimeout(timer);
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
