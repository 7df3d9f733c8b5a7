import type { MeasurementView } from '../../main/ipc/contract';
import { formatMeasurement } from './format-values';

/** A sample's measurements: kind, value with unit, and the instrument that took it. */
export function MeasurementTable({ measurements }: { measurements: MeasurementView[] }) {
  if (measurements.length === 0) return <p className="muted small">No measurements recorded.</p>;
  return (
    <table data-testid="measurement-table" className="data-table">
      <thead>
        <tr>
          <th scope="col">Kind</th>
          <th scope="col" className="numeric">Value</th>
          <th scope="col">Unit</th>
          <th scope="col">Instrument</th>
        </tr>
      </thead>
      <tbody>
        {measurements.map((m) => (
          <tr key={m.id}>
            <th scope="row">{m.kind}</th>
            <td className="numeric">{m.value === null ? <span className="muted" title="No value">—</span> : formatMeasurement(m.value)}</td>
            <td>{m.unit ?? <span className="muted">—</span>}</td>
            <td>{m.instrument ?? <span className="muted">—</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
