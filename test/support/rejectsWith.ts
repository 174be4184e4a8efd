import assert from 'node:assert/strict';

export type ServiceError = Error & { $metadata?: { requestId?: string; httpStatusCode?: number } };

/**
 * The one rejection helper of every tier (no vscode import): the error `promise` rejected with, for the test
 * to look at; fails the test when it fulfils instead. `expected` names what should have happened.
 */
export async function rejection(promise: Promise<unknown>, expected = 'a rejection'): Promise<ServiceError> {
  return promise.then(
    () => assert.fail(`expected ${expected}`),
    (e: unknown) => e as ServiceError,
  );
}

/** Asserts the SDK raised a service exception with this name and (optionally) a matching message. */
export async function rejectsWith(promise: Promise<unknown>, name: string, message?: RegExp): Promise<ServiceError> {
  const error = await rejection(promise, name);
  assert.equal(error.name, name, error.message);
  if (message) {
    assert.match(error.message, message);
  }
  return error;
}
