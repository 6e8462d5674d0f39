import type { ConnectVerifier, ForgeVerifier } from '@connect-auth/core';
import { connectAuth, forgeAuth } from '@connect-auth/hono';
import { SCENARIO_APP, SCENARIO_ROUTES, type ScenarioClient, toProductResponse } from '@connect-auth/testing';
import { Hono } from 'hono';

/** The scenario routes on a Hono app, reached through `app.request`. */
export function scenarioClient(verifier: ConnectVerifier, forgeVerifier: ForgeVerifier): ScenarioClient {
  const app = new Hono();
  const auth = connectAuth({ verifier });
  for (const [event, path] of Object.entries(SCENARIO_ROUTES.lifecycle)) app.post(path, auth.lifecycle(event as keyof typeof SCENARIO_ROUTES.lifecycle));
  for (const guard of SCENARIO_ROUTES.guards) {
    app.on(guard.method, guard.path, auth.guard(guard.policy), (c) => {
      const ctx = c.var.connectAuth;
      if (guard.answer === 'empty') return c.body(null, 204);
      return c.json({ clientKey: ctx.clientKey, accountId: ctx.accountId, baseUrl: ctx.tenant.baseUrl });
    });
  }
  app.post(SCENARIO_ROUTES.forge.path, forgeAuth({ verifier: forgeVerifier }), (c) => {
    const { appId, installationId, accountId } = c.var.forgeAuth;
    return c.json({ appId, installationId, accountId });
  });
  return {
    async send(product) {
      const res = await app.request(`${SCENARIO_APP.baseUrl}${product.url}`, { method: product.method, headers: product.headers, body: product.body });
      return toProductResponse(res.status, res.headers.get('www-authenticate'), await res.text());
    },
  };
}
