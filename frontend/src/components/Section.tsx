import { useId, type ReactNode } from 'react';

/** A titled card of the page (its heading names it), with room beside the title for filters or a link. */
export function Section({ title, extra, children }: { title: string; extra?: ReactNode; children: ReactNode }) {
  const titleId = useId();
  return (
    <section className="card" aria-labelledby={titleId}>
      <div className="card__header">
        <h2 id={titleId} className="card__title">
          {title}
        </h2>
        {extra}
      </div>
      {children}
    </section>
  );
}
