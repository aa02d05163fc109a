import { Button } from '../../components/button';
import { PlusIcon, TrashIcon } from '../../components/icons';
import { Input, Select } from '../../components/input';

interface KeyValueListProps {
  rows: [string, string][];
  onChange: (rows: [string, string][]) => void;
  keyLabel: string;
  valueLabel: string;
  addLabel: string;
  /** Known values (a server's channels): a select instead of a free id. */
  choices?: { id: string; name: string }[];
}

/** Name → id rows (a guild's named channels), each labelled for screen readers. */
export function KeyValueList({ rows, onChange, keyLabel, valueLabel, addLabel, choices }: KeyValueListProps) {
  const update = (index: number, row: [string, string]) => onChange(rows.map((item, at) => (at === index ? row : item)));
  return (
    <>
      {rows.map(([key, value], index) => (
        <div key={index} className="kv-pair" role="group" aria-label={`${keyLabel} ${index + 1}`}>
          <Input aria-label={`${keyLabel} ${index + 1}`} placeholder="modLog" value={key} onChange={(event) => update(index, [event.target.value, value])} />
          {choices && (value === '' || choices.some((choice) => choice.id === value)) ? (
            <Select aria-label={`${valueLabel} ${index + 1}`} value={value} onChange={(event) => update(index, [key, event.target.value])}>
              <option value="">Pick a channel</option>
              {choices.map((choice) => (
                <option key={choice.id} value={choice.id}>
                  {choice.name}
                </option>
              ))}
            </Select>
          ) : (
            <Input aria-label={`${valueLabel} ${index + 1}`} placeholder="123456789012345678" value={value} isMono inputMode="numeric" onChange={(event) => update(index, [key, event.target.value])} />
          )}
          <Button size="sm" variant="ghost" isIconOnly aria-label={`Remove ${keyLabel.toLowerCase()} ${index + 1}`} onClick={() => onChange(rows.filter((_, at) => at !== index))}>
            <TrashIcon />
          </Button>
        </div>
      ))}
      <div>
        <Button size="sm" icon={<PlusIcon />} onClick={() => onChange([...rows, ['', '']])}>
          {addLabel}
        </Button>
      </div>
    </>
  );
}
