import { TugboatError } from '../../src/model/errors.js';

/** The TugboatError a promise rejects with; fails the test when it resolves or rejects otherwise. */
export async function rejection(promise: Promise<unknown>): Promise<TugboatError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof TugboatError) return err;
    throw err;
  }
  throw new Error('expected a TugboatError, but the promise resolved');
}
