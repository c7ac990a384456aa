import { useState, type ReactNode } from 'react';
import { AccountDialog } from './AccountDialog';

/** A person named on an operator's page, opening their account's suspension dialog. */
export function AccountButton({ userId, name, children }: { userId: number; name?: string; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="link-btn" onClick={() => setOpen(true)}>
        {children}
      </button>
      {open && <AccountDialog userId={userId} name={name} onClose={() => setOpen(false)} />}
    </>
  );
}
