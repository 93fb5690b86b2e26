// API handlers of the imaging domain: re-scoring a library's quality after the formulas changed.
import type { Handlers } from '../handler-types';
import { rescoreQuality } from './rescore-quality';

export const qualityHandlers: Handlers<'quality.rescore'> = {
  'quality.rescore': (ctx) => {
    const jobId = ctx.jobs.start('quality-rescore', {}, async (job) => {
      const result = await rescoreQuality(ctx.db, ctx.dir, { signal: job.signal, progress: (done, total) => job.progress(done, total) });
      if (result.fromOriginal + result.fromDerivative > 0) ctx.emit('catalog.changed', { reason: 'quality' });
      return { ...result };
    });
    return { jobId };
  },
};
