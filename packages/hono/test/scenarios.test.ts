import { adapterScenarios, runAdapterScenario, summariseResponse } from '@connect-auth/testing';
import { describe, expect, it } from 'vitest';
import { scenarioClient } from './scenario-app.js';

describe('Hono answers the shared scenarios like the core', () => {
  it.each(adapterScenarios)('$name', async (scenario) => {
    const outcomes = await runAdapterScenario(scenario, scenarioClient);
    expect(outcomes.length).toBe(scenario.steps.length);
    for (const outcome of outcomes) {
      expect(outcome.actual, outcome.label).toEqual(outcome.reference);
      expect(summariseResponse(outcome.actual), outcome.label).toEqual(outcome.expected);
    }
  });
});
