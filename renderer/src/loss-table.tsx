import type { ExportOutcome } from '../../main/ipc/contract';
import { formatCount, tableLabel } from './format-values';

/** What a copy at an older version leaves out: per table (and field), the rows. */
export function LossTable({ lost }: { lost: ExportOutcome['lost'] }) {
  return (
    <table className="data-table compact-table">
      <thead>
        <tr>
          <th scope="col">What</th>
          <th scope="col">Field</th>
          <th scope="col" className="numeric">
            Rows
          </th>
        </tr>
      </thead>
      <tbody>
        {lost.map((loss) => (
          <tr key={`${loss.table}.${loss.column ?? '*'}`}>
            <th scope="row">{tableLabel(loss.table)}</th>
            <td>{loss.column?.replace(/_/g, ' ') ?? <span className="muted">all of it</span>}</td>
            <td className="numeric">{formatCount(loss.rows)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
