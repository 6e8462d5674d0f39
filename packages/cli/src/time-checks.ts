/** One time check of a token (connect-protocol.md 13.2 B4–B6). */
export interface TimeCheck {
  readonly claim: 'exp' | 'nbf' | 'iat';
  /** null when the claim is absent or not a number (a claim error, reported separately). */
  readonly ok: boolean | null;
  readonly detail: string;
}

/** The time section of `explain`. */
export interface TimeReport {
  readonly nowSec: number;
  readonly leewaySec: number;
  /** `exp - iat`, when both are numbers. */
  readonly lifetimeSec: number | null;
  readonly checks: readonly TimeCheck[];
}

/** An epoch second as an ISO date, for people reading `explain` output. */
export function iso(sec: number): string {
  const date = new Date(sec * 1000);
  return Number.isNaN(date.getTime()) ? String(sec) : date.toISOString().replace('.000Z', 'Z');
}

function ago(deltaSec: number): string {
  const rounded = Math.round(Math.abs(deltaSec));
  return deltaSec >= 0 ? `${rounded} s ago` : `in ${rounded} s`;
}

function numeric(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/**
 * Explains the time claims against `nowSec` with the same comparisons as the core's B4–B6 and
 * the same leeway. Core does not export its `checkTimes` (it throws on the first failure, and
 * `explain` shows all three), so the three comparisons are stated here; the route table below
 * them comes from the core itself and is the authoritative answer.
 */
export function explainTimes(payload: Readonly<Record<string, unknown>>, nowSec: number, leewaySec: number): TimeReport {
  const { exp, nbf, iat } = payload;
  const checks: TimeCheck[] = [];
  if (numeric(exp)) {
    const ok = nowSec < exp + leewaySec;
    checks.push({ claim: 'exp', ok, detail: ok ? `expires ${iso(exp)} (${ago(nowSec - exp)})` : `expired ${iso(exp)} (${ago(nowSec - exp)}), beyond the ${leewaySec} s leeway` });
  } else {
    checks.push({ claim: 'exp', ok: null, detail: exp === undefined ? 'missing: every Connect token must expire' : 'not a number' });
  }
  if (nbf === undefined) {
    checks.push({ claim: 'nbf', ok: true, detail: 'not set (products do not send it)' });
  } else if (numeric(nbf)) {
    const early = nbf > nowSec + leewaySec;
    const inverted = numeric(exp) && exp <= nbf;
    checks.push({
      claim: 'nbf',
      ok: !early && !inverted,
      detail: inverted ? `not before ${iso(nbf)}, which is not before exp` : `not before ${iso(nbf)} (${ago(nowSec - nbf)})${early ? `, beyond the ${leewaySec} s leeway` : ''}`,
    });
  } else {
    checks.push({ claim: 'nbf', ok: null, detail: 'not a number' });
  }
  if (numeric(iat)) {
    const ok = iat <= nowSec + leewaySec;
    checks.push({ claim: 'iat', ok, detail: ok ? `issued ${iso(iat)} (${ago(nowSec - iat)})` : `issued ${iso(iat)}, ${Math.round(iat - nowSec)} s in the future: the clocks of the sender and this machine disagree` });
  } else {
    checks.push({ claim: 'iat', ok: null, detail: iat === undefined ? 'missing' : 'not a number' });
  }
  // Shown, not checked: 180 s (pages) and 900 s (some lifecycle tokens) are both normal.
  const lifetimeSec = numeric(exp) && numeric(iat) ? exp - iat : null;
  return { nowSec, leewaySec, lifetimeSec, checks };
}
