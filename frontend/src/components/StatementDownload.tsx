import { Download as DownloadIcon } from 'lucide-react';
import { useState, type ReactNode } from 'react';
import type { Download } from '../api/statements';
import { explain, type Words } from '../lib/explain';
import { saveBlob } from '../lib/statements';

interface Props {
  title: string;
  /** The period's fields. */
  children: ReactNode;
  /** Fetch the file for the period chosen. */
  fetchFile(): Promise<Download>;
  /** Plain words for what the server may refuse. */
  words: Words;
  /** Injected in tests; defaults to saving through the browser. */
  save?: (blob: Blob, filename: string) => void;
}

/** A statement for a period: its fields, a Download button, and a refusal in plain words. */
export function StatementDownload({ title, children, fetchFile, words, save = saveBlob }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  const download = async () => {
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      const { blob, filename } = await fetchFile();
      save(blob, filename);
      setSaved(filename);
    } catch (err) {
      setError(explain(err, words));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card statement" aria-label={title}>
      <div className="statement__fields">
        {children}
        <button type="button" className="btn btn--ghost" onClick={download} disabled={busy} aria-busy={busy || undefined}>
          <DownloadIcon size={16} aria-hidden="true" /> {busy ? 'Preparing…' : 'Download CSV'}
        </button>
      </div>
      <p className="form-error" role="alert" hidden={!error}>
        {error}
      </p>
      <p className="statement__saved" aria-live="polite">
        {saved && `Saved ${saved}.`}
      </p>
    </section>
  );
}
