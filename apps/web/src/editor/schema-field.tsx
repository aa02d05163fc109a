import { useCallback, useState } from 'react';
import type { JsonSchema } from '../api/node-types.api';
import { Field } from '../components/field';
import { Checkbox, Input, Select } from '../components/input';
import { CredentialPicker, readCredentialTypeFromDescription } from './credential-picker';
import { ExpressionInput } from './expression-input';
import { readExpressionMode } from './expression-suggestions';
import { JsonField } from './json-field';
import { KeyValueEditor } from './key-value-editor';
import { findDiscriminator, findRuleBroken, isExpressionField, isStringMap, labelFromKey, schemaType } from './schema-rules';

export interface SchemaFieldProps {
  name: string;
  schema: JsonSchema;
  value: unknown;
  isRequired: boolean;
  onChange: (value: unknown) => void;
  /** A problem the API reported for this field (or inside it). */
  serverError?: string;
}

function describeDefault(schema: JsonSchema): string | undefined {
  if (schema.default === undefined || typeof schema.default === 'object') return undefined;
  return String(schema.default);
}

/** An object with named properties: one field per property, nested in a fieldset. */
export function ObjectFields({ schema, value, onChange, problemsByField }: { schema: JsonSchema; value: Record<string, unknown>; onChange: (value: Record<string, unknown>) => void; problemsByField?: Record<string, string> }) {
  const required = new Set(schema.required ?? []);
  return (
    <>
      {Object.entries(schema.properties ?? {}).map(([key, property]) => (
        <SchemaField
          key={key}
          name={key}
          schema={property}
          value={value[key]}
          isRequired={required.has(key)}
          serverError={problemsByField?.[key]}
          onChange={(next) => {
            const copy = { ...value };
            if (next === undefined) delete copy[key];
            else copy[key] = next;
            onChange(copy);
          }}
        />
      ))}
    </>
  );
}

/** One parameter, rendered from its JSON Schema. */
export function SchemaField({ name, schema, value, isRequired, onChange, serverError }: SchemaFieldProps) {
  const [jsonError, setJsonError] = useState<string | null>(null);
  const onValidity = useCallback((error: string | null) => setJsonError(error), []);
  const label = schema.title ?? labelFromKey(name);
  const hint = schema.description;
  const type = schemaType(schema);
  const discriminator = findDiscriminator(schema);
  const error = jsonError ?? findRuleBroken(schema, value, isRequired) ?? serverError ?? null;

  const credentialType = name === 'credentialId' ? readCredentialTypeFromDescription(schema.description) : null;
  if (credentialType) {
    return <CredentialPicker types={[credentialType]} value={typeof value === 'string' ? value : undefined} isRequired={isRequired} error={serverError} onChange={onChange} />;
  }

  if (discriminator) {
    const current = (value as Record<string, unknown> | undefined) ?? (schema.default as Record<string, unknown> | undefined) ?? {};
    const selected = discriminator.options.find((option) => option.value === current[discriminator.key]) ?? discriminator.options[0]!;
    const inner: JsonSchema = { ...selected.schema, properties: Object.fromEntries(Object.entries(selected.schema.properties ?? {}).filter(([key]) => key !== discriminator.key)) };
    return (
      <fieldset className="schema-fieldset">
        <legend>{label}</legend>
        <Field label={labelFromKey(discriminator.key)} hint={hint} error={serverError}>
          {(control) => (
            <Select {...control} value={selected.value} onChange={(event) => onChange({ [discriminator.key]: event.target.value })}>
              {discriminator.options.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.value}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <ObjectFields schema={inner} value={current} onChange={(next) => onChange({ ...next, [discriminator.key]: selected.value })} />
      </fieldset>
    );
  }

  const choices = schema.enum;
  if (choices) {
    return (
      <Field label={label} hint={hint} error={error} isOptional={!isRequired}>
        {(control) => (
          <Select {...control} value={value === undefined ? '' : String(value)} onChange={(event) => onChange(event.target.value === '' ? undefined : choices.find((item) => String(item) === event.target.value))}>
            {!isRequired || schema.default !== undefined ? <option value="">{schema.default !== undefined ? `Default (${String(schema.default)})` : 'Not set'}</option> : null}
            {choices.map((item) => (
              <option key={String(item)} value={String(item)}>
                {String(item)}
              </option>
            ))}
          </Select>
        )}
      </Field>
    );
  }

  if (type === 'boolean') {
    return <Checkbox label={label} checked={value === undefined ? schema.default === true : value === true} onChange={(event) => onChange(event.target.checked)} />;
  }

  if (type === 'number' || type === 'integer') {
    return (
      <Field label={label} hint={hint} error={error} isOptional={!isRequired}>
        {(control) => (
          <Input
            {...control}
            type="number"
            inputMode={type === 'integer' ? 'numeric' : 'decimal'}
            step={type === 'integer' ? 1 : 'any'}
            min={schema.minimum}
            max={schema.maximum}
            placeholder={describeDefault(schema)}
            value={typeof value === 'number' ? value : ''}
            onChange={(event) => onChange(event.target.value === '' ? undefined : Number(event.target.value))}
          />
        )}
      </Field>
    );
  }

  if (type === 'string') {
    return (
      <Field label={label} hint={hint} error={error} isOptional={!isRequired}>
        {(control) => (
          <ExpressionInput
            {...control}
            mode={readExpressionMode(name)}
            isMono={isExpressionField(name)}
            placeholder={describeDefault(schema)}
            value={typeof value === 'string' ? value : value === undefined ? '' : String(value)}
            onChange={(text) => onChange(text === '' ? undefined : text)}
          />
        )}
      </Field>
    );
  }

  if (type === 'object' && isStringMap(schema)) {
    return (
      <Field label={label} hint={hint ?? (name === 'mapping' ? 'Each field is a JSONata expression over the input, e.g. "Hello, " & name' : undefined)} error={error} isOptional={!isRequired}>
        {(control) => (
          <KeyValueEditor label={label} describedBy={control['aria-describedby']} value={value} isValueMono={isExpressionField(name)} valueMode={name === 'mapping' ? 'jsonata' : 'template'} keyLabel={name === 'mapping' ? 'Field' : 'Name'} valueLabel={name === 'mapping' ? 'Expression' : 'Value'} onChange={onChange} />
        )}
      </Field>
    );
  }

  if (type === 'object' && schema.properties) {
    return (
      <fieldset className="schema-fieldset">
        <legend>{label}</legend>
        <ObjectFields schema={schema} value={(value as Record<string, unknown>) ?? {}} onChange={onChange} />
      </fieldset>
    );
  }

  return (
    <Field label={label} hint={hint ?? 'Any JSON value; {{ }} templates are evaluated when the node runs.'} error={error} isOptional={!isRequired}>
      {(control) => <JsonField control={control} value={value} onChange={onChange} onValidity={onValidity} />}
    </Field>
  );
}
