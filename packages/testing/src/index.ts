export { bundleForChildProcess } from './child-process-bundle';
export { createEmptyTestDatabase, createTestDatabase, type TestDatabase } from './test-database';
export { loadTestConfig } from './test-config';
export { breakableOnce, startRoutesApp, testCallerHeaders, type TestCaller } from './routes-app';
export { startS3Standin, type S3Standin, type S3StandinOptions, type StoredObject } from './s3/s3-standin';
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
export type { DiscordFault, FaultRoute, GatewayFault } from './discord/fault-queue';
export type { StandinChannel, StandinMember, StandinMessage, StandinRole } from './discord/guild-entities';
export type { SeedChannel, SeedRole, MemberOptions } from './discord/guild-store';
export type { SeedMessage } from './discord/message-store';
export type { GatewayDispatch } from './discord/dispatch-bus';
export type { StandinGateway, GatewayOptions, GatewaySessionSnapshot } from './discord/gateway/standin-gateway';
export type { Delivery, RecordedDispatch } from './discord/gateway/gateway-session';
export type { SendInteractionOptions, SendInteractionResult } from './discord/interaction-delivery';
export type { InteractionResponse, InteractionResponseKind, StandinInteraction } from './discord/interaction-store';
export type { WorldEvents } from './discord/world-events';
export { seedBotWorld, BOT_PERMISSIONS, type BotWorld, type SeedBotWorldOptions } from './discord/seed-bot-world';
export { runDiscordStandin, type RunDiscordStandinOptions, type RunningDiscordStandin } from './discord/run-discord-standin';
export type { AccessGrant } from './discord/oauth-grants';
export type { RecordedRequest } from './discord/request-log';
export { createSnowflakeGenerator, readSnowflakeTime } from './discord/snowflake';
export { startSmtpStandin, type ReceivedMail, type SmtpStandin } from './smtp/smtp-standin';
