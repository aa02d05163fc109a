import { randomBytes } from 'node:crypto';
import { AppError, sha256Hex } from '@weft/kernel';
import type { DbExecutor } from '@weft/db';
import type { AccountsContext, RequestMeta } from './accounts.context';
import { AccountsErrors } from './accounts.errors';
import {
  claimTotpStep,
  deleteRecoveryCodes,
  deleteTotpFactor,
  findTotpFactor,
  replaceRecoveryCodes,
  upsertPendingTotpFactor,
  useRecoveryCode,
} from './security.repository';
import { notifySecurityEvent, recordSecurityEvent } from './security-events.service';
import { findUserById, type UserRow } from './users.repository';

const ISSUER = 'Weft';

// otplib and qrcode load with the first two-factor request: about 2 MB of heap that a server
// would otherwise hold from start-up for a rare action.
const loadOtp = () => import('otplib');
const loadQrCode = async () => (await import('qrcode')).default;
const RECOVERY_CODE_COUNT = 10;
/** One 30-second step either side: phones whose clocks drift a little still work (RFC 6238 §5.2). */
const EPOCH_TOLERANCE_SECONDS = 30;

export interface SecondFactorProof {
  totp?: string;
  recoveryCode?: string;
}

/** `xxxxx-xxxxx`, lower-case base32: 50 random bits, easy to type from paper. */
function generateRecoveryCode(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  const chars = [...randomBytes(10)].map((byte) => alphabet[byte % 32]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

/** Hyphens, spaces and case do not matter when a code is typed back. */
function hashRecoveryCode(code: string): string {
  return sha256Hex(code.toLowerCase().replace(/[^a-z2-7]/g, ''));
}

export function createTwoFactorService(context: AccountsContext) {
  const { clock, database, keys } = context;
  const audit = (executor: DbExecutor, userId: string, action: string, meta: RequestMeta) =>
    context.audit.recordAudit({ actor: { type: 'user', id: userId }, action, target: { type: 'user', id: userId }, ip: meta.ip }, executor);

  /** Checks a code against the user's factor and burns its time step, so a code works once. */
  async function isTotpCodeValid(userId: string, code: string, executor: DbExecutor, confirmAt?: Date): Promise<boolean> {
    const factor = await findTotpFactor(executor, userId);
    if (!factor || !/^\d{6}$/.test(code)) return false;
    const secret = keys.openTotpSecret(userId, factor.secretCiphertext, factor.keyVersion);
    const epoch = Math.floor(clock.now().getTime() / 1000);
    const { verify } = await loadOtp();
    const result = await verify({ secret, token: code, epoch, epochTolerance: EPOCH_TOLERANCE_SECONDS });
    if (!result.valid || !('timeStep' in result)) return false;
    return claimTotpStep(executor, userId, result.timeStep, confirmAt);
  }

  async function issueRecoveryCodes(executor: DbExecutor, userId: string): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, generateRecoveryCode);
    await replaceRecoveryCodes(executor, userId, codes.map(hashRecoveryCode), clock.now());
    return codes;
  }

  /** True when the proof is a valid current code or an unused recovery code (which is then spent). */
  async function verifySecondFactor(userId: string, proof: SecondFactorProof, executor: DbExecutor = database.db): Promise<boolean> {
    if (proof.totp) return isTotpCodeValid(userId, proof.totp, executor);
    if (proof.recoveryCode) return useRecoveryCode(executor, userId, hashRecoveryCode(proof.recoveryCode), clock.now());
    return false;
  }

  async function requireUser(userId: string): Promise<UserRow> {
    const user = await findUserById(database.db, userId);
    if (!user) throw new AppError(AccountsErrors.ACCOUNTS_USER_NOT_FOUND, 'No such user');
    return user;
  }

  return {
    async isTotpEnabled(userId: string): Promise<boolean> {
      return Boolean((await findTotpFactor(database.db, userId))?.confirmedAt);
    },

    verifySecondFactor,

    /** Starts enrolment: a fresh secret, sealed at rest, shown once as URI, QR code and text. */
    async enrolTotp(userId: string) {
      const user = await requireUser(userId);
      if ((await findTotpFactor(database.db, userId))?.confirmedAt) {
        throw new AppError(AccountsErrors.ACCOUNTS_TOTP_ALREADY_ENABLED, 'Two-factor authentication is on already');
      }
      const { generateSecret, generateURI } = await loadOtp();
      const secret = generateSecret();
      const sealed = keys.sealTotpSecret(userId, secret);
      await upsertPendingTotpFactor(database.db, { userId, secretCiphertext: sealed.ciphertext, keyVersion: sealed.keyVersion, createdAt: clock.now() });
      const otpauthUri = generateURI({ issuer: ISSUER, label: user.email, secret });
      return { secret, otpauthUri, qrCodeDataUrl: await (await loadQrCode()).toDataURL(otpauthUri) };
    },

    /** The first correct code switches 2FA on and returns the recovery codes, shown this once. */
    async confirmTotp(userId: string, code: string, meta: RequestMeta): Promise<string[]> {
      const user = await requireUser(userId);
      const factor = await findTotpFactor(database.db, userId);
      if (!factor) throw new AppError(AccountsErrors.ACCOUNTS_TOTP_NOT_ENABLED, 'Start enrolment first');
      if (factor.confirmedAt) throw new AppError(AccountsErrors.ACCOUNTS_TOTP_ALREADY_ENABLED, 'Two-factor authentication is on already');
      const codes = await database.transaction(async (tx) => {
        if (!(await isTotpCodeValid(userId, code, tx, clock.now()))) {
          throw new AppError(AccountsErrors.ACCOUNTS_TOTP_CODE_INVALID, 'The code is wrong or was used already');
        }
        const issued = await issueRecoveryCodes(tx, userId);
        await recordSecurityEvent(context, tx, userId, 'totp.enabled', meta);
        await audit(tx, userId, 'account.totp.enabled', meta);
        return issued;
      });
      await notifySecurityEvent(context, user, 'totp.enabled', meta);
      return codes;
    },

    /** Needs a code (or recovery code) as well as the password the caller checked. */
    async disableTotp(userId: string, proof: SecondFactorProof, meta: RequestMeta): Promise<void> {
      const user = await requireUser(userId);
      if (!(await findTotpFactor(database.db, userId))?.confirmedAt) {
        throw new AppError(AccountsErrors.ACCOUNTS_TOTP_NOT_ENABLED, 'Two-factor authentication is off');
      }
      await database.transaction(async (tx) => {
        if (!(await verifySecondFactor(userId, proof, tx))) {
          throw new AppError(AccountsErrors.ACCOUNTS_TOTP_CODE_INVALID, 'The code is wrong or was used already');
        }
        await deleteTotpFactor(tx, userId);
        await deleteRecoveryCodes(tx, userId);
        await recordSecurityEvent(context, tx, userId, 'totp.disabled', meta);
        await audit(tx, userId, 'account.totp.disabled', meta);
      });
      await notifySecurityEvent(context, user, 'totp.disabled', meta);
    },

    /** New codes replace the old ones; needs a current authenticator code. */
    async regenerateRecoveryCodes(userId: string, code: string, meta: RequestMeta): Promise<string[]> {
      const user = await requireUser(userId);
      if (!(await findTotpFactor(database.db, userId))?.confirmedAt) {
        throw new AppError(AccountsErrors.ACCOUNTS_TOTP_NOT_ENABLED, 'Two-factor authentication is off');
      }
      const codes = await database.transaction(async (tx) => {
        if (!(await isTotpCodeValid(userId, code, tx))) {
          throw new AppError(AccountsErrors.ACCOUNTS_TOTP_CODE_INVALID, 'The code is wrong or was used already');
        }
        const issued = await issueRecoveryCodes(tx, userId);
        await recordSecurityEvent(context, tx, userId, 'recovery-codes.regenerated', meta);
        await audit(tx, userId, 'account.recovery-codes.regenerated', meta);
        return issued;
      });
      await notifySecurityEvent(context, user, 'recovery-codes.regenerated', meta);
      return codes;
    },
  };
}

export type TwoFactorService = ReturnType<typeof createTwoFactorService>;
