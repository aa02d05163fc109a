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

export function createPrivacyRoutes(registry: InventoryRegistry, instanceName: string): RouteDefinition[] {
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
  ];
}
