// Rows of records: a table on wide screens; below 900 px (phones, tablets) a card per row, with the facts
// that matter and the row's actions in view (no sideways scrolling).

import type { ReactNode } from 'react';
import type { InvoiceRowProps } from '../hooks/useHighlight';
import { NARROW_QUERY, useMediaQuery } from '../hooks/useMediaQuery';

export interface Column<T> {
  header: string;
  cell(row: T): ReactNode;
  /** Right-aligned figures. */
  numeric?: boolean;
  /** On a phone's card: the heading line, the badge beside it, a labelled fact (default), or left out. */
  phone?: 'title' | 'badge' | 'fact' | 'hide';
}

interface Props<T> {
  /** The accessible name of the table or list. */
  label: string;
  rows: T[];
  columns: Column<T>[];
  rowKey(row: T): string | number;
  actions?(row: T): ReactNode;
  /** Marks each row (the invoice it shows, highlighted when a link points at it). */
  rowProps?(row: T): InvoiceRowProps;
}

export function DataTable<T>({ label, rows, columns, rowKey, actions, rowProps }: Props<T>) {
  const narrow = useMediaQuery(NARROW_QUERY);
  if (narrow) return <RowCards label={label} rows={rows} columns={columns} rowKey={rowKey} actions={actions} rowProps={rowProps} />;
  return (
    <div className="table-wrap">
      <table className="table" aria-label={label}>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.header} scope="col" className={column.numeric ? 'num' : undefined}>
                {column.header}
              </th>
            ))}
            {actions && (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} {...rowProps?.(row)}>
              {columns.map((column) => (
                <td key={column.header} className={column.numeric ? 'num' : undefined}>
                  {column.cell(row)}
                </td>
              ))}
              {actions && <td className="cell-actions">{actions(row)}</td>}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function RowCards<T>({ label, rows, columns, rowKey, actions, rowProps }: Props<T>) {
  const place = (column: Column<T>) => column.phone ?? 'fact';
  const title = columns.filter((c) => place(c) === 'title');
  const badges = columns.filter((c) => place(c) === 'badge');
  const facts = columns.filter((c) => place(c) === 'fact');
  return (
    <ul className="row-cards" aria-label={label}>
      {rows.map((row) => {
        const { className, ...rest } = rowProps?.(row) ?? {};
        return (
          <li key={rowKey(row)} className={['row-card', className].filter(Boolean).join(' ')} {...rest}>
            <div className="row-card__head">
              <div className="row-card__title">{title.map((c) => <div key={c.header}>{c.cell(row)}</div>)}</div>
              {badges.map((c) => (
                <div key={c.header}>{c.cell(row)}</div>
              ))}
            </div>
            <dl className="row-card__facts">
              {facts.map((c) => (
                <div key={c.header} className={c.numeric ? 'num' : undefined}>
                  <dt>{c.header}</dt>
                  <dd>{c.cell(row)}</dd>
                </div>
              ))}
            </dl>
            {actions && <div className="row-card__actions">{actions(row)}</div>}
          </li>
        );
      })}
    </ul>
  );
}
