import { z } from 'zod';
import { defineRoute, type RouteDefinition } from '@weft/http';
import type { InventoryRegistry } from './inventory-registry';
import { listPersonalData, renderPrivacyNotice } from './render-privacy-notice';

const PersonalDataEntry = z.object({
  module: z.string(),
  table: z.string(),
  description: z.string(),
  column: z.string(),
  category: z.string(),
  purpose: z.string(),
  subject: z.string(),
  retention: z.string(),
  onErasure: z.string(),
  legalBasis: z.string().optional(),
});

const PrivacyInventoryResponse = z.object({
  instance: z.string(),
  generatedFrom: z.literal('code'),
  personalData: z.array(PersonalDataEntry),
});

const SubjectExportResponse = z.object({
  subject: z.object({ userId: z.string() }),
  exportedAt: z.string(),
  modules: z.record(z.string(), z.record(z.string(), z.array(z.unknown()))),
});

export function createPrivacyRoutes(
  registry: InventoryRegistry,
  instanceName: string,
  exportSubject: (subject: { userId: string }) => Promise<z.input<typeof SubjectExportResponse>>,
): RouteDefinition[] {
  const notice = renderPrivacyNotice(registry.tables, instanceName);
  const inventory = { instance: instanceName, generatedFrom: 'code' as const, personalData: listPersonalData(registry.tables) };
  return [
    defineRoute({
      method: 'GET',
      url: '/privacy',
      auth: 'public',
      summary: 'Privacy notice generated from the data inventory',
      tags: ['privacy'],
      response: z.string(),
      responseType: 'html',
      handler: () => notice,
    }),
    defineRoute({
      method: 'GET',
      url: '/privacy.json',
      auth: 'public',
      summary: 'Machine-readable data inventory',
      tags: ['privacy'],
      response: PrivacyInventoryResponse,
      handler: () => inventory,
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/me/export',
      auth: 'user',
      summary: 'Everything this instance holds about you, from every module, as JSON',
      tags: ['privacy'],
      response: SubjectExportResponse,
      // Exports read every module: an expensive request, limited per IP.
      rateLimit: { max: 5, timeWindowMs: 60_000 },
      handler: async ({ principal, reply }) => {
        reply.header('content-disposition', 'attachment; filename="weft-export.json"');
        return exportSubject({ userId: principal!.userId });
      },
    }),
  ];
}
