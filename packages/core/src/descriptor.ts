import { isRecord } from './internal/is-record.js';
import { isLoopbackHost } from './internal/loopback.js';

/** One problem a descriptor has for the lifecycle security model. */
export interface DescriptorFinding {
  /** Stable identifier, e.g. `SIGNED_INSTALL_NOT_ENABLED`. */
  readonly code: string;
  readonly severity: 'error' | 'warning';
  /** JSON path of the field concerned, e.g. `apiMigrations.signed-install`. */
  readonly path: string;
  readonly message: string;
  /** One line telling the author what to change. */
  readonly fix: string;
}

/** Options of {@link checkDescriptor}. */
export interface CheckDescriptorOptions {
  /** Which product family the descriptor is for. Default: `bitbucket` when it declares `contexts`, else `jira`. */
  product?: 'jira' | 'confluence' | 'bitbucket';
}

/**
 * Reports what an app descriptor lacks or gets wrong for Connect's lifecycle security model
 * (authentication type, `signed-install` and `context-qsh` opt-ins, lifecycle URLs, `baseUrl`).
 * It reads the descriptor and never changes it: the opt-ins belong in the author's file, not
 * in what a framework serves (atlassian-connect-express once added them silently).
 */
export function checkDescriptor(descriptor: unknown, options: CheckDescriptorOptions = {}): DescriptorFinding[] {
  const findings: DescriptorFinding[] = [];
  const add = (severity: DescriptorFinding['severity'], code: string, path: string, message: string, fix: string) =>
    findings.push({ code, severity, path, message, fix });

  if (!isRecord(descriptor)) {
    add('error', 'DESCRIPTOR_NOT_OBJECT', '', 'The descriptor is not a JSON object.', 'Serve atlassian-connect.json as a JSON object.');
    return findings;
  }
  const product = options.product ?? (Array.isArray(descriptor.contexts) ? 'bitbucket' : 'jira');

  if (typeof descriptor.key !== 'string' || descriptor.key === '') {
    add('error', 'KEY_MISSING', 'key', 'The descriptor has no "key".', 'Add a unique "key" for the app.');
  }

  const baseUrl = descriptor.baseUrl;
  if (typeof baseUrl !== 'string' || baseUrl === '') {
    add('error', 'BASE_URL_MISSING', 'baseUrl', 'The descriptor has no "baseUrl".', 'Set "baseUrl" to the public https URL the app is served at.');
  } else {
    let url: URL | null = null;
    try {
      url = new URL(baseUrl);
    } catch {
      add('error', 'BASE_URL_INVALID', 'baseUrl', `"baseUrl" ${JSON.stringify(baseUrl)} is not an absolute URL.`, 'Use an absolute URL such as https://app.example.com.');
    }
    if (url) {
      if (url.protocol !== 'https:') {
        const local = url.protocol === 'http:' && isLoopbackHost(url.hostname);
        add(local ? 'warning' : 'error', 'BASE_URL_NOT_HTTPS', 'baseUrl', `"baseUrl" uses ${url.protocol.slice(0, -1)}; products only install apps served over https.`, 'Serve the app over https (a tunnel for local development).');
      }
      if (url.username !== '' || url.password !== '') {
        add('error', 'BASE_URL_HAS_CREDENTIALS', 'baseUrl', '"baseUrl" contains a user name or password; no token audience can ever match it.', 'Remove the user name and password from "baseUrl".');
      }
      if (url.search !== '' || url.hash !== '') {
        add('error', 'BASE_URL_HAS_QUERY', 'baseUrl', '"baseUrl" has a query or fragment; every module URL and the token audience are built from it.', 'Remove the query and fragment from "baseUrl".');
      }
      if (url.pathname.length > 1 && url.pathname.endsWith('/')) {
        add('warning', 'BASE_URL_TRAILING_SLASH', 'baseUrl', '"baseUrl" ends with "/"; module URLs then contain "//" and break qsh on some stacks.', 'Remove the trailing "/" from "baseUrl".');
      }
    }
  }

  const auth = descriptor.authentication;
  const authType = isRecord(auth) ? auth.type : undefined;
  if (authType === undefined) {
    add('error', 'AUTHENTICATION_MISSING', 'authentication.type', 'The descriptor declares no "authentication"; lifecycle callbacks and requests carry no verifiable token.', 'Add "authentication": { "type": "jwt" }.');
  } else if (authType === 'none') {
    add('warning', 'AUTHENTICATION_NONE', 'authentication.type', 'With "authentication" type "none" no callback can be verified: the app gets no shared secret and no signed install.', 'Use "authentication": { "type": "jwt" } if the app stores or trusts tenant data.');
  } else if (authType !== 'jwt') {
    add('error', 'AUTHENTICATION_TYPE_UNKNOWN', 'authentication.type', `"authentication" type ${JSON.stringify(authType)} is not "jwt" or "none".`, 'Use "authentication": { "type": "jwt" }.');
  }

  const jwtApp = authType === 'jwt';
  const lifecycle = isRecord(descriptor.lifecycle) ? descriptor.lifecycle : {};
  if (jwtApp) {
    for (const event of ['installed', 'uninstalled'] as const) {
      const path = lifecycle[event];
      if (typeof path !== 'string' || path === '') {
        add(event === 'installed' ? 'error' : 'warning', `LIFECYCLE_${event.toUpperCase()}_MISSING`, `lifecycle.${event}`, `No "${event}" lifecycle URL: ${event === 'installed' ? 'the app never receives the shared secret' : 'the app never learns that a tenant left'}.`, `Add "lifecycle": { "${event}": "/${event}" } and mount the ${event} handler there.`);
      }
    }
  }
  const eventsByPath = new Map<string, string>();
  for (const [event, path] of Object.entries(lifecycle)) {
    if (typeof path !== 'string') continue;
    const first = eventsByPath.get(path);
    if (first !== undefined) {
      add('error', 'LIFECYCLE_URL_SHARED', `lifecycle.${event}`, `The ${event} and ${first} callbacks share the path ${JSON.stringify(path)}: their qsh cannot tell them apart, so a captured ${first} token could trigger ${event}.`, 'Give each lifecycle event its own path, e.g. "/installed" and "/uninstalled".');
    } else {
      eventsByPath.set(path, event);
    }
    if (!path.startsWith('/')) {
      add('error', 'LIFECYCLE_URL_NOT_RELATIVE', `lifecycle.${event}`, `The ${event} URL ${JSON.stringify(path)} is not a path relative to "baseUrl"; lifecycle tokens are bound to the app's own base URL.`, `Use a path such as "/${event}".`);
    }
  }

  const migrations = isRecord(descriptor.apiMigrations) ? descriptor.apiMigrations : {};
  if (product === 'bitbucket') {
    if ('signed-install' in migrations) {
      add('warning', 'SIGNED_INSTALL_UNSUPPORTED', 'apiMigrations.signed-install', 'Bitbucket has no signed install: its lifecycle callbacks stay HS256 whatever the descriptor says.', 'Remove "signed-install" and run the verifier in lifecycle mode "off".');
    }
  } else if (jwtApp) {
    if (migrations['signed-install'] !== true) {
      add('error', 'SIGNED_INSTALL_NOT_ENABLED', 'apiMigrations.signed-install', 'The descriptor does not opt in to signed install: installed/uninstalled are then not RS256-signed for tenants on this app version.', 'Add "apiMigrations": { "signed-install": true } to the descriptor file.');
    }
    if (migrations['context-qsh'] !== true) {
      add('warning', 'CONTEXT_QSH_NOT_ENABLED', 'apiMigrations.context-qsh', 'The descriptor does not opt in to context-qsh: context tokens from AP.context.getToken() may carry no qsh at all.', 'Add "apiMigrations": { "context-qsh": true } to the descriptor file.');
    }
  }
  return findings;
}
