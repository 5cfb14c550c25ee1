import type { ValueTransformer } from 'typeorm';

/**
 * Reads integer columns as numbers. PostgreSQL's `bigint` arrives as a string from node-postgres;
 * the values we keep there (outbox positions) stay far below 2^53.
 */
export const numericTransformer: ValueTransformer = {
  to: (value: unknown) => value,
  from: (value: unknown) => (value === null || value === undefined ? value : Number(value)),
};
