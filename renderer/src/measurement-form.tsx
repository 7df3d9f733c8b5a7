import { useId, useState } from 'react';
import type { DocumentId, MeasurementView, SampleDetail } from '../../main/ipc/contract';
import { api, AppError } from './api';
import { Field, FieldError, FormActions, decimalOf, errorPlacement, useFormSave } from './form-fields';
import { Modal } from './modal';
import { useLoader } from './use-loader';

export type MeasurementFormMode = { kind: 'add'; sampleId: number; sampleCode: string } | { kind: 'edit'; sampleCode: string; measurement: MeasurementView };

/**
 * Adding a measurement to a sample, or changing one: the quantity (pH, depth...), its value and
 * unit, and the instrument that took it (one of the notebook's, or a new name, which adds it).
 */
export function MeasurementForm({
  documentId,
  mode,
  onSaved,
  onClose,
}: {
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
  const instruments = useLoader(() => api.listInstruments(documentId), [documentId]);
  const ids = { kind: useId(), value: useId(), unit: useId(), instrument: useId(), list: useId(), error: useId() };

  const { saving, error, setError, onSubmit } = useFormSave(async () => {
    const number = decimalOf(value, { exponent: true });
    if (!kind.trim()) return setError(new AppError('INVALID_VALUE', 'a measurement needs a quantity (pH, depth, ...)', 'kind'));
    if (Number.isNaN(number)) return setError(new AppError('INVALID_VALUE', `“${value.trim()}” is not a number`, 'value'));
    const fields = { kind, value: number, unit: unit || null, instrument: instrument || null };
    onSaved(m ? await api.updateMeasurement(documentId, m.id, fields) : await api.addMeasurement(documentId, (mode as { sampleId: number }).sampleId, fields));
  });
  const placed = errorPlacement(error, ['kind', 'value', 'unit', 'instrument']);
  const input = (field: 'kind' | 'value' | 'unit' | 'instrument') => ({
    id: ids[field],
    'aria-invalid': placed.at(field) || undefined,
    'aria-describedby': placed.at(field) ? ids.error : undefined,
    autoComplete: 'off',
  });

  return (
    <Modal
      title={m ? `Edit ${m.kind} of ${mode.sampleCode}` : `Add a measurement to ${mode.sampleCode}`}
      onClose={onClose}
      locked={saving}
      testId="measurement-form-dialog"
      size="small"
    >
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
          <datalist id={ids.list}>
            {(instruments.value ?? []).map((i) => (
              <option key={i.id} value={i.name} />
            ))}
          </datalist>
        </Field>
        {placed.underForm && error && <FieldError id={ids.error} error={error} />}
        <FormActions saving={saving} onClose={onClose} />
      </form>
    </Modal>
  );
}
