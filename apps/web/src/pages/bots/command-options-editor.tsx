import { OPTION_TYPES, type CommandOption } from '../../api/bots.api';
import { Button } from '../../components/button';
import { PlusIcon, TrashIcon } from '../../components/icons';
import { Checkbox, Input, Select } from '../../components/input';

/** Subcommands (1) and groups (2) nest options: the row editor handles the flat kind only. */
export function hasSubcommands(options: CommandOption[]): boolean {
  return options.some((option) => option.type === 1 || option.type === 2);
}

/**
 * A slash command's options as rows: type, name, description, required.
 * Keys the rows do not show (choices, min/max) are kept as they were.
 */
export function CommandOptionsEditor({ options, onChange }: { options: CommandOption[]; onChange: (options: CommandOption[]) => void }) {
  const update = (index: number, patch: Partial<CommandOption>) => onChange(options.map((option, at) => (at === index ? { ...option, ...patch } : option)));
  return (
    <fieldset className="form-fieldset">
      <legend>Options</legend>
      {options.length === 0 ? <p className="field-hint">No options: the command takes no arguments. Discord lists required options first.</p> : null}
      {options.map((option, index) => {
        const label = `Option ${index + 1}`;
        return (
          <div key={index} className="option-row" role="group" aria-label={label}>
            <Select aria-label={`${label} type`} value={option.type} onChange={(event) => update(index, { type: Number(event.target.value) })}>
              {OPTION_TYPES.map((type) => (
                <option key={type.value} value={type.value}>
                  {type.label}
                </option>
              ))}
            </Select>
            <Input aria-label={`${label} name`} placeholder="name" value={option.name} maxLength={32} isMono onChange={(event) => update(index, { name: event.target.value.toLowerCase() })} />
            <Input aria-label={`${label} description`} placeholder="What to enter" value={option.description} maxLength={100} onChange={(event) => update(index, { description: event.target.value })} />
            <Checkbox label="Required" checked={option.required === true} onChange={(event) => update(index, { required: event.target.checked || undefined })} />
            <Button size="sm" variant="ghost" isIconOnly aria-label={`Remove ${label.toLowerCase()}`} onClick={() => onChange(options.filter((_, at) => at !== index))}>
              <TrashIcon />
            </Button>
          </div>
        );
      })}
      <div>
        <Button size="sm" icon={<PlusIcon />} disabled={options.length >= 25} onClick={() => onChange([...options, { type: 3, name: '', description: '' }])}>
          Add option
        </Button>
      </div>
    </fieldset>
  );
}
