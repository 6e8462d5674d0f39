// The contract's HTTP scenarios, shared by every example (docs/example-app-contract.md).
import { fileURLToPath } from 'node:url';
import { describeExampleAppContract } from '@connect-auth/testing';

await describeExampleAppContract({ exampleDir: fileURLToPath(new URL('..', import.meta.url)) });
