// The audit trail's filter, as typed (ids as text) and as asked of the API.

import { z } from 'zod';
import type { AuditFilter } from '../api/queries';

export const TARGET_TYPES = ['invoice', 'user'] as const;
type TargetType = (typeof TARGET_TYPES)[number];

export interface AuditFilterValues {
  actorId: string;
  targetType: TargetType | '';
  targetId: string;
}

const isTargetType = (value: string | null): value is TargetType => TARGET_TYPES.includes(value as TargetType);

const optionalId = (what: string) =>
  z
    .string()
    .trim()
    .regex(/^\d*$/, `${what} is a number, like 42.`)
    .transform((text) => (text === '' ? undefined : Number(text)))
    .refine((id) => id === undefined || (Number.isSafeInteger(id) && id > 0), `${what} is a number from 1 up.`);

export const auditFilterSchema = z
  .object({
    actorId: optionalId('The actor id'),
    targetType: z.enum(['', ...TARGET_TYPES]),
    targetId: optionalId('The target id'),
  })
  .transform(
    ({ actorId, targetType, targetId }): AuditFilter => ({
      ...(actorId !== undefined && { actor_id: actorId }),
      ...(targetType !== '' && { target_type: targetType }),
      ...(targetId !== undefined && { target_id: targetId }),
    }),
  );

/** The filter in the page's address (`?actor_id=&target_type=&target_id=`), as the form shows it. */
export function filterValues(params: URLSearchParams): AuditFilterValues {
  const targetType = params.get('target_type');
  return {
    actorId: params.get('actor_id') ?? '',
    targetType: isTargetType(targetType) ? targetType : '',
    targetId: params.get('target_id') ?? '',
  };
}
