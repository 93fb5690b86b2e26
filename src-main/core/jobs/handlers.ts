// API handlers for jobs: status, list, cancel.
import type { Handlers } from '../handler-types';

export const jobHandlers: Handlers<'jobs.get' | 'jobs.list' | 'jobs.cancel'> = {
  'jobs.get': (ctx, input) => ctx.jobs.get(input.id),
  'jobs.list': (ctx, input) => ctx.jobs.list(input.kind, input.limit),
  'jobs.cancel': (ctx, input) => ({ cancelled: ctx.jobs.cancel(input.id) }),
};
