import { useId, useState, type FormEvent } from 'react';
import type { DocumentId, MeasurementView, SampleDetail } from '../../main/ipc/contract';
import { api, AppError, toAppError } from './api';
import { Field, FieldError, errorPlacement } from './form-fields';
import { Modal } from './modal';
import { useLoader } from './use-loader';

export type MeasurementFormMode = { kind: 'add'; sampleId: number; sampleCode: string } | { kind: 'edit'; sampleCode: string; measurement: MeasurementView };

/** A value as typed ("7.2", "7,2", "-0.5e-3"); '' is none; NaN when it is no number. */
function numberOf(text: string): number | null {
  const trimmed = text.trim().replace(',', '.');
  if (trimmed === '') return null;
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(trimmed) ? Number(trimmed) : Number.NaN;
}

/**
 * Adding a measurement to a sample, or changing one: the quantity (pH, depth...), its value and
 * unit, and the instrument that took it (one of the notebook's, or a new name, which adds it).
 */
export function MeasurementForm({ documentId, mode, onSaved, onClose }: {
  documentId: DocumentId;
  mode: MeasurementFormMode;
  onSaved: (sample: SampleDetail) => void;
  onClose: () => void;
}) {
  const m = mode.kind === 'edit' ? mode.measurement : null;
  const [kind, setKind] = useState(m?.kind ?? '');
  const [value, setValue] = useState(m?.value === null || m?.value === undefined ? '' : String(m.value));
  const [unit, setUnit] = useState(m?.unit ?? '');
  const [instrument, setInstrument] = useState(m?.instrument ?? '');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const instruments = useLoader(() => api.listInstruments(documentId), [documentId]);
  const ids = { kind: useId(), value: useId(), unit: useId(), instrument: useId(), list: useId(), error: useId() };
  const placed = errorPlacement(error, ['kind', 'value', 'unit', 'instrument']);

  const save = async () => {
    const number = numberOf(value);
    if (!kind.trim()) return setError(new AppError('INVALID_VALUE', 'a measurement needs a quantity (pH, depth, ...)', 'kind'));
    if (Number.isNaN(number)) return setError(new AppError('INVALID_VALUE', `“${value.trim()}” is not a number`, 'value'));
    setSaving(true);
    setError(null);
    const fields = { kind, value: number, unit: unit || null, instrument: instrument || null };
    try {
      onSaved(m ? await api.updateMeasurement(documentId, m.id, fields) : await api.addMeasurement(documentId, (mode as { sampleId: number }).sampleId, fields));
    } catch (e) {
      setError(toAppError(e));
      setSaving(false);
    }
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!saving) void save();
  };
  const input = (field: 'kind' | 'value' | 'unit' | 'instrument') => ({
    id: ids[field], 'aria-invalid': placed.at(field) || undefined, 'aria-describedby': placed.at(field) ? ids.error : undefined, autoComplete: 'off',
  });

  return (
    <Modal title={m ? `Edit ${m.kind} of ${mode.sampleCode}` : `Add a measurement to ${mode.sampleCode}`} onClose={onClose} locked={saving} testId="measurement-form-dialog" size="small">
      <form data-testid="measurement-form" className="form" onSubmit={onSubmit} noValidate>
        <Field id={ids.kind} label="Quantity" error={placed.at('kind') ? error : null} errorId={ids.error}>
          <input {...input('kind')} data-autofocus type="text" value={kind} onChange={(e) => setKind(e.target.value)} placeholder="pH, depth, temperature" />
        </Field>
        <div className="field-row">
          <Field id={ids.value} label="Value" error={placed.at('value') ? error : null} errorId={ids.error}>
            <input {...input('value')} type="text" inputMode="decimal" value={value} onChange={(e) => setValue(e.target.value)} />
          </Field>
          <Field id={ids.unit} label="Unit" error={placed.at('unit') ? error : null} errorId={ids.error}>
            <input {...input('unit')} type="text" value={unit} onChange={(e) => setUnit(e.target.value)} placeholder="m, °C" />
          </Field>
        </div>
        <Field id={ids.instrument} label="Instrument" error={placed.at('instrument') ? error : null} errorId={ids.error}>
          <input {...input('instrument')} type="text" list={ids.list} value={instrument} onChange={(e) => setInstrument(e.target.value)} placeholder="None" />
          <datalist id={ids.list}>{(instruments.value ?? []).map((i) => <option key={i.id} value={i.name} />)}</datalist>
        </Field>
        {placed.underForm && error && <FieldError id={ids.error} error={error} />}
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose} disabled={saving}>Cancel</button>
          <button type="submit" className="button button-primary" disabled={saving}>{saving ? 'Saving…' : 'Save'}</button>
        </div>
      </form>
    </Modal>
  );
}
