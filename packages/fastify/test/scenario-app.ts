import type { ConnectVerifier, ForgeVerifier } from '@connect-auth/core';
import { fastifyConnectAuth, fastifyForgeAuth } from '@connect-auth/fastify';
import { SCENARIO_ROUTES, type ScenarioClient, toProductResponse } from '@connect-auth/testing';
import type fastify from 'fastify';

/** The scenario routes on a Fastify app of the given major version, reached through `inject`. */
export async function scenarioClient(createApp: typeof fastify, verifier: ConnectVerifier, forgeVerifier: ForgeVerifier): Promise<ScenarioClient> {
  const app = createApp();
  await app.register(fastifyConnectAuth, { verifier, lifecyclePaths: SCENARIO_ROUTES.lifecycle });
  await app.register(fastifyForgeAuth, { verifier: forgeVerifier });
  app.post(SCENARIO_ROUTES.forge.path, { onRequest: app.forgeAuth.guard() }, async (request) => {
    const { appId, installationId, accountId } = request.forgeAuth!;
    return { appId, installationId, accountId };
  });
  for (const guard of SCENARIO_ROUTES.guards) {
    app.route({
      method: guard.method,
      url: guard.path,
      preHandler: app.connectAuth.guard(guard.policy),
      handler: async (request, reply) => {
        const ctx = request.connectAuth!;
        if (guard.answer === 'empty') return reply.code(204).send();
        return { clientKey: ctx.clientKey, accountId: ctx.accountId, baseUrl: ctx.tenant.baseUrl };
      },
    });
  }
  await app.ready();
  return {
    async send(product) {
      const res = await app.inject({ method: product.method as 'GET' | 'POST', url: product.url, headers: product.headers, payload: product.body });
      return toProductResponse(res.statusCode, res.headers['www-authenticate'] as string | undefined, res.body);
    },
    close: () => app.close(),
  };
}
