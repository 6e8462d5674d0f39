import { signTenantToken } from '@connect-auth/testing';
import { integerFlag, parseCommandArgs, requiredFlag, stringFlag, urlFlag } from '../args.js';
import type { CliIo } from '../io.js';
import { UsageError } from '../usage-error.js';

export const SIGN_HELP = `Usage: connect-auth sign --secret <sharedSecret> --iss <clientKey> --url <path> [options]

Mints an HS256 token for one request, as the product would sign it, so you can call
your app locally with curl. DEVELOPMENT ONLY: anyone holding a tenant's shared secret
can do this; never paste a production secret into a shell.

The token goes to stdout (for TOKEN=$(connect-auth sign …)); a warning and an example
curl command go to stderr.

Options:
  --secret <s>      the tenant's sharedSecret (required)
  --iss <clientKey> the tenant's clientKey (required)
  --url <target>    path and query the app will receive, or an absolute URL (required)
  --method <M>      HTTP method (default GET)
  --base-url <B>    the app's baseUrl; its path is stripped before hashing, as the product does
  --context         mint a context token (qsh "context-qsh") instead of a request-bound one
  --sub <id>        the acting user's account id
  --exp-in <s>      lifetime in seconds (default 180)
  --now <epoch s>   issue time (default: now)
  -h, --help        show this help

Example:
  TOKEN=$(connect-auth sign --secret dev-secret --iss my-tenant --url '/api/context')
  curl -H "Authorization: JWT $TOKEN" http://localhost:3000/api/context
`;

export const SIGN_OPTIONS = {
  secret: { type: 'string' },
  iss: { type: 'string' },
  url: { type: 'string' },
  method: { type: 'string' },
  'base-url': { type: 'string' },
  context: { type: 'boolean' },
  sub: { type: 'string' },
  'exp-in': { type: 'string' },
  now: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const METHOD = /^[A-Za-z]+$/;

/** `connect-auth sign`: mints a development token with `@connect-auth/testing`. Returns the exit status. */
export async function runSign(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs('sign', argv, SIGN_OPTIONS, 0);
  if (args.values.help) {
    io.stdout(SIGN_HELP);
    return 0;
  }
  const sharedSecret = requiredFlag('sign', args, 'secret');
  const clientKey = requiredFlag('sign', args, 'iss');
  const url = requiredFlag('sign', args, 'url');
  const method = stringFlag(args, 'method') ?? 'GET';
  if (!METHOD.test(method)) throw new UsageError(`sign: --method must be an HTTP method such as GET or POST, got ${JSON.stringify(method)}.`);
  const baseUrl = urlFlag('sign', args, 'base-url');
  const expiresInSec = integerFlag('sign', args, 'exp-in', 180, 1, 24 * 60 * 60);
  const nowSec = integerFlag('sign', args, 'now', Math.floor((io.now ?? Date.now)() / 1000), 0, 2 ** 40);
  const sub = stringFlag(args, 'sub');

  const token = await signTenantToken({
    clientKey,
    sharedSecret,
    method,
    url,
    appBaseUrl: baseUrl?.href,
    qsh: args.values.context ? 'context' : 'request',
    sub,
    expiresInSec,
    now: nowSec * 1000,
  });
  io.stderr('connect-auth sign: development only. This token is signed with the shared secret you passed; never mint tokens with a production secret.\n');
  const target = new URL(url, baseUrl?.origin ?? 'http://localhost:3000').href;
  io.stderr(`Try: curl -X ${method.toUpperCase()} -H "Authorization: JWT $TOKEN" '${target}'\n`);
  io.stdout(`${token}\n`);
  return 0;
}
