import { Search } from 'lucide-react';

interface Props {
  id: string;
  /** The accessible name (the label is visually hidden: the icon and placeholder say it). */
  label: string;
  placeholder: string;
  value: string;
  onChange(value: string): void;
}

/** A search field with its magnifier, as the toolbars use it. */
export function SearchBox({ id, label, placeholder, value, onChange }: Props) {
  return (
    <div className="toolbar__search">
      <Search size={16} aria-hidden="true" />
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <input id={id} type="search" placeholder={placeholder} value={value} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}
