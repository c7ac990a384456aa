// The Buyer field of the listing form: type any name, or pick a registered buyer from what
// `GET /api/buyers?q=<prefix>` suggests (a combobox: arrows, Enter, Escape). A picked buyer
// confirms the invoice before it reaches the marketplace.

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { BadgeCheck } from 'lucide-react';
import { useId, useState, type KeyboardEvent, type Ref } from 'react';
import { buyersQuery } from '../api/queries';
import type { Buyer } from '../api/types';
import { describeError } from '../api/errors';
import { useDebouncedValue } from '../hooks/useDebouncedValue';
import { creditText } from '../lib/buyers';
import type { FieldProps } from './Form';

const SEARCH_DELAY_MS = 250;
const SUGGESTIONS = 10;

interface Props {
  field: FieldProps;
  value: string;
  inputRef: Ref<HTMLInputElement>;
  onBlur(): void;
  /** Free text: no registered buyer any more. */
  onType(text: string): void;
  onPick(buyer: Buyer): void;
  picked: Buyer | null;
}

export function BuyerPicker({ field, value, inputRef, onBlur, onType, onPick, picked }: Props) {
  const listId = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const prefix = useDebouncedValue(value.trim(), SEARCH_DELAY_MS);
  const searching = open && picked === null && prefix !== '';
  const buyers = useQuery({ ...buyersQuery(prefix, SUGGESTIONS), enabled: searching, placeholderData: keepPreviousData });
  const options = searching ? (buyers.data ?? []) : [];
  const expanded = searching && (options.length > 0 || buyers.isError);

  const pick = (buyer: Buyer) => {
    onPick(buyer);
    setOpen(false);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setOpen(true);
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => (options.length === 0 ? -1 : i < 0 && step < 0 ? options.length - 1 : (i + step + options.length) % options.length));
    } else if (event.key === 'Enter' && expanded && options[active]) {
      event.preventDefault();
      pick(options[active]);
    } else if (event.key === 'Escape' && expanded) {
      event.preventDefault();
      setOpen(false);
    }
  };

  return (
    <div className="combo">
      <input
        {...field}
        ref={inputRef}
        value={value}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && options[active] ? `${listId}-${options[active].id}` : undefined}
        autoComplete="off"
        placeholder="Reliance Retail Ltd"
        onChange={(event) => {
          onType(event.target.value);
          setOpen(true);
          setActive(-1);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => {
          setOpen(false);
          onBlur();
        }}
        onKeyDown={onKeyDown}
      />
      {picked && (
        <span className="combo__picked">
          <BadgeCheck size={14} aria-hidden="true" /> Registered buyer
        </span>
      )}
      <ul id={listId} role="listbox" aria-label="Registered companies" className="combo__list" hidden={!expanded}>
        {buyers.isError && (
          <li role="option" aria-selected={false} aria-disabled="true" className="combo__note">
            Couldn't search the registered buyers: {describeError(buyers.error)}
          </li>
        )}
        {options.map((buyer, index) => (
          <li
            key={buyer.id}
            id={`${listId}-${buyer.id}`}
            role="option"
            aria-selected={index === active}
            className={`combo__option ${index === active ? 'combo__option--active' : ''}`}
            // Picked on press, with the focus kept in the input (the keyboard works there).
            onMouseDown={(event) => {
              event.preventDefault();
              pick(buyer);
            }}
          >
            <span className="combo__name">{buyer.name}</span>
            <span className="combo__sub">{creditText(buyer)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
