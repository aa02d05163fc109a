export { CONFIG_VARIABLES, ConfigError, loadConfig, type Config, type ConfigVariable } from './config';
export { AppError, CoreErrors, httpStatusForCode, registerErrorCodes } from './errors';
export { isUuid, newId } from './ids';
export { compareCodeUnits } from './compare';
export { createManualClock, systemClock, type Clock } from './clock';
export {
  constantTimeEqual,
  createDataKey,
  createKeyring,
  decryptWithKey,
  encryptWithKey,
  hashIpAddress,
  hmacSha256,
  randomToken,
  rewrapDataKey,
  sha256Hex,
  unwrapDataKey,
  wrapDataKey,
  type Keyring,
  type WrappedDataKey,
} from './crypto';
export { detectFileType, detectImageType, IMAGE_TYPES, safeFilename, type DetectedFileType, type ImageType } from './file-type';
export { awsUriEncode, awsV4Authorization, EMPTY_PAYLOAD_SHA256, toAmzDate, type AwsSignedParts, type AwsSigningKey } from './aws-signature';
export { addMasterKeyVersion, ensureDataDir, loadOrCreateSecrets, type InstanceSecrets } from './data-dir';
export { createLogger, REDACTED_PATHS, type Logger, type LoggerOptions } from './logger';
export {
  defineTableInventory,
  systemColumn,
  type ColumnInventory,
  type DataCategory,
  type DataRights,
  type DataSubject,
  type EraseStrategy,
  type SubjectRef,
  type TableInventory,
} from './inventory';
export type { EventSubscriber, PeriodicJob } from './jobs';
