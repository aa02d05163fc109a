import { z } from 'zod';
import { IsoDate, Page, WorkspaceParams } from './common';

/**
 * The only shape a credential leaves the API in. Secret fields are not in it,
 * and the route layer strips undeclared keys, so even a service bug that
 * returned a secret could not put it in a reply.
 */
export const CredentialView = z.object({
  id: z.string(),
  type: z.string(),
  name: z.string(),
  publicFields: z.record(z.string(), z.unknown()),
  createdAt: IsoDate,
  updatedAt: IsoDate,
  lastUsedAt: IsoDate.nullable(),
});
export type CredentialView = z.output<typeof CredentialView>;

export const CredentialPage = Page(CredentialView);
export type CredentialPage = z.output<typeof CredentialPage>;

export const CredentialParams = WorkspaceParams.extend({ credentialId: z.uuid() });
export type CredentialParams = z.output<typeof CredentialParams>;

const CredentialName = z.string().trim().min(1).max(100);
/** Public and secret fields together; the credential type's schema checks them in the service. */
const CredentialData = z.record(z.string(), z.unknown());

export const CreateCredentialBody = z.object({ type: z.string().min(1).max(100), name: CredentialName, data: CredentialData });
export type CreateCredentialBody = z.input<typeof CreateCredentialBody>;

/** `data` replaces the fields it names; null removes an optional one. */
export const UpdateCredentialBody = z
  .object({ name: CredentialName.optional(), data: CredentialData.optional() })
  .refine((body) => body.name !== undefined || body.data !== undefined, 'send a name, data or both');
export type UpdateCredentialBody = z.input<typeof UpdateCredentialBody>;

export const CredentialDeleted = z.object({ deleted: z.literal(true), id: z.string() });
export type CredentialDeleted = z.output<typeof CredentialDeleted>;

/** A credential type with the JSON Schema of the fields shown again (public) and of those sealed (secret). */
export const CredentialTypeView = z.object({
  type: z.string(),
  label: z.string(),
  description: z.string(),
  publicSchema: z.record(z.string(), z.unknown()),
  secretSchema: z.record(z.string(), z.unknown()),
});
export type CredentialTypeView = z.output<typeof CredentialTypeView>;

export const CredentialTypeList = z.object({ items: z.array(CredentialTypeView) });
export type CredentialTypeList = z.output<typeof CredentialTypeList>;
