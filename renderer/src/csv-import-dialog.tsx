import { useEffect, useRef, useState } from 'react';
import type { CsvImportFile, CsvImportOutcome, CsvImportSettings, DocumentId } from '../../main/ipc/contract';
import { api, toAppError, type AppError } from './api';
import { CsvColumnMapping, describeFile } from './csv-column-mapping';
import { CsvImportPreviewView, CsvProblems } from './csv-import-preview';
import { countOf } from './format-values';
import { Icon } from './icon';
import { Modal } from './modal';
import { StatusMessage } from './status-message';
import { useLoader } from './use-loader';
import './csv.css';

type Step =
  | { step: 'choosing' }
  | { step: 'failed-to-read'; error: AppError }
  | { step: 'mapping'; file: CsvImportFile }
  | { step: 'importing'; file: CsvImportFile }
  | { step: 'done'; outcome: CsvImportOutcome };

const mapped = (settings: CsvImportSettings) => settings.mapping.code != null && settings.mapping.quantity != null;

/**
 * Import measurements: the open dialog (main reads and parses the file; the window sees its
 * name and columns only), then the column mapping with a live preview and per-row errors, then
 * the import — one edit, one undo step, nothing imported while errors remain unless rows with
 * errors are skipped — and what it did.
 */
export function CsvImportDialog({
  documentId,
  onClose,
  onImported,
}: {
  documentId: DocumentId;
  onClose: () => void;
  /** After an import: the window reloads what it shows. */
  onImported: (outcome: CsvImportOutcome) => void;
}) {
  const [step, setStep] = useState<Step>({ step: 'choosing' });
  const [settings, setSettings] = useState<CsvImportSettings | null>(null);
  const [importError, setImportError] = useState<AppError | null>(null);
  const chosen = useRef<string | null>(null);

  const choose = () => {
    const before = step;
    setStep({ step: 'choosing' });
    setImportError(null);
    api.chooseCsvImport(documentId).then(
      (file) => {
        if (!file) {
          // Cancelled: the first time, there is nothing to import; later, the file chosen before stays.
          if (before.step === 'choosing') onClose();
          else setStep(before);
          return;
        }
        if (chosen.current) void api.discardCsvImport(documentId, chosen.current).catch(() => {});
        chosen.current = file.importId;
        setSettings({ mapping: file.mapping, hasHeader: file.hasHeader, decimalComma: file.decimalComma, skipErrors: false, acceptEncoding: false });
        setStep({ step: 'mapping', file });
      },
      (error: unknown) => setStep({ step: 'failed-to-read', error: toAppError(error) }),
    );
  };
  // The open dialog shows as this one opens; a file the window no longer needs is forgotten in main.
  // (Once per dialog: the open dialog is main's, outside React; its answer sets the step.)
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect
    choose();
    return () => {
      if (chosen.current) void api.discardCsvImport(documentId, chosen.current).catch(() => {});
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const file = step.step === 'mapping' || step.step === 'importing' ? step.file : null;
  const previewKey = file && settings && mapped(settings) ? JSON.stringify([file.importId, settings.mapping, settings.hasHeader, settings.decimalComma]) : null;
  const preview = useLoader(async () => (file && settings && previewKey ? api.previewCsvImport(documentId, file.importId, settings) : null), [previewKey]);

  const runImport = () => {
    if (!file || !settings) return;
    setStep({ step: 'importing', file });
    setImportError(null);
    api.importCsv(documentId, file.importId, settings).then(
      (outcome) => {
        chosen.current = null;
        setStep({ step: 'done', outcome });
        onImported(outcome);
      },
      (error: unknown) => {
        setImportError(toAppError(error));
        setStep({ step: 'mapping', file });
      },
    );
  };

  const ready = preview.value && settings && mapped(settings) && !preview.loading;
  const blocked = !ready || preview.value!.valid === 0 || (preview.value!.errors > 0 && !settings!.skipErrors) || (file?.encodingWarning && !settings?.acceptEncoding);
  const footer =
    step.step === 'done' ? (
      <button type="button" className="button button-primary" onClick={onClose} data-autofocus>
        Close
      </button>
    ) : step.step === 'mapping' || step.step === 'importing' ? (
      <>
        <button type="button" className="button" onClick={choose} disabled={step.step === 'importing'}>
          Choose another file…
        </button>
        <button type="button" className="button" onClick={onClose} disabled={step.step === 'importing'}>
          Cancel
        </button>
        <button type="button" className="button button-primary" data-testid="csv-import-button" onClick={runImport} disabled={!!blocked || step.step === 'importing'}>
          {step.step === 'importing' ? 'Importing…' : ready ? `Import ${countOf(preview.value!.valid, 'measurement')}` : 'Import'}
        </button>
      </>
    ) : (
      <>
        {step.step === 'failed-to-read' && (
          <button type="button" className="button" onClick={choose}>
            Choose another file…
          </button>
        )}
        <button type="button" className="button" onClick={onClose} data-autofocus>
          Close
        </button>
      </>
    );

  return (
    <Modal
      title={file ? `Import measurements from “${file.name}”` : 'Import measurements'}
      onClose={onClose}
      locked={step.step === 'importing'}
      testId="csv-import-dialog"
      size="large"
      footer={footer}
      description={
        file
          ? `Read as ${describeFile(file)}. Choose which column holds what; the preview shows the rows as they will be imported.`
          : step.step === 'done'
            ? undefined
            : 'Adds measurements to samples of this notebook from a CSV file.'
      }
    >
      {step.step === 'choosing' && <StatusMessage kind="loading">Choosing and reading the file…</StatusMessage>}
      {step.step === 'failed-to-read' && (
        <StatusMessage kind="error" error={step.error}>
          The file cannot be imported.
        </StatusMessage>
      )}
      {file && settings && (
        <div className="form">
          {file.encodingWarning && (
            <div className="notice csv-encoding" role="alert">
              <p>{file.encodingWarning}</p>
              <label className="checkbox">
                <input type="checkbox" checked={settings.acceptEncoding} onChange={(e) => setSettings({ ...settings, acceptEncoding: e.target.checked })} />
                The preview looks right: import it read this way
              </label>
            </div>
          )}
          <CsvColumnMapping file={file} settings={settings} onChange={setSettings} disabled={step.step === 'importing'} />
          {!mapped(settings) && <p className="notice">Choose the columns that hold the sample codes and the quantities to see the preview.</p>}
          {preview.error && (
            <StatusMessage kind="error" error={preview.error} retry={preview.reload}>
              The preview could not be made.
            </StatusMessage>
          )}
          {mapped(settings) && !preview.value && !preview.error && <StatusMessage kind="loading">Reading the rows…</StatusMessage>}
          {preview.value && <CsvImportPreviewView preview={preview.value} />}
          {preview.value && preview.value.errors > 0 && (
            <label className="checkbox">
              <input
                type="checkbox"
                data-testid="skip-errors"
                checked={settings.skipErrors}
                disabled={step.step === 'importing'}
                onChange={(e) => setSettings({ ...settings, skipErrors: e.target.checked })}
              />
              Skip the {countOf(preview.value.errors, 'row')} with errors and import the others
            </label>
          )}
          {importError && (
            <StatusMessage kind="error" error={importError}>
              Nothing was imported.
            </StatusMessage>
          )}
        </div>
      )}
      {step.step === 'done' && (
        <div className="export-result" data-testid="csv-import-result" role="status">
          <p className="result-title">
            <Icon name="check" /> Imported {countOf(step.outcome.imported, 'measurement')} from “{step.outcome.name}”
          </p>
          <p className="muted">{step.outcome.skipped ? `${countOf(step.outcome.skipped, 'row was', 'rows were')} left out:` : 'Every row was imported.'}</p>
          <CsvProblems problems={step.outcome.problems} />
          <p className="muted small">It is one change: Edit ▸ Undo “{step.outcome.undoLabel}” takes it all back.</p>
        </div>
      )}
    </Modal>
  );
}
