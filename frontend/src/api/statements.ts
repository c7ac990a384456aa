// The CSV statements (wallet by IST dates, portfolio by financial year), fetched with the
// signed-in client and handed back as a file to save.

import { attachmentName } from '../lib/statements';
import { api } from './client';
import { toApiError } from './errors';

export interface Download {
  blob: Blob;
  filename: string;
}

async function asDownload(call: Promise<{ data?: Blob; error?: unknown; response: Response }>, fallback: string): Promise<Download> {
  const { data, error, response } = await call;
  if (!response.ok || !data) throw toApiError(response, error);
  return { blob: data, filename: attachmentName(response.headers.get('Content-Disposition'), fallback) };
}

export const statementApi = {
  wallet: (from: string, to: string) =>
    asDownload(api.GET('/api/wallet/statement.csv', { params: { query: { from, to } }, parseAs: 'blob' }), `wallet-statement-${from}-${to}.csv`),
  portfolio: (fy: string) =>
    asDownload(api.GET('/api/portfolio/statement.csv', { params: { query: { fy } }, parseAs: 'blob' }), `portfolio-statement-FY${fy}.csv`),
};
