// Starts a worker thread from TypeScript source (tests and `tsx` runs): a worker does not inherit the parent's
// module hooks, so it registers tsx itself before importing its entry. Built code (dist/) never comes here.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
