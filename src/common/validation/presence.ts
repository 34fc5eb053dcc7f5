import { IsOptional, ValidateIf } from 'class-validator';

/**
 * The field may be left out, but not sent as `null`: null is validated like any other
 * value, so it fails the field's rules with a 400 naming it (it would otherwise reach a
 * NOT NULL column). class-validator's `@IsOptional()` lets null through; use it only
 * through `Nullable()`.
 */
export const Optional = (): PropertyDecorator => ValidateIf((_, value: unknown) => value !== undefined);

/** The field may be left out or sent as `null` (which clears it). */
export const Nullable = (): PropertyDecorator => IsOptional();
