import { z } from 'zod';

/** One field of a sub-workflow's input or output: a small schema an editor can build a form from. */
export const FieldSpec = z.object({
  name: z.string().min(1).max(100).regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'Use letters, digits and "_", not starting with a digit'),
  type: z.enum(['string', 'number', 'boolean', 'object', 'array', 'any']).default('any'),
  required: z.boolean().default(true),
  description: z.string().max(500).optional(),
});
export type FieldSpec = z.infer<typeof FieldSpec>;

export const FieldSpecs = z.array(FieldSpec).max(100).default([]);

function typeOf(value: unknown): FieldSpec['type'] {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'any';
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'boolean' || type === 'object' ? type : 'any';
}

/**
 * Every way `value` breaks `fields`: not an object, a required field
 * missing, a field of another type. Extra fields are allowed (callers may
 * pass more than a sub-workflow reads). Empty when it fits.
 */
export function findFieldProblems(fields: readonly FieldSpec[], value: unknown): string[] {
  if (fields.length === 0) return [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['must be an object'];
  const record = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const field of fields) {
    const given = record[field.name];
    if (given === undefined || given === null) {
      if (field.required) problems.push(`"${field.name}" is required`);
      continue;
    }
    if (field.type !== 'any' && typeOf(given) !== field.type) problems.push(`"${field.name}" must be ${field.type === 'array' ? 'an array' : `a ${field.type}`}`);
  }
  return problems;
}
