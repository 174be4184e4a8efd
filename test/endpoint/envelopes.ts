import type { ApiError } from './errors';
import { concat, node, rootNode, text, XML_DECLARATION, type Xml } from './xml';

/** Response envelopes of the two query protocols the endpoint speaks (EC2 query and AWS query for STS). */

export const EC2_NAMESPACE = 'http://ec2.amazonaws.com/doc/2016-11-15/';
export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

export interface AwsResponse {
  status: number;
  body: string;
  contentType: string;
}

const XML_CONTENT_TYPE = 'text/xml;charset=UTF-8';

function xmlResponse(status: number, root: Xml): AwsResponse {
  return { status, body: XML_DECLARATION + root, contentType: XML_CONTENT_TYPE };
}

/** `<ActionResponse xmlns=…><requestId>…</requestId>…</ActionResponse>` */
export function ec2Success(action: string, requestId: string, inner: Xml): AwsResponse {
  return xmlResponse(200, rootNode(`${action}Response`, EC2_NAMESPACE, text('requestId', requestId), inner));
}

/** `<Response><Errors><Error><Code>…</Code><Message>…</Message></Error></Errors><RequestID>…</RequestID></Response>` */
export function ec2Error(error: ApiError, requestId: string): AwsResponse {
  return xmlResponse(
    error.httpStatus,
    node(
      'Response',
      node('Errors', node('Error', text('Code', error.code), text('Message', error.message))),
      text('RequestID', requestId),
    ),
  );
}

/** `<ActionResponse xmlns=…><ActionResult>…</ActionResult><ResponseMetadata>…</ResponseMetadata></ActionResponse>` */
export function stsSuccess(action: string, requestId: string, result: Xml): AwsResponse {
  return xmlResponse(
    200,
    rootNode(
      `${action}Response`,
      STS_NAMESPACE,
      node(`${action}Result`, result),
      node('ResponseMetadata', text('RequestId', requestId)),
    ),
  );
}

/** `<ErrorResponse xmlns=…><Error><Type>Sender</Type><Code>…</Code><Message>…</Message></Error><RequestId>…</RequestId></ErrorResponse>` */
export function stsError(error: ApiError, requestId: string): AwsResponse {
  return xmlResponse(
    error.httpStatus,
    rootNode(
      'ErrorResponse',
      STS_NAMESPACE,
      node(
        'Error',
        concat(
          text('Type', error.httpStatus >= 500 ? 'Receiver' : 'Sender'),
          text('Code', error.code),
          text('Message', error.message),
        ),
      ),
      text('RequestId', requestId),
    ),
  );
}

/** KMS speaks AWS JSON 1.1: JSON bodies, errors as `{"__type": CODE, "message": …}`. */
export const KMS_CONTENT_TYPE = 'application/x-amz-json-1.1';

export function kmsSuccess(output: unknown): AwsResponse {
  return { status: 200, body: JSON.stringify(output ?? {}), contentType: KMS_CONTENT_TYPE };
}

export function kmsError(error: ApiError): AwsResponse {
  return {
    status: error.httpStatus,
    body: JSON.stringify({ __type: error.code, message: error.message }),
    contentType: KMS_CONTENT_TYPE,
  };
}
