// A modal dialog (Radix): focus moves in and is kept there, Escape and the backdrop close it
// unless `locked` (a request in flight), and focus returns to where it was.

import * as RadixDialog from '@radix-ui/react-dialog';
import { X } from 'lucide-react';
import type { ReactNode, RefObject } from 'react';

interface Props {
  title: string;
  description?: string;
  onClose(): void;
  children: ReactNode;
  locked?: boolean;
  size?: 'sm' | 'md';
  /** What gets focus on open (default: the first focusable element). */
  initialFocus?: RefObject<HTMLElement | null>;
}

export function Dialog({ title, description, onClose, children, locked = false, size = 'md', initialFocus }: Props) {
  return (
    <RadixDialog.Root
      open
      onOpenChange={(open) => {
        if (!open && !locked) onClose();
      }}
    >
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="modal-backdrop" />
        <RadixDialog.Content
          className={`modal modal--${size}`}
          {...(description ? {} : { 'aria-describedby': undefined })}
          onOpenAutoFocus={(event) => {
            if (!initialFocus?.current) return;
            event.preventDefault();
            initialFocus.current.focus();
          }}
        >
          <div className="modal__header">
            <RadixDialog.Title className="modal__title">{title}</RadixDialog.Title>
            <RadixDialog.Close className="icon-btn" aria-label="Close dialog" disabled={locked}>
              <X size={18} aria-hidden="true" />
            </RadixDialog.Close>
          </div>
          {description && <RadixDialog.Description className="modal__description">{description}</RadixDialog.Description>}
          {children}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}
