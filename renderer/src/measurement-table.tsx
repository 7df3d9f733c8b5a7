import type { MeasurementView } from '../../main/ipc/contract';
import { formatMeasurement } from './format-values';
import { Icon } from './icon';

/**
 * A sample's measurements: kind, value with unit, and the instrument that took it; in a writable
 * notebook each row can be edited or deleted (`onEdit`, `onDelete`).
 */
export function MeasurementTable({
  measurements,
  readOnly,
  onEdit,
  onDelete,
}: {
  measurements: MeasurementView[];
  readOnly: boolean;
  onEdit: (measurement: MeasurementView) => void;
  onDelete: (measurement: MeasurementView) => void;
}) {
  if (measurements.length === 0) return <p className="muted small">No measurements recorded.</p>;
  return (
    <table data-testid="measurement-table" className="data-table">
      <thead>
        <tr>
          <th scope="col">Kind</th>
          <th scope="col" className="numeric">
            Value
          </th>
          <th scope="col">Unit</th>
          <th scope="col">Instrument</th>
          {!readOnly && (
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody>
        {measurements.map((m) => (
          <tr key={m.id} data-measurement-id={m.id}>
            <th scope="row">{m.kind}</th>
            <td className="numeric">
              {m.value === null ? (
                <span className="muted" title="No value">
                  —
                </span>
              ) : (
                formatMeasurement(m.value)
              )}
            </td>
            <td>{m.unit ?? <span className="muted">—</span>}</td>
            <td>{m.instrument ?? <span className="muted">—</span>}</td>
            {!readOnly && (
              <td className="action-cell">
                <button type="button" className="button button-quiet button-small button-icon" aria-label={`Edit ${m.kind}`} title="Edit" onClick={() => onEdit(m)}>
                  <Icon name="pencil" />
                </button>
                <button type="button" className="button button-quiet button-small button-icon" aria-label={`Delete ${m.kind}`} title="Delete" onClick={() => onDelete(m)}>
                  <Icon name="trash" />
                </button>
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
