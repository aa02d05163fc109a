import type { JsonSchema } from '../api/node-types.api';

/** "timeoutMs" → "Timeout ms", "fromPort" → "From port". */
export function labelFromKey(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function schemaType(schema: JsonSchema): string | undefined {
  return Array.isArray(schema.type) ? schema.type.find((type) => type !== 'null') : schema.type;
}

/** oneOf/anyOf whose options are objects told apart by one `const` property (zod's discriminated unions). */
export function findDiscriminator(schema: JsonSchema): { key: string; options: { value: string; schema: JsonSchema }[] } | null {
  const options = schema.oneOf ?? schema.anyOf;
  if (!options?.length) return null;
  const first = options[0]?.properties ?? {};
  for (const key of Object.keys(first)) {
    const values = options.map((option) => option.properties?.[key]?.const);
    if (values.every((value) => typeof value === 'string')) {
      return { key, options: options.map((option, index) => ({ value: values[index] as string, schema: option })) };
    }
  }
  return null;
}

export function isStringMap(schema: JsonSchema): boolean {
  const additional = schema.additionalProperties;
  return schemaType(schema) === 'object' && !schema.properties && typeof additional === 'object' && schemaType(additional) === 'string';
}

/** The first rule a value breaks, in words; null when it is fine. Mirrors what the server will check. */
export function findRuleBroken(schema: JsonSchema, value: unknown, isRequired: boolean): string | null {
  if (value === undefined || value === '' || value === null) return isRequired && schema.default === undefined ? 'Required.' : null;
  // `{{ … }}` templates are resolved at run time; their result is checked then.
  if (typeof value === 'string' && value.includes('{{')) return null;
  const type = schemaType(schema);
  if (type === 'string' && typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) return schema.minLength === 1 ? 'Required.' : `At least ${schema.minLength} characters.`;
    if (schema.maxLength !== undefined && value.length > schema.maxLength) return `At most ${schema.maxLength} characters.`;
    if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value)) return 'This value does not have the expected format.';
  }
  if ((type === 'number' || type === 'integer') && typeof value === 'number') {
    if (type === 'integer' && !Number.isInteger(value)) return 'A whole number.';
    if (schema.minimum !== undefined && value < schema.minimum) return `At least ${schema.minimum}.`;
    if (schema.maximum !== undefined && value > schema.maximum) return `At most ${schema.maximum}.`;
  }
  if (schema.enum && !schema.enum.includes(value)) return `One of ${schema.enum.join(', ')}.`;
  return null;
}

/** Expression-like params (JSONata) read better in a monospaced font. */
export function isExpressionField(key: string): boolean {
  return /expression|source|mapping|body|condition|path/i.test(key);
}
