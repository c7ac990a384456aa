// The calls that change things. Their answers go into the cache through cache.ts.

import { api, unwrap } from './client';
import type { NewInvoice } from './types';

const onInvoice = (invoiceId: number) => ({ params: { path: { invoice_id: invoiceId } } });

export const invoiceApi = {
  create: (invoice: NewInvoice) => unwrap(api.POST('/api/invoices', { body: invoice })),
  fund: (invoiceId: number, amount: number, idempotencyKey: string) =>
    unwrap(
      api.POST('/api/invoices/{invoice_id}/fund', {
        ...onInvoice(invoiceId),
        body: { amount },
        headers: { 'Idempotency-Key': idempotencyKey },
      }),
    ),
  cancel: (invoiceId: number) => unwrap(api.POST('/api/invoices/{invoice_id}/cancel', onInvoice(invoiceId))),
  settle: (invoiceId: number) => unwrap(api.POST('/api/invoices/{invoice_id}/settle', onInvoice(invoiceId))),
};
