import { runObjectStoreConformance } from './object-store.cases.js';
import { MemoryStore } from '../../src/store/memory-store.js';

runObjectStoreConformance('MemoryStore', (options) => new MemoryStore(options));
