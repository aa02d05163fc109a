export { createTestDatabase, type TestDatabase } from './test-database';
export { loadTestConfig } from './test-config';
export { startDiscordStandin, type DiscordStandin, type DiscordStandinOptions } from './discord/discord-standin';
export type {
  DiscordState,
  GuildMembership,
  SeedApplication,
  SeedGuild,
  SeedMember,
  SeedUser,
  StandinApplication,
  StandinGuild,
  StandinUser,
} from './discord/discord-state';
export type { DiscordFault, FaultRoute } from './discord/fault-queue';
export type { AccessGrant } from './discord/oauth-grants';
export type { RecordedRequest } from './discord/request-log';
export { createSnowflakeGenerator, readSnowflakeTime } from './discord/snowflake';
export { startSmtpStandin, type ReceivedMail, type SmtpStandin } from './smtp/smtp-standin';
