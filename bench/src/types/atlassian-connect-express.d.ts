// atlassian-connect-express ships no types; this is the part the benchmark uses.
declare module 'atlassian-connect-express' {
  import type { Express, RequestHandler } from 'express';

  interface AddOn {
    middleware(): RequestHandler;
    authenticate(skipQshVerification?: boolean): RequestHandler;
    settings: { set(key: string, value: unknown, clientKey: string): Promise<unknown> };
  }
  interface Logger {
    info(...args: unknown[]): void;
    warn(...args: unknown[]): void;
    error(...args: unknown[]): void;
  }
  interface Ace {
    (app: Express, options?: { config?: Record<string, unknown> }, logger?: Logger): AddOn;
    store: { register(name: string, factory: (logger: Logger, options: unknown) => unknown): void };
  }
  const ace: Ace;
  export default ace;
}
