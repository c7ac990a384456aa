/** The heading of an operator page. */
export function OperatorHeader({ title, subtitle }: { title: string; subtitle: string }) {
  return (
    <div className="page__header">
      <div>
        <p className="page__eyebrow">Operator console</p>
        <h1 className="page__title">{title}</h1>
        <p className="page__subtitle">{subtitle}</p>
      </div>
    </div>
  );
}
