import { adapterScenarios, runAdapterScenario, summariseResponse } from '@connect-auth/testing';
import express from 'express';
import express4 from 'express4';
import { describe, expect, it } from 'vitest';
import { scenarioClient } from './scenario-app.js';

describe.each([
  ['Express 5', express],
  ['Express 4', express4],
])('%s answers the shared scenarios like the core', (_name, createApp) => {
  it.each(adapterScenarios)('$name', async (scenario) => {
    const outcomes = await runAdapterScenario(scenario, (verifier, forgeVerifier) => scenarioClient(createApp, verifier, forgeVerifier));
    expect(outcomes.length).toBe(scenario.steps.length);
    for (const outcome of outcomes) {
      expect(outcome.actual, outcome.label).toEqual(outcome.reference);
      expect(summariseResponse(outcome.actual), outcome.label).toEqual(outcome.expected);
    }
  });
});
