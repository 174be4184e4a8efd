import type { Principal } from './access';
import type { Caller } from './identity';
import type { QueryParams } from './query';
import type { EndpointState } from './state';
import type { Xml } from './xml';

/** Everything an EC2 action handler needs about one request. */
export interface Ec2Context {
  state: EndpointState;
  caller: Caller;
  /** The caller as far as sharing is concerned (account + organization membership). */
  principal: Principal;
  region: string;
  params: QueryParams;
}

/** Returns the elements that go inside `<ActionResponse>` after `<requestId>`. */
export type Ec2Handler = (context: Ec2Context) => Xml;
