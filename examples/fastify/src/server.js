// @ts-check
import fastifyConnectAuth, { createConnectVerifier, createForgeVerifier, fastifyForgeAuth } from '@connect-auth/fastify';
import Fastify from 'fastify';
import { loadConfig } from '@connect-auth/example-config';

const { port, servedDescriptor, verifierOptions, tenantStore, forgeVerifierOptions } = await loadConfig(new URL('..', import.meta.url));
const app = Fastify();
await app.register(fastifyConnectAuth, {
  verifier: createConnectVerifier(verifierOptions),
  lifecyclePaths: { installed: '/installed', uninstalled: '/uninstalled', enabled: '/enabled', disabled: '/disabled' },
  // Runs only after the core verified and stored the event: the place for per-tenant set-up.
  onLifecycle: (result) => console.log(`${result.event}: ${result.clientKey} (${result.verifiedBy})`),
});

/** The answer of the context routes: who called, from which product site. */
const describeCaller = async (/** @type {import('fastify').FastifyRequest} */ request) => {
  const { clientKey, accountId, tenant } = /** @type {import('@connect-auth/fastify').ConnectContext} */ (request.connectAuth);
  return { clientKey, accountId, baseUrl: tenant.baseUrl };
};

app.get('/atlassian-connect.json', async () => servedDescriptor);
app.get('/api/context', { preHandler: app.connectAuth.guard('request') }, describeCaller);
app.get('/api/frontend', { preHandler: app.connectAuth.guard('request-or-context') }, describeCaller);
// onRequest: the product is authenticated before Fastify parses (or limits) the JSON body.
app.post('/webhooks/issue-updated', { onRequest: app.connectAuth.guard('request') }, async (_request, reply) => reply.code(204).send());
// Forge Remote, beside the Connect routes: only with FORGE_APP_ID.
if (forgeVerifierOptions) {
  await app.register(fastifyForgeAuth, { verifier: createForgeVerifier(forgeVerifierOptions) });
  app.post('/forge/invocation', { onRequest: app.forgeAuth.guard() }, async (request) => {
    const { appId, installationId, accountId } = /** @type {import('@connect-auth/fastify').ForgeContext} */ (request.forgeAuth);
    return { appId, installationId, accountId };
  });
}

await app.listen({ port, host: '127.0.0.1' });
console.log(`connect-auth Fastify example on http://127.0.0.1:${port}`);
process.once('SIGTERM', () => {
  void app
    .close()
    .then(() => tenantStore.close())
    .then(() => process.exit(0));
});
