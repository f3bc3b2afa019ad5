import { runObjectStoreConformance } from '../../src/testing.js';
import { MemoryStore } from '../../src/store/memory-store.js';

await runObjectStoreConformance({ name: 'MemoryStore', newStore: (options) => new MemoryStore(options) });
