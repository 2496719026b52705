import type { z } from 'zod';
import { AppError } from '@eid/shared';

/**
 * Parses `value` with `schema` or throws VALIDATION_FAILED listing the failing paths. Input values are
 * never echoed back: they may be personal data.
 *
 * @example const { name, idNumber } = validate(RealNameBody, ctx.request.body);
 */
export function validate<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues
    .slice(0, 10)
    .map((i) => ({ path: i.path.join('.'), message: i.message }));
  throw new AppError('VALIDATION_FAILED', 'The request is not valid', { issues });
}
