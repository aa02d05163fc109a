import { loadConfig, type Config } from '@weft/kernel';

/**
 * The test-side twin of the CLI's environment read: tests take DATABASE_URL
 * from the environment (CI sets it for the PostgreSQL pass) and are quiet
 * unless LOG_LEVEL says otherwise.
 */
export function loadTestConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ LOG_LEVEL: 'silent', ...process.env, ...overrides });
}
