/** Runs every benchmark and prints its figures. `npm run bench`. */
import { benchStore } from './store.js';

await benchStore();
