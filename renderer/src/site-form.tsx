import { useId, useState } from 'react';
import type { DocumentId, SiteSummary } from '../../main/ipc/contract';
import { api, AppError } from './api';
import { Field, FieldError, FormActions, decimalOf, errorPlacement, useFormSave } from './form-fields';
import { Modal } from './modal';

export type SiteFormMode = { kind: 'add' } | { kind: 'edit'; site: SiteSummary };

/**
 * Adding a site, or renaming one and changing its position (latitude and longitude in degrees,
 * both or neither); in edit mode, "Delete site…". What the notebook refuses (a latitude beyond 90)
 * is said at the field.
 */
export function SiteForm({
  documentId,
  mode,
  onSaved,
  onDelete,
  onClose,
}: {
  documentId: DocumentId;
  mode: SiteFormMode;
  onSaved: (site: SiteSummary) => void;
  onDelete: (site: SiteSummary) => void;
  onClose: () => void;
}) {
  const site = mode.kind === 'edit' ? mode.site : null;
  const [name, setName] = useState(site?.name ?? '');
  const [lat, setLat] = useState(site?.lat === null || site?.lat === undefined ? '' : String(site.lat));
  const [lon, setLon] = useState(site?.lon === null || site?.lon === undefined ? '' : String(site.lon));
  const { saving, error, setError, onSubmit } = useFormSave(async () => {
    const position = { lat: decimalOf(lat), lon: decimalOf(lon) };
    for (const field of ['lat', 'lon'] as const) {
      if (Number.isNaN(position[field])) return setError(new AppError('INVALID_VALUE', `the ${field === 'lat' ? 'latitude' : 'longitude'} is not a number`, field));
    }
    if ((position.lat === null) !== (position.lon === null)) {
      return setError(new AppError('INVALID_VALUE', 'a position needs both latitude and longitude (or neither)', position.lat === null ? 'lat' : 'lon'));
    }
    if (!name.trim()) return setError(new AppError('INVALID_VALUE', 'a site needs a name', 'name'));
    onSaved(site ? await api.updateSite(documentId, site.id, { name, ...position }) : await api.addSite(documentId, { name, ...position }));
  });
  const ids = { name: useId(), lat: useId(), lon: useId(), error: useId() };
  const placed = errorPlacement(error, ['name', 'lat', 'lon']);

  return (
    <Modal title={site ? `Edit site ${site.name}` : 'Add site'} onClose={onClose} locked={saving} testId="site-form-dialog" size="small">
      <form data-testid="site-form" className="form" onSubmit={onSubmit} noValidate>
        <Field id={ids.name} label="Name" error={placed.at('name') ? error : null} errorId={ids.error}>
          <input
            id={ids.name}
            data-autofocus
            type="text"
            value={name}
            onChange={(e) => setName(e.target.value)}
            autoComplete="off"
            aria-invalid={placed.at('name') || undefined}
            aria-describedby={placed.at('name') ? ids.error : undefined}
          />
        </Field>
        <div className="field-row">
          <Field id={ids.lat} label="Latitude (°)" error={placed.at('lat') ? error : null} errorId={ids.error}>
            <input
              id={ids.lat}
              type="text"
              inputMode="decimal"
              value={lat}
              onChange={(e) => setLat(e.target.value)}
              placeholder="46.51"
              autoComplete="off"
              aria-invalid={placed.at('lat') || undefined}
              aria-describedby={placed.at('lat') ? ids.error : undefined}
            />
          </Field>
          <Field id={ids.lon} label="Longitude (°)" error={placed.at('lon') ? error : null} errorId={ids.error}>
            <input
              id={ids.lon}
              type="text"
              inputMode="decimal"
              value={lon}
              onChange={(e) => setLon(e.target.value)}
              placeholder="8.12"
              autoComplete="off"
              aria-invalid={placed.at('lon') || undefined}
              aria-describedby={placed.at('lon') ? ids.error : undefined}
            />
          </Field>
        </div>
        <p className="field-hint">South and west are negative. Leave both empty when the position is not known.</p>
        {placed.underForm && error && <FieldError id={ids.error} error={error} />}
        <FormActions saving={saving} onClose={onClose}>
          {site && (
            <button type="button" className="button button-quiet form-action-left" onClick={() => onDelete(site)} disabled={saving}>
              Delete site…
            </button>
          )}
        </FormActions>
      </form>
    </Modal>
  );
}
