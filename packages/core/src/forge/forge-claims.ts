import type { ConnectClaims } from '../claims.js';
import { InvalidTokenError } from '../errors.js';
import { isRecord } from '../internal/is-record.js';

/** `iss` of every Forge Invocation Token. */
export const FORGE_ISSUER = 'forge/invocation-token';

/** The `app` claim of a Forge Invocation Token ("Forge remote essentials", The Forge Invocation Token). */
export interface ForgeAppClaim {
  /** The app's id, `ari:cloud:ecosystem::app/<uuid>`; equal to `aud`. */
  readonly id: string;
  readonly installationId?: string;
  readonly apiBaseUrl?: string;
  readonly appVersion?: string;
  readonly environment?: { readonly type: string; readonly id: string };
  readonly module?: { readonly type: string; readonly key: string };
  readonly installation?: Readonly<Record<string, unknown>>;
  readonly license?: Readonly<Record<string, unknown>>;
  readonly [claim: string]: unknown;
}

/** The claims of a Forge Invocation Token after type checks. */
export interface ForgeClaims extends ConnectClaims {
  readonly aud: string | readonly string[];
  readonly app: ForgeAppClaim;
  /** The invoking user's account id; UI invocations only. */
  readonly principal?: string;
  readonly jti?: string;
}

/** What a verified token says about its invocation, with absent optional parts as null. */
export interface ForgeInvocation {
  readonly installationId: string;
  readonly environment: { readonly type: string; readonly id: string } | null;
  readonly moduleKey: string | null;
  readonly apiBaseUrl: string | null;
  readonly accountId: string | null;
  readonly cloudId: string | null;
  readonly workspaceId: string | null;
  readonly siteUrl: string | null;
}

function missing(name: string): InvalidTokenError {
  return new InvalidTokenError('CLAIM_MISSING', `The Forge Invocation Token has no "${name}" claim.`);
}

function invalid(name: string, expected: string): InvalidTokenError {
  return new InvalidTokenError('CLAIM_INVALID', `The Forge Invocation Token claim "${name}" is not ${expected}.`);
}

function optionalString(record: Record<string, unknown>, key: string, path: string): string | null {
  const value = record[key];
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') throw invalid(path, 'a string');
  return value;
}

function optionalRecord(record: Record<string, unknown>, key: string, path: string): Record<string, unknown> | null {
  const value = record[key];
  if (value === undefined || value === null) return null;
  if (!isRecord(value)) throw invalid(path, 'an object');
  return value;
}

/**
 * Reads the Forge-specific claims of a token whose signature, `iss`, `aud` and times were
 * already checked: `app.id`, the installation id (`app.installationId`, or `app.installation.id`;
 * both must agree when both are sent), and the typed optional parts. Throws `CLAIM_MISSING` or
 * `CLAIM_INVALID`.
 */
export function readForgeInvocation(claims: ConnectClaims): { app: ForgeAppClaim; invocation: ForgeInvocation } {
  if (claims.app === undefined) throw missing('app');
  if (!isRecord(claims.app)) throw invalid('app', 'an object');
  const app = claims.app;
  if (typeof app.id !== 'string' || app.id === '') throw app.id === undefined ? missing('app.id') : invalid('app.id', 'a non-empty string');

  const direct = optionalString(app, 'installationId', 'app.installationId');
  const installation = optionalRecord(app, 'installation', 'app.installation');
  const nested = installation && optionalString(installation, 'id', 'app.installation.id');
  if (direct !== null && nested !== null && direct !== nested) {
    throw invalid('app.installationId', 'equal to "app.installation.id"');
  }
  const installationId = direct ?? nested;
  if (installationId === null) throw missing('app.installationId');

  const env = optionalRecord(app, 'environment', 'app.environment');
  const environment = env && { type: optionalString(env, 'type', 'app.environment.type'), id: optionalString(env, 'id', 'app.environment.id') };
  if (environment && (environment.type === null || environment.id === null)) {
    throw invalid('app.environment', 'an object with string "type" and "id"');
  }
  const module = optionalRecord(app, 'module', 'app.module');
  if (claims.principal !== undefined && claims.principal !== null && typeof claims.principal !== 'string') {
    throw invalid('principal', 'a string');
  }
  const context = claims.context ?? {};

  return {
    app: app as ForgeAppClaim,
    invocation: {
      installationId,
      environment: environment as ForgeInvocation['environment'],
      moduleKey: module && optionalString(module, 'key', 'app.module.key'),
      apiBaseUrl: optionalString(app, 'apiBaseUrl', 'app.apiBaseUrl'),
      accountId: typeof claims.principal === 'string' && claims.principal !== '' ? claims.principal : null,
      cloudId: optionalString(context, 'cloudId', 'context.cloudId'),
      workspaceId: optionalString(context, 'workspaceId', 'context.workspaceId'),
      siteUrl: optionalString(context, 'siteUrl', 'context.siteUrl'),
    },
  };
}
