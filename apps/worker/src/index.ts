export { createWorker, type Worker, type WorkerComponent, type WorkerOptions } from './worker';
