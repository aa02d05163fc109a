export { createTestDatabase, type TestDatabase } from './test-database';
export { loadTestConfig } from './test-config';
