// The shapes that cross stage boundaries. Azure and local adapters produce and consume
// exactly these, so stage code never sees an SDK type.

/** One event as Event Hubs delivered it, with where it came from. */
export interface SourceEvent {
  partition: string;
  offset: string;
  sequenceNumber: number;
  /** Event Hubs enqueued time, ISO-8601 UTC: the contract's ingestion time. */
  enqueuedTime: string;
  /** The body as text; undefined when the bytes are not valid UTF-8 (then bodyBase64 holds them). */
  body: string | undefined;
  bodyBase64?: string;
}

/** A batch from one partition, identified by (partition, first sequence, last sequence). */
export interface SourceBatch {
  partition: string;
  events: SourceEvent[];
}

/** A position in the source: unique per event delivery slot, stable across redelivery. */
export function positionOf(e: Pick<SourceEvent, 'partition' | 'sequenceNumber'>): string {
  return `${e.partition}:${e.sequenceNumber}`;
}
