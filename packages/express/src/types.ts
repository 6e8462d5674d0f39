import type { ConnectContext, ForgeContext } from '@connect-auth/core';

declare global {
  // Express's own extension point for request properties (express-serve-static-core merges it).
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The verified Connect context, set by a `connectAuth(...).guard()` on this route. */
      connectAuth?: ConnectContext;
      /** The verified Forge Invocation Token context, set by `forgeAuth()` on this route. */
      forgeAuth?: ForgeContext;
    }
  }
}
