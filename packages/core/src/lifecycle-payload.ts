import { InvalidRequestError } from './errors.js';
import { payloadTooLarge } from './read-body.js';

/** The four lifecycle callbacks (connect-protocol.md 6.1). */
export type LifecycleEvent = 'installed' | 'uninstalled' | 'enabled' | 'disabled';

/** The JSON body of a lifecycle callback (connect-protocol.md 6.3). Trust it only once verified. */
export interface LifecyclePayload {
  /** The app key; required on `installed`. */
  readonly key?: string;
  readonly clientKey: string;
  readonly baseUrl: string;
  /** Present on `installed` only. Secret: never log it. */
  readonly sharedSecret?: string;
  readonly eventType?: string;
  readonly displayUrl?: string;
  readonly displayUrlServicedeskHelpCenter?: string;
  readonly productType?: string;
  readonly description?: string;
  readonly serverVersion?: string;
  readonly pluginsVersion?: string;
  readonly serviceEntitlementNumber?: string;
  readonly entitlementId?: string;
  readonly entitlementNumber?: string;
  readonly oauthClientId?: string;
  readonly installationId?: string;
  readonly cloudId?: string;
  readonly [field: string]: unknown;
}

/** Recommended body limit (connect-protocol.md 2.2). */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

function invalid(message: string, cause?: unknown): InvalidRequestError {
  return new InvalidRequestError('LIFECYCLE_PAYLOAD_INVALID', message, cause === undefined ? undefined : { cause });
}

/** Byte length of a body, checked against a limit without encoding short strings. */
export function assertBodyWithinLimit(body: string | Uint8Array | undefined, maxBytes: number): void {
  if (body === undefined) return;
  const bytes = typeof body === 'string' ? (body.length * 3 <= maxBytes ? body.length : encoder.encode(body).length) : body.byteLength;
  if (bytes > maxBytes) throw payloadTooLarge(bytes, maxBytes);
}

/** The body as text (UTF-8), or undefined when there is none. */
export function bodyText(body: string | Uint8Array | undefined): string | undefined {
  if (body === undefined || typeof body === 'string') return body;
  try {
    return decoder.decode(body);
  } catch (cause) {
    throw invalid('The lifecycle body is not UTF-8 text.', cause);
  }
}

const REQUIRED: Record<LifecycleEvent, readonly string[]> = {
  installed: ['key', 'clientKey', 'sharedSecret', 'baseUrl'],
  uninstalled: ['clientKey', 'baseUrl'],
  enabled: ['clientKey', 'baseUrl'],
  disabled: ['clientKey', 'baseUrl'],
};

/**
 * Parses a lifecycle body (connect-protocol.md 6.4, check C1): a JSON object whose required
 * fields are non-empty strings. Throws `LIFECYCLE_PAYLOAD_INVALID` (400).
 */
export function parseLifecyclePayload(body: string | Uint8Array | undefined, event: LifecycleEvent): LifecyclePayload {
  const text = bodyText(body);
  const noBody = () => invalid(`The ${event} callback has no body; expected the lifecycle JSON payload.`);
  if (text === undefined) throw noBody();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    // Checked only here: trimming a whole body on every install costs more than parsing it.
    throw text.trim() === '' ? noBody() : invalid(`The ${event} callback body is not JSON.`, cause);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(`The ${event} callback body is not a JSON object.`);
  }
  const payload = value as Record<string, unknown>;
  for (const field of REQUIRED[event]) {
    const fieldValue = payload[field];
    if (typeof fieldValue !== 'string' || fieldValue === '') {
      throw invalid(`The ${event} payload has no non-empty string "${field}".`);
    }
  }
  return payload as LifecyclePayload;
}

/**
 * Check C12, made once the token verified: the payload's `eventType` (when present) names this
 * route's event and its `key` (when present) is this app's key. Throws `LIFECYCLE_PAYLOAD_INVALID`.
 */
export function assertPayloadMatchesRoute(payload: LifecyclePayload, event: LifecycleEvent, appKey: string): void {
  if (payload.eventType !== undefined && payload.eventType !== event) {
    throw invalid(`The payload's eventType ${JSON.stringify(String(payload.eventType))} does not match the ${event} route.`);
  }
  if (payload.key !== undefined && payload.key !== appKey) {
    throw invalid(`The payload is for app key ${JSON.stringify(String(payload.key))}, not this app (${JSON.stringify(appKey)}).`);
  }
}
