/**
 * An error the endpoint reports to the client in the service's error format
 * (EC2: `<Response><Errors>…`, STS: `<ErrorResponse>…`).
 */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus = 400,
  ) {
    super(message);
    this.name = code;
  }
}

/** Messages worded like EC2's, so the extension's error mapping is tested against realistic text. */
export const ec2Errors = {
  authFailure: () => new ApiError('AuthFailure', 'AWS was not able to validate the provided access credentials', 401),
  requestExpired: () => new ApiError('RequestExpired', 'Request has expired.', 400),
  missingAuthentication: () =>
    new ApiError('MissingParameter', 'The request must contain the parameter AWSAccessKeyId', 400),
  optInRequired: (region: string) =>
    new ApiError('AuthFailure', `AWS was not able to validate the provided access credentials (Region ${region} is not enabled)`, 401),
  throttled: () => new ApiError('RequestLimitExceeded', 'Request limit exceeded.', 503),
  invalidAction: (action: string) =>
    new ApiError('InvalidAction', `The action ${action} is not valid for this web service.`, 400),
  missingParameter: (name: string) =>
    new ApiError('MissingParameter', `The request must contain the parameter ${name}`, 400),
  invalidParameterValue: (message: string) => new ApiError('InvalidParameterValue', message, 400),
  invalidParameterCombination: (message: string) => new ApiError('InvalidParameterCombination', message, 400),
  /** ModifyImageAttribute / ModifyInstanceAttribute with nothing to modify (EC2's own wording). */
  noAttributesSpecified: () => new ApiError('InvalidParameterCombination', 'No attributes specified.', 400),
  dryRun: () => new ApiError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412),
  amiMalformed: (id: string) => new ApiError('InvalidAMIID.Malformed', `Invalid id: "${id}" (expecting "ami-...")`),
  amiNotFound: (id: string) => new ApiError('InvalidAMIID.NotFound', `The image id '[${id}]' does not exist`),
  amiUnavailable: (id: string, state: string) =>
    new ApiError('InvalidAMIID.Unavailable', `The AMI ID '${id}' is currently ${state} and may not be used for this operation`),
  notAuthorizedForImage: (id: string) => new ApiError('AuthFailure', `Not authorized for image:${id}`, 403),
  snapshotMalformed: (id: string) =>
    new ApiError('InvalidSnapshotID.Malformed', `Invalid id: "${id}" (expecting "snap-...")`),
  snapshotNotFound: (id: string) => new ApiError('InvalidSnapshot.NotFound', `The snapshot '${id}' does not exist.`),
  notAuthorizedForSnapshot: (id: string) => new ApiError('AuthFailure', `Not authorized for snapshot:${id}`, 403),
  invalidPaginationToken: (token: string) =>
    new ApiError('InvalidPaginationToken', `Invalid pagination token: ${token}`),
};
