/**
 * Raw access to ACE's `clientInfo` documents in one database. The store maps documents to tenants
 * (client-info.ts); a backend only moves JSON text, and keeps the write rules every store keeps:
 * `write` replaces a document whole, `update` reads and rewrites one atomically.
 */
export interface AceBackend {
  /** The JSON text of a tenant's document, or null when ACE holds none. */
  read(clientKey: string): Promise<string | null>;
  /** Replaces (or creates) the tenant's document, atomically. */
  write(clientKey: string, json: string): Promise<void>;
  /**
   * Rewrites the tenant's document with `change(current)` atomically (no write in between is
   * lost); `change` returns null to leave it as it is. False when there is no document.
   */
  update(clientKey: string, change: (current: string) => string | null): Promise<boolean>;
  /** Every clientKey that has a document, each once, in the order ACE stored them. */
  clientKeys(): Promise<string[]>;
  close(): Promise<void>;
}

/** Timeouts every backend honours. */
export interface BackendTimeouts {
  connectTimeoutMs: number;
  queryTimeoutMs: number;
}
