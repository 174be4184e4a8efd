import type { Principal } from './access';
import type { Caller } from '../sts/identity';
import type { QueryParams } from '../query';
import type { EndpointState } from '../state';
import type { Xml } from '../xml';

/** Everything an EC2 action handler needs about one request. */
export interface Ec2Context {
  state: EndpointState;
  caller: Caller;
  /** The caller as far as sharing is concerned (account + organization membership). */
  principal: Principal;
  region: string;
  params: QueryParams;
  /** How long CopyImage results stay `pending` (the endpoint's `copyDelayMs` setting). */
  copyDelayMs: number;
  /** Seed of the DescribeImages order (the endpoint's `imageOrderSeed` setting). */
  imageOrderSeed: number;
  /** Runs `task` later (e.g. a copy becoming available); cancelled when the endpoint is reset or closed. */
  schedule: (ms: number, task: () => void) => void;
}

/** Returns the elements that go inside `<ActionResponse>` after `<requestId>`. */
export type Ec2Handler = (context: Ec2Context) => Xml;
