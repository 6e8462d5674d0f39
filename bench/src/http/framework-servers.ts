/**
 * Express 4, Fastify and Hono (on @hono/node-server) serving `GET /api/context` bare, behind
 * the hand-written minimum middleware, or behind the connect-auth adapter.
 */
import { createSecretKey } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import { type ConnectVerifier, createConnectVerifier, createMemoryTenantStore } from '@connect-auth/core';
import { APP, CONTEXT_PATH, TENANT } from '../fixtures.js';
import { type HandWrittenResult, type HandWrittenTenant, handWrittenVerifyHs256 } from '../hand-written.js';
import type { BenchServer } from './server.js';
import type { Variant } from './matrix.js';

const BARE: HandWrittenResult = { clientKey: TENANT.clientKey, accountId: null, baseUrl: TENANT.baseUrl };
const UNAUTHORIZED = { error: { code: 'UNAUTHORIZED', message: 'The request token does not verify.' } };

const handTenants = new Map<string, HandWrittenTenant>([
  [TENANT.clientKey, { clientKey: TENANT.clientKey, baseUrl: TENANT.baseUrl, hmacKey: createSecretKey(Buffer.from(TENANT.sharedSecret)) }],
]);

/** The hand-written middleware's whole job: find the token, verify it, or say 401. */
function handVerify(method: string, url: string, authorization: string | undefined): HandWrittenResult | null {
  if (authorization === undefined || !authorization.startsWith('JWT ')) return null;
  try {
    return handWrittenVerifyHs256(authorization.slice(4), method, url, handTenants, Date.now() / 1000);
  } catch {
    return null;
  }
}

function verifier(): ConnectVerifier {
  return createConnectVerifier({ appKey: APP.key, baseUrl: APP.baseUrl, tenantStore: createMemoryTenantStore([TENANT]) });
}

function listenOn(server: Server): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/** Express 4: bare, hand-written middleware, or `@connect-auth/express`. */
export async function createExpressServer(variant: Variant): Promise<BenchServer> {
  const { default: express } = await import('express');
  const app = express();
  app.disable('x-powered-by');
  const answer = (res: import('express').Response, result: { clientKey: string; accountId: string | null; baseUrl: string }) =>
    res.json({ clientKey: result.clientKey, accountId: result.accountId, baseUrl: result.baseUrl });
  if (variant === 'bare') {
    app.get(CONTEXT_PATH, (_req, res) => answer(res, BARE));
  } else if (variant === 'hand-written') {
    app.get(
      CONTEXT_PATH,
      (req, res, next) => {
        const result = handVerify(req.method, req.originalUrl, req.headers.authorization);
        if (!result) return void res.status(401).json(UNAUTHORIZED);
        res.locals.handWritten = result;
        next();
      },
      (_req, res) => answer(res, res.locals.handWritten as HandWrittenResult),
    );
  } else if (variant === 'connect-auth') {
    const { connectAuth } = await import('@connect-auth/express');
    const auth = connectAuth({ verifier: verifier() });
    // The adapter is typed against @types/express 5; at run time it serves Express 4 as well.
    const guard = auth.guard('request') as unknown as import('express').RequestHandler;
    app.get(CONTEXT_PATH, guard, (req, res) => {
      const ctx = req.connectAuth;
      if (!ctx) throw new Error('guard did not set connectAuth');
      answer(res, { clientKey: ctx.clientKey, accountId: ctx.accountId, baseUrl: ctx.tenant.baseUrl });
    });
  } else {
    throw new Error(`express has no variant ${variant} here`);
  }
  return { listen: () => listenOn(createServer(app)) };
}

/** Fastify: bare, hand-written `preHandler`, or `@connect-auth/fastify`. */
export async function createFastifyServer(variant: Variant): Promise<BenchServer> {
  const { default: Fastify } = await import('fastify');
  let server!: Server;
  const app = Fastify({
    logger: false,
    serverFactory: (handler) => {
      server = createServer(handler);
      return server;
    },
  });
  if (variant === 'bare') {
    app.get(CONTEXT_PATH, async () => BARE);
  } else if (variant === 'hand-written') {
    app.decorateRequest('handWritten', null);
    app.get(
      CONTEXT_PATH,
      {
        preHandler: async (request, reply) => {
          const result = handVerify(request.method, request.url, request.headers.authorization);
          if (!result) return reply.code(401).send(UNAUTHORIZED);
          (request as unknown as { handWritten: HandWrittenResult }).handWritten = result;
        },
      },
      async (request) => (request as unknown as { handWritten: HandWrittenResult }).handWritten,
    );
  } else if (variant === 'connect-auth') {
    const { fastifyConnectAuth } = await import('@connect-auth/fastify');
    await app.register(fastifyConnectAuth, { verifier: verifier() });
    app.get(CONTEXT_PATH, { preHandler: app.connectAuth.guard('request') }, async (request) => {
      const ctx = request.connectAuth;
      if (!ctx) throw new Error('guard did not set connectAuth');
      return { clientKey: ctx.clientKey, accountId: ctx.accountId, baseUrl: ctx.tenant.baseUrl };
    });
  } else {
    throw new Error(`fastify has no variant ${variant}`);
  }
  await app.ready();
  return { listen: () => listenOn(server) };
}

/** Hono on @hono/node-server: bare, hand-written middleware, or `@connect-auth/hono`. */
export async function createHonoServer(variant: Variant): Promise<BenchServer> {
  const { Hono } = await import('hono');
  const { getRequestListener } = await import('@hono/node-server');
  let app: { fetch: (request: Request) => Response | Promise<Response> };
  if (variant === 'bare') {
    app = new Hono().get(CONTEXT_PATH, (c) => c.json(BARE));
  } else if (variant === 'hand-written') {
    app = new Hono<{ Variables: { handWritten: HandWrittenResult } }>().get(
      CONTEXT_PATH,
      async (c, next) => {
        // Path and query as sent: the absolute URL minus scheme and authority.
        const url = c.req.url;
        const result = handVerify(c.req.method, url.slice(url.indexOf('/', 8)), c.req.header('authorization'));
        if (!result) return c.json(UNAUTHORIZED, 401);
        c.set('handWritten', result);
        await next();
      },
      (c) => c.json(c.get('handWritten')),
    );
  } else if (variant === 'connect-auth') {
    app = await createHonoAdapterApp(Hono);
  } else {
    throw new Error(`hono has no variant ${variant}`);
  }
  return { listen: () => listenOn(createServer(getRequestListener(app.fetch))) };
}

async function createHonoAdapterApp(HonoClass: typeof import('hono').Hono): Promise<{ fetch: (request: Request) => Response | Promise<Response> }> {
  const { connectAuth } = await import('@connect-auth/hono');
  const auth = connectAuth({ verifier: verifier() });
  return new HonoClass().get(CONTEXT_PATH, auth.guard('request'), (c) => {
    const ctx = c.get('connectAuth');
    return c.json({ clientKey: ctx.clientKey, accountId: ctx.accountId, baseUrl: ctx.tenant.baseUrl });
  });
}
