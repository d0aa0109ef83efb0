import type { FastifyReply } from 'fastify';
import type { BatchResult, CommandResult } from '@app/commanding';

/** A command's answer: the stream's new revision (also as ETag, for If-Match) and the global position it wrote at. */
export const commandResponse = (reply: FastifyReply, result: CommandResult, extra: Record<string, unknown> = {}) => {
  void reply.header('etag', `"${result.revision}"`);
  return {
    streamId: result.streamId,
    revision: result.revision,
    position: result.position,
    replayed: result.replayed,
    events: result.events.map(({ id, type }) => ({ id, type })),
    ...extra,
  };
};

export const batchResponse = (result: BatchResult) => ({ ...result });
