import { AppError } from '@weft/kernel';
import { z } from 'zod';
import { defineNode } from '../define-node';
import { EngineErrors } from '../engine.errors';
import { requireService, type MailService, type SmtpSettings } from '../node-services';

const Address = z.email().max(320);
/** One address, a comma-separated list, or an array: what a template most easily produces. */
const AddressList = z
  .union([z.string().max(16_000), z.array(Address).max(50)])
  .transform((value, context) => {
    const list = typeof value === 'string' ? value.split(',').map((part) => part.trim()).filter((part) => part.length > 0) : value;
    for (const address of list) {
      if (!Address.safeParse(address).success) context.addIssue({ code: 'custom', message: `"${address}" is not an email address` });
    }
    if (list.length > 50) context.addIssue({ code: 'custom', message: 'At most 50 recipients' });
    return list;
  });

export const EmailSendParams = z.object({
  to: AddressList.refine((list) => list.length > 0, 'Give at least one recipient').describe('Recipients: an address, a comma-separated list or an array'),
  cc: AddressList.optional().describe('Copy recipients'),
  bcc: AddressList.optional().describe('Blind copy recipients'),
  replyTo: Address.optional().describe('Reply-To address'),
  subject: z.string().min(1).max(998).describe('Subject line (RFC 5322 caps a line at 998 characters)'),
  text: z.string().min(1).max(1_000_000).describe('Plain-text body; every mail must read well without HTML'),
  html: z.string().max(2_000_000).optional().describe('HTML body, shown by clients that render HTML'),
  transport: z
    .enum(['instance', 'smtp'])
    .default('instance')
    .describe('instance: the mailer this Weft instance is configured with; smtp: the SMTP server of the node credential'),
});
export type EmailSendParams = z.infer<typeof EmailSendParams>;

const SmtpCredential = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65_535).default(587),
  secure: z.boolean().default(false),
  user: z.string().optional(),
  password: z.string().optional(),
  from: z.string().min(1),
});

async function loadSmtp(credentials: { get(): Promise<Record<string, unknown>> }, nodeId: string): Promise<SmtpSettings> {
  const parsed = SmtpCredential.safeParse(await credentials.get());
  if (!parsed.success) {
    // Field paths only: the values may be secrets.
    const fields = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new AppError(EngineErrors.ENGINE_CREDENTIAL_INVALID, `The SMTP credential of node ${nodeId} lacks or mistypes: ${fields}`, { nodeId });
  }
  const { user, password, ...rest } = parsed.data;
  return { ...rest, ...(user === undefined ? {} : { user }), ...(password === undefined ? {} : { password }) };
}

/** Sends one mail through `services.mail`; the host owns delivery, retries and deduplication by key. */
export const emailSendNode = defineNode({
  type: 'email.send',
  version: 1,
  name: 'Send email',
  description: 'Sends an email (text and optional HTML) through the instance mailer or an SMTP credential.',
  kind: 'action',
  params: EmailSendParams,
  ports: { inputs: ['main'], outputs: ['main'] },
  hasSideEffects: true,
  credentialType: 'smtp',
  selectCredentialType: (params) => (params.transport === 'smtp' ? 'smtp' : undefined),
  async run({ nodeId, params, services, credentials, idempotencyKey }) {
    const mail = requireService<MailService>(services, 'mail', 'email.send');
    const smtp = params.transport === 'smtp' ? await loadSmtp(credentials, nodeId) : undefined;
    await mail.send({
      to: params.to,
      ...(params.cc?.length ? { cc: params.cc } : {}),
      ...(params.bcc?.length ? { bcc: params.bcc } : {}),
      ...(params.replyTo === undefined ? {} : { replyTo: params.replyTo }),
      subject: params.subject,
      text: params.text,
      ...(params.html === undefined ? {} : { html: params.html }),
      ...(smtp === undefined ? {} : { smtp }),
      idempotencyKey,
    });
    // What was sent, minus the bodies (they can be large and are in the params anyway).
    return { output: { to: params.to, subject: params.subject, transport: params.transport } };
  },
});
