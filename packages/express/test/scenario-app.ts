import type { ConnectVerifier, ForgeVerifier } from '@connect-auth/core';
import { SCENARIO_ROUTES, type ScenarioClient, toProductResponse } from '@connect-auth/testing';
import type express from 'express';
import request from 'supertest';
import { connectAuth, forgeAuth } from '@connect-auth/express';

/** The scenario routes on an Express app of the given major version, reached through supertest. */
export function scenarioClient(createApp: typeof express, verifier: ConnectVerifier, forgeVerifier: ForgeVerifier): ScenarioClient {
  const app = createApp();
  const auth = connectAuth({ verifier });
  for (const [event, path] of Object.entries(SCENARIO_ROUTES.lifecycle)) app.post(path, auth.lifecycle(event as keyof typeof SCENARIO_ROUTES.lifecycle));
  for (const guard of SCENARIO_ROUTES.guards) {
    const route = guard.method === 'GET' ? app.get.bind(app) : app.post.bind(app);
    route(guard.path, auth.guard(guard.policy), (req, res) => {
      const ctx = req.connectAuth!;
      if (guard.answer === 'empty') res.status(204).end();
      else res.json({ clientKey: ctx.clientKey, accountId: ctx.accountId, baseUrl: ctx.tenant.baseUrl });
    });
  }
  app.post(SCENARIO_ROUTES.forge.path, forgeAuth({ verifier: forgeVerifier }), (req, res) => {
    const { appId, installationId, accountId } = req.forgeAuth!;
    res.json({ appId, installationId, accountId });
  });
  return {
    async send(product) {
      let call = product.method === 'GET' ? request(app).get(product.url) : request(app).post(product.url);
      for (const [name, value] of Object.entries(product.headers)) call = call.set(name, value);
      const res = product.body === undefined ? await call : await call.send(product.body);
      return toProductResponse(res.status, res.headers['www-authenticate'], res.text ?? '');
    },
  };
}
