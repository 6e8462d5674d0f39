import { redisBackend } from './ace-databases.js';
import { describeAceMigration } from './migration-scenarios.js';

await describeAceMigration(redisBackend());
