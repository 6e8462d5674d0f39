/**
 * Deno and Bun entry: runs the portable suite and exits non-zero on failure. Only the exit call
 * differs between runtimes; both are looked up on `globalThis` so this file needs no Node types.
 */
import { createPortableSuite } from '../suite.js';
import { exitWith } from './exit.js';

const result = await createPortableSuite().run();
exitWith(result.failed > 0 ? 1 : 0);
