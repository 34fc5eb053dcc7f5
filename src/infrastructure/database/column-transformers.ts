import { ValueTransformer } from 'typeorm';

/** PostgreSQL bigint arrives as a string; counters and sequence numbers here stay far below 2^53. */
export const bigintAsNumber: ValueTransformer = {
  to: (value: number) => value,
  from: (value: string | null) => (value === null ? value : Number(value)),
};
