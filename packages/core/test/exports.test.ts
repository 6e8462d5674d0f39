import * as core from '@connect-auth/core';
import { expect, it } from 'vitest';

// Additions and removals of public exports show up here in review (STYLE.md section 8).
it('exports exactly this runtime surface', () => {
  expect(Object.keys(core).sort()).toMatchSnapshot();
});
