import { connectAuth } from '@connect-auth/hono';
import { Hono } from 'hono';
import { type Harness, assertEqual } from '../harness.js';
import { TENANT, type TokenCase, settings, vectorBody, vectors } from '../vectors.js';
import { vectorVerifier } from '../verifier-for-vectors.js';

const cases = vectors.tokens.cases as TokenCase[];
const tokenOf = (id: string) => cases.find((c) => c.id === id)?.token ?? '';
const PAGE = cases.find((c) => c.id === 'T11')?.url ?? '';

/** A Hono app on the vector settings, mounted where the vectors' requests go (`/connect`). */
function vectorApp() {
  const { verifier, tenantStore } = vectorVerifier();
  const auth = connectAuth({ verifier });
  const app = new Hono().basePath('/connect');
  app.post('/installed', auth.lifecycle('installed'));
  app.get('/page', auth.guard('request'), (c) => c.json({ clientKey: c.var.connectAuth.clientKey, kind: c.var.connectAuth.kind }));
  app.get('/api/data', auth.guard('context'), (c) => c.json({ clientKey: c.var.connectAuth.clientKey, kind: c.var.connectAuth.kind }));
  return { app, tenantStore };
}

async function json(response: Response): Promise<unknown> {
  return response.json();
}

/** `@connect-auth/hono` in this runtime: the adapter's middleware and lifecycle handler over the vectors. */
export function registerHonoAdapter(h: Harness): void {
  h.test('hono: a signed install (T01) answers 204 and stores the new secret', async () => {
    const { app, tenantStore } = vectorApp();
    const response = await app.request(`https://app.example.com/connect/installed`, {
      method: 'POST',
      headers: { authorization: `JWT ${tokenOf('T01')}`, 'content-type': 'application/json' },
      body: vectorBody('installed'),
    });
    assertEqual(response.status, 204, 'status');
    assertEqual((await tenantStore.get(TENANT.clientKey))?.sharedSecret, 'new-secret-from-install', 'stored secret');
  });

  h.test('hono: a page load with the token in the query (T11) reaches the handler', async () => {
    const response = await vectorApp().app.request(`https://app.example.com${PAGE}&jwt=${tokenOf('T11')}`);
    assertEqual([response.status, await json(response)], [200, { clientKey: TENANT.clientKey, kind: 'request' }], 'answer');
  });

  h.test('hono: a context call in the header (T16a) reaches the handler', async () => {
    const response = await vectorApp().app.request('https://app.example.com/connect/api/data?x=1', { headers: { authorization: `JWT ${tokenOf('T16a')}` } });
    assertEqual([response.status, await json(response)], [200, { clientKey: TENANT.clientKey, kind: 'context' }], 'answer');
  });

  h.test('hono: a token bound to another query (T12) is 401 QSH_MISMATCH with a challenge', async () => {
    const response = await vectorApp().app.request(`https://app.example.com${PAGE}&foo=bar&jwt=${tokenOf('T11')}`);
    const body = (await json(response)) as { error: { code: string } };
    assertEqual([response.status, body.error.code], [401, 'QSH_MISMATCH'], 'answer');
    assertEqual(response.headers.get('www-authenticate')?.startsWith('JWT realm='), true, 'WWW-Authenticate');
  });

  h.test('hono: an install for another clientKey (T02) is 401 and stores nothing', async () => {
    const { app, tenantStore } = vectorApp();
    const response = await app.request('https://app.example.com/connect/installed', {
      method: 'POST',
      headers: { authorization: `JWT ${tokenOf('T02')}`, 'content-type': 'application/json' },
      body: vectorBody('installed', 'attacker-client-key'),
    });
    assertEqual([response.status, ((await json(response)) as { error: { code: string } }).error.code], [401, 'CLIENT_KEY_MISMATCH'], 'answer');
    assertEqual(await tenantStore.get('attacker-client-key'), null, 'attacker tenant');
    assertEqual((await tenantStore.get(TENANT.clientKey))?.sharedSecret, settings.tenant.sharedSecret, 'stored secret');
  });
}
