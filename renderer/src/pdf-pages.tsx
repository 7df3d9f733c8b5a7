import { useEffect, useRef, useState } from 'react';
import { GlobalWorkerOptions, getDocument, type PDFDocumentProxy } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { StatusMessage } from './status-message';

GlobalWorkerOptions.workerSrc = workerUrl;

/**
 * A PDF drawn page by page with pdf.js (in its worker, bundled: no network), under the window's
 * content security policy: no eval (`isEvalSupported: false`), no scripts of the PDF's own.
 */
export function PdfPages({ data, name }: { data: Uint8Array; name: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [pdf, setPdf] = useState<PDFDocumentProxy | null>(null);
  const [page, setPage] = useState(1);
  const [failed, setFailed] = useState<string | null>(null);

  useEffect(() => {
    // pdf.js takes the bytes over (they move to its worker): give it a copy.
    const task = getDocument({ data: data.slice(), isEvalSupported: false, enableXfa: false, disableFontFace: false });
    let current: PDFDocumentProxy | null = null;
    task.promise.then(
      (opened) => {
        current = opened;
        setPdf(opened);
        setPage(1);
      },
      (e: unknown) => setFailed(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      void task.destroy();
      void current?.destroy();
    };
  }, [data]);

  useEffect(() => {
    if (!pdf || !canvas.current) return undefined;
    let cancelled = false;
    let render: { cancel(): void; promise: Promise<void> } | null = null;
    void pdf.getPage(page).then(
      (p) => {
        if (cancelled || !canvas.current) return;
        const scale = Math.min(2, 820 / p.getViewport({ scale: 1 }).width) * (window.devicePixelRatio || 1);
        const viewport = p.getViewport({ scale });
        const target = canvas.current;
        target.width = Math.floor(viewport.width);
        target.height = Math.floor(viewport.height);
        target.style.width = `${Math.floor(viewport.width / (window.devicePixelRatio || 1))}px`;
        render = p.render({ canvasContext: target.getContext('2d')!, viewport });
        render.promise.then(
          () => {
            if (!cancelled) target.dataset.renderedPage = String(page);
          },
          () => undefined,
        );
      },
      (e: unknown) => setFailed(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      cancelled = true;
      render?.cancel();
    };
  }, [pdf, page]);

  if (failed) return <StatusMessage kind="empty">This PDF cannot be shown ({failed}). Save a copy to open it with another app.</StatusMessage>;
  if (!pdf) return <StatusMessage kind="loading">Opening {name}…</StatusMessage>;
  return (
    <div className="pdf-pages">
      <div className="pdf-toolbar">
        <button type="button" className="button button-small" disabled={page <= 1} onClick={() => setPage((n) => n - 1)}>
          Previous page
        </button>
        <span className="small" aria-live="polite">
          Page {page} of {pdf.numPages}
        </span>
        <button type="button" className="button button-small" disabled={page >= pdf.numPages} onClick={() => setPage((n) => n + 1)}>
          Next page
        </button>
      </div>
      <canvas ref={canvas} className="pdf-page" data-testid="pdf-page" aria-label={`Page ${page} of ${name}`} role="img" />
    </div>
  );
}
