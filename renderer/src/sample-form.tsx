import { useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { DocumentId, NewSample, SampleDetail, SamplePatch } from '../../main/ipc/contract';
import { api, toAppError, type AppError } from './api';
import { FieldError, FormActions, errorPlacement } from './form-fields';
import { Modal } from './modal';
import { useLoader } from './use-loader';

export type SampleFormMode = { kind: 'edit'; sample: SampleDetail } | { kind: 'add'; siteId: number | null; siteName: string | null };

/** "a, b,  c" → ["a", "b", "c"]: trimmed, empty ones dropped, repeats (ignoring case) once. */
export function parseTags(text: string): string[] {
  const seen = new Map<string, string>();
  for (const part of text.split(',')) {
    const tag = part.trim();
    if (tag && !seen.has(tag.toLowerCase())) seen.set(tag.toLowerCase(), tag);
  }
  return [...seen.values()];
}

const sameTags = (a: string[], b: string[]) =>
  a
    .map((t) => t.toLowerCase())
    .sort()
    .join('\u001f') ===
  b
    .map((t) => t.toLowerCase())
    .sort()
    .join('\u001f');

/**
 * Editing a sample, or adding one to the selected site: code, description, collection date and
 * tags. Only the fields that changed are sent, in one request (one edit, one undo step); the
 * app's refusals (INVALID_VALUE: an empty or duplicate code, ...) are said at their field, and
 * the form stays open.
 */
export function SampleForm({
  documentId,
  mode,
  onSaved,
  onClose,
}: {
  documentId: DocumentId;
  mode: SampleFormMode;
  /** After a save (`closing`), or after part of one when a later write failed and the form stays open. */
  onSaved: (sample: SampleDetail, closing: boolean) => void;
  onClose: () => void;
}) {
  const original = mode.kind === 'edit' ? mode.sample : null;
  const [code, setCode] = useState(original?.code ?? '');
  const [description, setDescription] = useState(original?.description ?? '');
  const [collectedOn, setCollectedOn] = useState(original?.collectedOn ?? '');
  const [tagText, setTagText] = useState(original?.tags.join(', ') ?? '');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  // Set once an added sample exists, so saving again (after a failure) edits it instead of adding another.
  const [saved, setSaved] = useState<SampleDetail | null>(original);
  const knownTags = useLoader(() => api.listTags(documentId), [documentId]);
  const ids = { code: useId(), description: useId(), date: useId(), tags: useId(), tagsHint: useId(), error: useId() };

  const tags = parseTags(tagText);
  const suggestions = (knownTags.value ?? []).filter((t) => !tags.some((x) => x.toLowerCase() === t.name.toLowerCase())).slice(0, 12);

  const save = async () => {
    setSaving(true);
    setError(null);
    let sample = saved;
    let wrote = false;
    try {
      // One request, so one edit: one transaction and one undo step, tags included.
      if (!sample) {
        const input: NewSample = { siteId: mode.kind === 'add' ? mode.siteId : null, code, description: description || null, collectedOn: collectedOn || null, tags };
        sample = await api.addSample(documentId, input);
        wrote = true;
        setSaved(sample);
      } else {
        const patch: SamplePatch = {};
        if (code !== sample.code) patch.code = code;
        if ((description || null) !== sample.description) patch.description = description || null;
        if ((collectedOn || null) !== sample.collectedOn) patch.collectedOn = collectedOn || null;
        if (!sameTags(tags, sample.tags)) patch.tags = tags;
        if (Object.keys(patch).length > 0) {
          sample = await api.updateSample(documentId, sample.id, patch);
          wrote = true;
          setSaved(sample);
        }
      }
      onSaved(sample, true);
    } catch (e) {
      if (wrote && sample) onSaved(sample, false);
      setError(toAppError(e));
      setSaving(false);
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!saving) void save();
  };
  const onTextareaKey = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) {
      event.preventDefault();
      if (!saving) void save();
    }
  };

  const placed = errorPlacement(error, ['code', 'collectedOn', 'description', 'tags']);
  const fieldError = placed.at;

  const title = mode.kind === 'edit' ? `Edit sample ${mode.sample.code}` : 'Add sample';
  const where = mode.kind === 'add' ? (mode.siteName ? `The new sample is recorded at ${mode.siteName}.` : 'The new sample is not linked to a site.') : undefined;

  return (
    <Modal title={title} description={where} onClose={onClose} locked={saving} testId="sample-form-dialog" size="small">
      <form data-testid="sample-form" className="form" onSubmit={onSubmit} noValidate aria-describedby={error ? ids.error : undefined}>
        <div className="field">
          <label htmlFor={ids.code}>Code</label>
          <input
            id={ids.code}
            data-autofocus
            type="text"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={fieldError('code') || undefined}
            aria-describedby={fieldError('code') ? ids.error : undefined}
          />
          {fieldError('code') && <FieldError id={ids.error} error={error!} />}
        </div>
        <div className="field">
          <label htmlFor={ids.description}>Description</label>
          <textarea
            id={ids.description}
            rows={4}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            onKeyDown={onTextareaKey}
            aria-invalid={fieldError('description') || undefined}
            aria-describedby={fieldError('description') ? ids.error : undefined}
          />
          {fieldError('description') && <FieldError id={ids.error} error={error!} />}
        </div>
        <div className="field field-narrow">
          <label htmlFor={ids.date}>Collected on</label>
          <input
            id={ids.date}
            type="date"
            value={collectedOn}
            onChange={(e) => setCollectedOn(e.target.value)}
            aria-invalid={fieldError('collectedOn') || undefined}
            aria-describedby={fieldError('collectedOn') ? ids.error : undefined}
          />
          {fieldError('collectedOn') && <FieldError id={ids.error} error={error!} />}
        </div>
        <div className="field">
          <label htmlFor={ids.tags}>Tags</label>
          <input id={ids.tags} type="text" value={tagText} onChange={(e) => setTagText(e.target.value)} aria-describedby={ids.tagsHint} autoComplete="off" />
          <p id={ids.tagsHint} className="field-hint">
            Separate tags with commas.
          </p>
          {suggestions.length > 0 && (
            <div className="tag-suggestions" role="group" aria-label="Existing tags">
              {suggestions.map((t) => (
                <button key={t.id} type="button" className="chip chip-button" onClick={() => setTagText([...tags, t.name].join(', '))}>
                  + {t.name}
                </button>
              ))}
            </div>
          )}
        </div>
        {placed.underForm && error && <FieldError id={ids.error} error={error} />}
        <FormActions saving={saving} onClose={onClose} />
      </form>
    </Modal>
  );
}
