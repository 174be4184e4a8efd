import assert from 'node:assert/strict';

export type ServiceError = Error & { $metadata?: { requestId?: string; httpStatusCode?: number } };

/** Asserts the SDK raised a service exception with this name and (optionally) a matching message. */
export async function rejectsWith(promise: Promise<unknown>, name: string, message?: RegExp): Promise<ServiceError> {
  const error = await promise.then(
    () => assert.fail(`expected ${name}`),
    (e: unknown) => e as ServiceError,
  );
  assert.equal(error.name, name, error.message);
  if (message) {
    assert.match(error.message, message);
  }
  return error;
}
