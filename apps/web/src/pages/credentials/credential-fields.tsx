import type { JsonSchema } from '../../api/node-types.api';
import { Field } from '../../components/field';
import { Checkbox, Input, Select, Textarea } from '../../components/input';
import { labelFromKey, schemaType } from '../../editor/schema-rules';

/** What the form holds per field: text as typed (numbers are converted on submit), booleans as booleans. */
export type FieldValues = Record<string, string | boolean>;

interface CredentialFieldsProps {
  schema: JsonSchema;
  values: FieldValues;
  onChange: (key: string, value: string | boolean) => void;
  errors: Record<string, string>;
  /** Secret fields: password inputs, never prefilled. */
  isSecret?: boolean;
  /** Editing: a blank secret keeps the stored one, so none is required. */
  isEditing?: boolean;
}

/** A schema of arbitrary keys (the generic JSON type): edited as one JSON object. */
export function hasNamedFields(schema: JsonSchema): boolean {
  return schema.properties !== undefined;
}

/** One input per property of a credential type's public or secret JSON Schema. */
export function CredentialFields({ schema, values, onChange, errors, isSecret, isEditing }: CredentialFieldsProps) {
  const required = new Set(schema.required ?? []);
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([key, property]) => {
        const label = property.title ?? labelFromKey(key);
        const isRequired = required.has(key) && property.default === undefined && !(isSecret && isEditing);
        const type = schemaType(property);
        const value = values[key];
        const hint = isSecret && isEditing ? 'Leave blank to keep the stored value.' : property.description;
        if (type === 'boolean') {
          return <Checkbox key={key} label={label} checked={value === undefined ? property.default === true : value === true} onChange={(event) => onChange(key, event.target.checked)} />;
        }
        return (
          <Field key={key} label={label} hint={hint} error={errors[key]} isOptional={!isRequired}>
            {(control) =>
              property.enum ? (
                <Select {...control} value={typeof value === 'string' ? value : String(property.default ?? '')} onChange={(event) => onChange(key, event.target.value)}>
                  {property.default === undefined ? <option value="">Not set</option> : null}
                  {property.enum.map((item) => (
                    <option key={String(item)} value={String(item)}>
                      {String(item)}
                    </option>
                  ))}
                </Select>
              ) : (
                <Input
                  {...control}
                  name={key}
                  type={isSecret ? 'password' : type === 'number' || type === 'integer' ? 'number' : 'text'}
                  autoComplete={isSecret ? 'new-password' : 'off'}
                  spellCheck={false}
                  isMono={isSecret}
                  placeholder={isSecret && isEditing ? '••••••••' : property.default !== undefined ? String(property.default) : undefined}
                  value={typeof value === 'string' ? value : ''}
                  onChange={(event) => onChange(key, event.target.value)}
                />
              )
            }
          </Field>
        );
      })}
    </>
  );
}

/** The generic type's secret: a JSON object typed into a box, never shown again either. */
export function SecretJsonField({ value, onChange, error, isEditing }: { value: string; onChange: (value: string) => void; error?: string; isEditing?: boolean }) {
  return (
    <Field label="Secret fields (JSON object)" hint={isEditing ? 'Leave blank to keep the stored fields; fields you send replace those with the same name.' : 'e.g. {"apiKey": "…", "region": "eu"}. All fields are sealed.'} error={error} isOptional={isEditing}>
      {(control) => <Textarea {...control} isMono rows={5} spellCheck={false} autoComplete="off" value={value} onChange={(event) => onChange(event.target.value)} />}
    </Field>
  );
}

/** Form text → API values: numbers as numbers; blanks left out (or null, to clear an optional field that was set). */
export function readFieldValues(schema: JsonSchema, values: FieldValues, previous?: Record<string, unknown>): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    const value = values[key];
    const type = schemaType(property);
    if (typeof value === 'boolean') data[key] = value;
    else if (value === undefined || value === '') {
      if (previous && previous[key] !== undefined && previous[key] !== null) data[key] = null;
    } else data[key] = type === 'number' || type === 'integer' ? Number(value) : value;
  }
  return data;
}

/** Public fields of a stored credential, as form text. */
export function toFieldValues(fields: Record<string, unknown>): FieldValues {
  const values: FieldValues = {};
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value === 'boolean') values[key] = value;
    else if (value !== undefined && value !== null) values[key] = String(value);
  }
  return values;
}

/** CREDENTIAL_DATA_INVALID details (`data.password`) → `{ password: message }`. */
export function readDataIssues(details: unknown): Record<string, string> {
  const issues = (details as { issues?: { path?: string; message?: string }[] } | undefined)?.issues ?? [];
  const byField: Record<string, string> = {};
  for (const issue of issues) {
    const key = issue.path?.replace(/^data\.?/, '') || '_';
    if (issue.message && !(key in byField)) byField[key] = issue.message;
  }
  return byField;
}
