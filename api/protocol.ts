/**
 * `wake-sim/protocol`: the seam between the simulated world and a runtime under test, and nothing else. A runtime
 * written against this entry depends on no part of the simulator: what a host process gets ({@link HostContext}),
 * what it must be ({@link RuntimeUnderTest}), the wire of the agents server and of Durable Streams, the entity API its
 * handlers see, and the shape of a switch. docs/test-your-own-runtime.md explains each.
 *
 * @packageDocumentation
 */

export type { RuntimeUnderTest, RunningHost } from '../protocol/host/RuntimeUnderTest.ts';
export type { LeaseRenewalPromise } from '../protocol/host/LeaseRenewalPromise.ts';
export type { AnnotationValue, HostContext, ServiceUrls } from '../protocol/host/HostContext.ts';
export { ANNOTATION_VOCABULARIES, type AnnotationVocabulary } from '../protocol/host/AnnotationVocabulary.ts';
export type { DirectRequest, DirectResponse, DirectTransport } from '../protocol/host/DirectTransport.ts';
export type { FetchFunction } from '../protocol/host/FetchFunction.ts';
export type { SwitchDefinition } from '../protocol/switches/SwitchDefinition.ts';
export * from '../protocol/agents/agentsRoutes.ts';
export * from '../protocol/streams/streamsProtocol.ts';
export * from '../protocol/entity/EntityHandler.ts';
