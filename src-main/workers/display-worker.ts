// Worker entry: converts one original for display at 100 % (imaging/convert-for-display.ts), off the library's thread.
import sharp from 'sharp';
import { serveWorkerTasks } from '../core/concurrency/worker-host';
import { convertForDisplay, type DisplayConversion, type DisplayConversionTask } from '../core/imaging/convert-for-display';

sharp.cache(false);

serveWorkerTasks<DisplayConversionTask, DisplayConversion>((task) => convertForDisplay(task));
