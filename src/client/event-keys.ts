/**
 * The keys client-go's EventCorrelator groups Events by (tools/record/events_cache.go): the same
 * fields, joined with a separator that cannot occur in them.
 */
import type { Event } from '../model/types.js';

const SEP = '\u0000';

function sourceAndObject(e: Event): string[] {
  const o = e.involvedObject;
  return [e.source?.component ?? '', e.source?.host ?? '', o.kind ?? '', o.namespace ?? '', o.name ?? ''];
}

/** One Event and its repeats: source, involved object (with fieldPath), type, reason and message (getEventKey). */
export function eventKey(e: Event): string {
  const o = e.involvedObject;
  return [...sourceAndObject(e), o.fieldPath ?? '', o.uid ?? '', o.apiVersion ?? '', e.type ?? '', e.reason ?? '', e.message ?? ''].join(
    SEP,
  );
}

/** What the spam filter rate-limits: one source about one object (getSpamKey). */
export function spamKey(e: Event): string {
  const o = e.involvedObject;
  return [...sourceAndObject(e), o.uid ?? '', o.apiVersion ?? ''].join(SEP);
}

/**
 * Similar Events, which differ only by message: source, object, type, reason and the reporting
 * controller and instance (EventAggregatorByReasonFunc's aggregate key; its local key is the message).
 */
export function aggregateKey(e: Event): string {
  const o = e.involvedObject;
  return [
    ...sourceAndObject(e),
    o.uid ?? '',
    o.apiVersion ?? '',
    e.type ?? '',
    e.reason ?? '',
    e.reportingComponent ?? '',
    e.reportingInstance ?? '',
  ].join(SEP);
}
